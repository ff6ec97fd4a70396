"""The password policy (等保 2.0 level 3, identity authentication): pure rules.

A password has at least ``MIN_LENGTH`` characters, characters of at least
``MIN_CLASSES`` of the four classes (lower case, upper case, digits, symbols), and does
not contain the login, whatever its case. It is printable ASCII (space to ``~``), so
that SCRAM's SASLprep leaves it as it is and the database can derive the same verifier
as any PostgreSQL client, and at most ``MAX_LENGTH`` characters.

The database function that stores a password (migration 0008,
``seatdesk_password_problem``) checks the same rules in the same order and names the
failed rule with the same key; ``tests/core/test_accounts.py`` proves they agree.
"""

from __future__ import annotations

import secrets
from enum import StrEnum

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_CLASSES = 3


class PasswordRule(StrEnum):
    """The rule a password breaks; the value is its message key (``problem.<value>``)."""

    CHARACTERS = "password_characters"
    TOO_SHORT = "password_too_short"
    TOO_LONG = "password_too_long"
    FEW_CLASSES = "password_few_classes"
    CONTAINS_LOGIN = "password_contains_login"


class CharClass(StrEnum):
    LOWER = "lower"
    UPPER = "upper"
    DIGIT = "digit"
    SYMBOL = "symbol"


def _printable_ascii(ch: str) -> bool:
    return " " <= ch <= "~"


def char_classes(password: str) -> frozenset[CharClass]:
    """The classes of characters ``password`` uses."""
    found: set[CharClass] = set()
    for ch in password:
        if "a" <= ch <= "z":
            found.add(CharClass.LOWER)
        elif "A" <= ch <= "Z":
            found.add(CharClass.UPPER)
        elif "0" <= ch <= "9":
            found.add(CharClass.DIGIT)
        else:
            found.add(CharClass.SYMBOL)
    return frozenset(found)


def problem(password: str, login: str) -> PasswordRule | None:
    """The first rule ``password`` breaks for the user ``login``, or ``None``."""
    if not all(_printable_ascii(ch) for ch in password):
        return PasswordRule.CHARACTERS
    if len(password) < MIN_LENGTH:
        return PasswordRule.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordRule.TOO_LONG
    if len(char_classes(password)) < MIN_CLASSES:
        return PasswordRule.FEW_CLASSES
    if login and login.lower() in password.lower():
        return PasswordRule.CONTAINS_LOGIN
    return None


#: Letters and digits a person reads back from a printout without confusing them.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate(login: str, length: int = 12) -> str:
    """A random password (from ``secrets``) that satisfies the policy for ``login``."""
    if length < MIN_LENGTH:
        raise ValueError(f"a password has at least {MIN_LENGTH} characters")
    while True:
        candidate = "".join(secrets.choice(_READABLE) for _ in range(length))
        if problem(candidate, login) is None and len(char_classes(candidate)) == 3:
            return candidate

