"""The sentences the core shows to people, in Chinese and English.

Error messages, CLI output and export headers come from here, so the CLI and the
exports speak Chinese without Qt. Templates use named placeholders only; the language
is chosen at display time (``SEATDESK_LANG``, default Chinese), never at import time.

The catalogue is split by area
(one module each, listed in ``_AREAS``): a new sentence goes into its area's
``CATALOG``. The names of the domain words themselves (states, actions, roles …) are
terms, not sentences: ``seatdesk.terms``.
"""

from __future__ import annotations

import os
from typing import Any

from seatdesk.messages import (
    accounts,
    assessment,
    backups,
    breakdowns,
    cases,
    cli,
    collectors,
    complaints,
    connection,
    deadlines,
    departments,
    exports,
    fields,
    grids,
    imports,
    intake,
    replica,
    rules,
    statistics,
    supervision,
    workbooks,
)

_AREAS = (
    cases,
    complaints,
    accounts,
    connection,
    deadlines,
    fields,
    grids,
    exports,
    cli,
    imports,
    intake,
    statistics,
    supervision,
    workbooks,
    breakdowns,
    departments,
    rules,
    collectors,
    backups,
    replica,
    assessment,
)

_CATALOG: dict[str, tuple[str, str]] = {}
for _area in _AREAS:
    # A key in two areas would make one of them silently win: refuse at import.
    _twice = _CATALOG.keys() & _area.CATALOG.keys()
    assert not _twice, f"message keys defined twice: {sorted(_twice)}"
    _CATALOG.update(_area.CATALOG)


def language() -> str:
    """``zh`` or ``en``, from ``SEATDESK_LANG`` (default Chinese, as the centre speaks)."""
    lang = os.environ.get("SEATDESK_LANG", "zh").lower()
    return "en" if lang.startswith("en") else "zh"


def t(key: str, **values: Any) -> str:
    """The sentence ``key`` in the current language, with its placeholders filled."""
    en, zh = _CATALOG[key]
    template = en if language() == "en" else zh
    return template.format(**values)


def keys() -> frozenset[str]:
    return frozenset(_CATALOG)


def templates(key: str) -> tuple[str, str]:
    return _CATALOG[key]
