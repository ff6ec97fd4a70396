"""Unit grids: import and check, export, history, and point → grid lookup.

Import is all or nothing: every grid of the file is checked (code, polygon, dates,
overlaps with every grid active at the same time, gaps and strays in each community)
and a single problem anywhere refuses the whole file with one sentence per problem
(``InvalidGrids``). A changed grid never keeps its code: its old code gets an end date
and the new boundary a new code (``replace_grid``), so history is kept and the map can
show the grids as of any date.

Grid geometry stays GeoJSON in ``grids.polygon``; bounding boxes and the spatial index
(a shapely ``STRtree``) are computed in Python when the grids are loaded, which takes
well under a second for 10,000 grids and is cached until the grids change.

One module per job, all reached through this package (``from seatdesk.services import
grids``; ``grids.import_grids``):

- ``files``: reading GeoJSON and shapefiles, in any coordinate system;
- ``plan``: parsing features and checking an import against the stored grids;
- ``changes``: applying an import, ending and replacing a grid;
- ``index``: the point → grid index, and placing cases that lay outside every grid;
- ``layers``: the grids as of a day, the GeoJSON export, the map's layers and cases;
- ``records``: the errors and records they share.
"""

from __future__ import annotations

from seatdesk.services.grids.changes import import_grids, replace_grid, retire_grid
from seatdesk.services.grids.files import GEOGRAPHIC, read_grid_file, to_feature_collection
from seatdesk.services.grids.index import (
    GridIndex,
    grid_index,
    locate,
    outside_warning,
    place_cases,
    unplaced_cases,
)
from seatdesk.services.grids.layers import (
    case_points,
    export_grids,
    grid_case_counts,
    grids_as_of,
    map_layers,
)
from seatdesk.services.grids.plan import ALIASES
from seatdesk.services.grids.records import (
    FILE_PROBLEMS,
    GRIDS_CHANGED,
    GridInfo,
    GridNotChanged,
    ImportReport,
    InvalidGrids,
    UnplacedCase,
)

__all__ = [
    "ALIASES",
    "FILE_PROBLEMS",
    "GEOGRAPHIC",
    "GRIDS_CHANGED",
    "GridIndex",
    "GridInfo",
    "GridNotChanged",
    "ImportReport",
    "InvalidGrids",
    "UnplacedCase",
    "case_points",
    "export_grids",
    "grid_case_counts",
    "grid_index",
    "grids_as_of",
    "import_grids",
    "locate",
    "map_layers",
    "outside_warning",
    "place_cases",
    "read_grid_file",
    "replace_grid",
    "retire_grid",
    "to_feature_collection",
    "unplaced_cases",
]
