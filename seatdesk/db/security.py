"""Names and helpers for the security the database enforces.

Seat passwords are checked and turned into SCRAM-SHA-256 verifiers by the database's
own functions (migration 0008; ``seatdesk.db.secret_channel`` hands them over). The
verifier helper here serves only the embedded server's owner, whose password is set
before any seatdesk function exists.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

#: Functions the admin group may execute; they run as the migration owner.
FN_CREATE_USER = "seatdesk_create_user"
FN_SET_PASSWORD = "seatdesk_set_password"
FN_SET_ACTIVE = "seatdesk_set_active"
FN_SET_ROLES = "seatdesk_set_roles"

_LOGIN_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SCRAM_ITERATIONS = 4096


def valid_login(login: str) -> bool:
    """Logins are PostgreSQL role names we never have to quote, and never the name of a
    group or owner any seatdesk database may need (``seatdesk_…``, ``sd_…``)."""
    return bool(_LOGIN_RE.match(login)) and not login.startswith(("seatdesk_", "sd_", "pg_"))


def scram_verifier(password: str, *, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802/7677)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode("ascii")

    return (
        f"SCRAM-SHA-256${_SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
    )


def generate_password(length: int = 12) -> str:
    """A password for a new account that a person can type from a printout."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))
