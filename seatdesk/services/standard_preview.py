"""The city's standard sheet, previewed before it is applied.

An administrator reads a sheet (``seatdesk standards``' format, ``standards.HEADERS``)
and sees, before anything is written, what it would do: each row ADDED (a filing
condition the class does not have yet), CHANGED (with every field's old → new) or
UNCHANGED, and each BAD row with one sentence. Only a sheet without bad rows is applied,
in one call of ``seatdesk_apply_standard`` (one transaction: all rows or none).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.models import Category, Department, FilingCondition
from seatdesk.domain.glossary import CaseType, TimeUnit
from seatdesk.domain.limits import format_limit
from seatdesk.errors import Problem
from seatdesk.progress import NoProgress, Progress
from seatdesk.services import rules
from seatdesk.services.common import ChangeSet, require_admin
from seatdesk.services.standards import BadRow, StandardRow, apply_rows, read_standard_rows

#: A class holds at most this many filing conditions (the table's CHECK).
MAX_CONDITIONS = 8


class RowChange(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a filing condition the sheet changes (``field``: a
    ``seatdesk.messages`` ``field.*`` name)."""

    field: str
    old: str
    new: str

    def describe(self) -> str:
        """"处置时限：4工作时 → 6工作时", in the reader's language."""
        return messages.t("rules.field_change", field=messages.t(self.field),
                          old=self.old or "—", new=self.new or "—")


@dataclass(frozen=True, slots=True)
class PreviewRow:
    row: int
    change: RowChange
    minor_code: str
    minor_name: str
    seq: int
    condition: str
    limit: str
    changes: tuple[FieldChange, ...]
    source: StandardRow


@dataclass(frozen=True, slots=True)
class StandardPreview:
    case_type: str
    rows: tuple[PreviewRow, ...]
    bad: tuple[BadRow, ...]
    #: Classes to add first: (code, name, major class code or None for a major class).
    new_classes: tuple[tuple[str, str, str | None], ...] = ()

    def count(self, change: RowChange) -> int:
        return sum(1 for r in self.rows if r.change is change)

    @property
    def can_apply(self) -> bool:
        """Nothing bad, and something to write."""
        return not self.bad and any(r.change is not RowChange.UNCHANGED for r in self.rows)


def preview_standard(session: Session, path: Path, case_type: str = "component",
                     progress: Progress | None = None) -> StandardPreview:
    """What applying the sheet at ``path`` would do; writes nothing."""
    progress = progress or NoProgress()
    progress.start(2)
    progress.status(path.name)
    good, bad = read_standard_rows(path)
    progress.advance()
    preview = classify(session, good, bad, case_type)
    progress.advance()
    return preview


def classify(session: Session, good: list[StandardRow], bad: list[BadRow],
             case_type: str) -> StandardPreview:
    """Each good row against the catalogue as it is; rows the catalogue refuses (an
    unknown department, a ninth condition, a class neither in the catalogue nor named
    by the sheet) join the bad ones."""
    classes = {
        c.code: c
        for c in session.execute(select(Category).where(Category.case_type == case_type))
        .scalars()
    }
    departments: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, name, active in session.execute(
        select(Department.code, Department.name, Department.active)
    ).all():
        names[code] = name
        if active:
            departments[name] = code
            departments[code] = code
    existing: dict[tuple[int, int], FilingCondition] = {
        (f.category_id, f.seq): f for f in session.execute(select(FilingCondition)).scalars()
    }
    out: list[PreviewRow] = []
    problems = list(bad)
    seqs: dict[str, int] = defaultdict(int)
    # Classes the catalogue lacks, added under the sheet's names (a new centre's
    # catalogue starts empty): code → (name, its major class's code or None).
    new_classes: dict[str, tuple[str, str | None]] = {}
    for row in good:
        minor, major = classes.get(row.minor_code), classes.get(row.major_code)
        mismatched = (not row.minor_code.startswith(row.major_code)
                      or (minor is not None and (major is None or minor.parent_id != major.id)))
        if mismatched:
            problems.append(BadRow(row.row, "rules.row_unknown_class",
                                   (("major", row.major_code), ("minor", row.minor_code))))
            continue
        if minor is None and (not row.minor_name or (major is None and not row.major_name)):
            problems.append(BadRow(row.row, "rules.row_class_unnamed",
                                   (("major", row.major_code), ("minor", row.minor_code))))
            continue
        handling = departments.get(row.handling)
        supervising = departments.get(row.supervising) if row.supervising else None
        unknown = row.handling if handling is None else (
            row.supervising if row.supervising and supervising is None else None)
        if unknown is not None:
            problems.append(BadRow(row.row, "rules.row_unknown_department",
                                   (("name", unknown or "—"),)))
            continue
        if major is None:
            new_classes.setdefault(row.major_code, (row.major_name, None))
        if minor is None:
            new_classes.setdefault(row.minor_code, (row.minor_name, row.major_code))
        seqs[row.minor_code] += 1
        seq = seqs[row.minor_code]
        if seq > MAX_CONDITIONS:
            problems.append(BadRow(row.row, "rules.row_too_many"))
            continue
        closing = row.closing or row.condition
        new = {
            "field.filing_condition": row.condition,
            "field.closing_condition": closing,
            "field.limit_amount": format_limit(row.amount, row.unit),
            "field.department": names.get(handling or "", ""),
            "field.supervising_department": names.get(supervising or "", ""),
        }
        before = None if minor is None else existing.get((minor.id, seq))
        changes: tuple[FieldChange, ...] = ()
        if before is None:
            change = RowChange.ADDED
        else:
            old = {
                "field.filing_condition": before.description,
                "field.closing_condition": before.closing_condition,
                "field.limit_amount": format_limit(Decimal(before.limit_amount),
                                                   TimeUnit(before.limit_unit)),
                "field.department": names.get(before.handling_department_code, ""),
                "field.supervising_department": names.get(
                    before.supervising_department_code or "", ""),
            }
            changes = tuple(FieldChange(k, old[k], v) for k, v in new.items() if old[k] != v)
            change = RowChange.CHANGED if changes else RowChange.UNCHANGED
        out.append(PreviewRow(row.row, change, row.minor_code,
                              row.minor_name if minor is None else minor.name, seq,
                              row.condition, new["field.limit_amount"], changes, row))
    problems.sort(key=lambda b: b.row)
    # Major classes before their minors, as they must be added.
    added = tuple(sorted(((code, name, parent) for code, (name, parent) in new_classes.items()),
                         key=lambda c: (len(c[0]), c[0])))
    return StandardPreview(case_type, tuple(out), tuple(problems), added)


def apply_preview(session: Session, preview: StandardPreview,
                  progress: Progress | None = None) -> ChangeSet:
    """Apply a previewed sheet in one transaction; refused while any row is bad."""
    require_admin(session, "standard import")
    if preview.bad:
        raise Problem("rules.standard_has_bad_rows", count=len(preview.bad))
    progress = progress or NoProgress()
    progress.start(1 + len(preview.new_classes))
    # In the same transaction as the rows: a refused row leaves no class behind either.
    for code, name, major in preview.new_classes:
        rules.save_class(session, case_type=CaseType(preview.case_type), code=code, name=name,
                         major_code=major)
        progress.advance()
    changes = apply_rows(session, [r.source for r in preview.rows], preview.case_type)
    progress.advance()
    return changes


def import_standard_file(session: Session, path: Path, case_type: str = "component",
                         progress: Progress | None = None) -> StandardPreview:
    """``seatdesk standards import``: the desk's preview, then, when no row is bad, its
    apply (the classes the sheet names and the catalogue lacks added first), in the
    caller's transaction; ``Problem`` naming the first bad rows otherwise, and nothing
    written. Returns the preview, for what was done."""
    preview = preview_standard(session, path, case_type, progress)
    if preview.bad:
        raise Problem("standard_bad_rows", path=path.name,
                      problems="; ".join(b.sentence() for b in preview.bad[:10]))
    apply_preview(session, preview, progress)
    return preview
