"""What the grid services share: their errors, the records they return, and the
change notice of any change to the grids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from seatdesk.domain.grids import GridProblem
from seatdesk.errors import Problem, SeatdeskError
from seatdesk.services.common import CaseId, ChangeSet

GRIDS_CHANGED = ChangeSet(entities=frozenset({"grids"}))

#: Problems of the file as a whole (its ``code`` is the file's name).
FILE_PROBLEMS = frozenset({"empty_file", "not_geojson", "bad_shapefile", "bad_crs"})


class InvalidGrids(SeatdeskError):
    """A grid file or change that was refused; ``problems`` holds one sentence each."""

    key = "grid.refused"

    def __init__(
        self, problems: Sequence[GridProblem], warnings: Sequence[GridProblem] = ()
    ) -> None:
        super().__init__(len(problems))
        self.problems = list(problems)
        self.warnings = list(warnings)

    def values(self) -> dict[str, Any]:
        return {"count": len(self.problems)}

    def __str__(self) -> str:
        if len(self.problems) == 1 and self.problems[0].key in FILE_PROBLEMS:
            return str(self.problems[0])  # a file-level problem is the whole story
        return "\n".join([*(str(p) for p in self.problems), super().__str__()])


class GridNotChanged(Problem):
    """A retire or replace that cannot be done (unknown grid, already ended …)."""


# ---- DTOs


@dataclass(frozen=True, slots=True)
class GridInfo:
    code: str
    name: str
    community_code: str
    area_m2: float
    start_date: date
    end_date: date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, with ``check_only``, would do)."""

    checked: int
    added: tuple[str, ...]
    ended: tuple[str, ...]
    renamed: tuple[str, ...]
    unchanged: int
    warnings: tuple[GridProblem, ...]
    applied: bool
    changes: ChangeSet = field(default_factory=ChangeSet)


@dataclass(frozen=True, slots=True)
class UnplacedCase:
    """A case whose location lies outside every grid: the queue of cases to place."""

    id: CaseId
    number: str
    state: str
    address: str
    longitude: float
    latitude: float
