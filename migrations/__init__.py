"""The Alembic environment of seatdesk (installed as ``seatdesk_migrations``)."""
