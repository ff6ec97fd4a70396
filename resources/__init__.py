"""seatdesk's resources (translations), installed as the package ``seatdesk_resources``."""
