"""The free-text shapes of a queue search, each one an index of migration 0011 answers.

Four digits or more find case numbers wherever the digits stand in the number and phone
numbers by their beginning or end; other text finds the reporter's name by its
beginning; the ILIKE pattern reads number, address and description (only ever within
bounded slices of a queue, see ``seatdesk.services.queues``). Re-exported by
``seatdesk.services.queues``.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from sqlalchemy import ColumnElement, String, any_, bindparam, literal_column, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter

from seatdesk.db.models import Case

#: Case numbers are this long (year + seven digits); 0011 indexes every start of a
#: needle of at least ``MIN_DIGITS`` digits inside one.
NUMBER_LENGTH = 11
MIN_DIGITS = 4


class SearchKind(StrEnum):
    """How a free-text needle was looked for (the status line says so)."""

    NUMBER_OR_PHONE = "number_or_phone"
    REPORTER = "reporter"
    TEXT = "text"


def search_kind(text: str, *, found_indexed: bool = True) -> SearchKind:
    needle = text.strip()
    if needle.isdigit() and len(needle) >= MIN_DIGITS:
        return SearchKind.NUMBER_OR_PHONE
    return SearchKind.REPORTER if found_indexed else SearchKind.TEXT


def indexed_params(needle: str) -> dict[str, str]:
    if needle.isdigit() and len(needle) >= MIN_DIGITS:
        return {"digits": needle + "%", "digits_reversed": needle[::-1] + "%"}
    return {"reporter": escape_like(needle) + "%"}


def match_condition(names: frozenset[str]) -> ColumnElement[bool] | None:
    """The search condition of the bound names: each shape an index of 0011 answers."""
    shapes: list[ColumnElement[bool]] = []
    if "digits" in names:
        digits: BindParameter[str] = bindparam("digits")
        last = NUMBER_LENGTH - MIN_DIGITS + 1
        shapes.append(Case.number.like(digits))
        shapes += [
            literal_column(f"substr(cases.number, {k})", String).like(digits)
            for k in range(2, last + 1)
        ]
        shapes.append(Case.reporter_phone.like(digits))
        shapes.append(
            literal_column("reverse(cases.reporter_phone)", String).like(
                bindparam("digits_reversed")
            )
        )
    if "reporter" in names:
        shapes.append(Case.reporter.like(bindparam("reporter")))
    if "pattern" in names:
        pattern: BindParameter[str] = bindparam("pattern")
        shapes += [
            Case.number.ilike(pattern, escape="\\"),
            Case.address.ilike(pattern, escape="\\"),
            Case.description.ilike(pattern, escape="\\"),
        ]
    return or_(*shapes) if shapes else None


@functools.lru_cache(maxsize=16)
def candidates(names: frozenset[str]) -> Executable:
    """The ids of a queue's states that the indexed shapes match, at most ``cap``."""
    match = match_condition(names)
    assert match is not None
    return (
        select(Case.id)
        .where(Case.state == any_(bindparam("states", type_=ARRAY(String))), match)
        .limit(bindparam("cap"))
    )


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
