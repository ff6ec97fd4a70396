"""The acceptor's queue in the desktop app beside the bare keyset query.

On the demo county with ``--cases`` cases (default 1,000,000), logged in as the demo
acceptor (the seat's own PostgreSQL role, as at a desk):

1. opening the queue: from creating the model and its view to the first rows painted,
   through the app's whole path (``ui.tasks`` worker thread, the service, the Qt model,
   the view) — beside the first page fetched by hand-written SQL on a bare psycopg2
   connection. Median of ``--repeat`` opens. Target: under 300 ms.
2. scrolling to the end page by page (``fetchMore`` as the view asks for it), beside
   walking the same keyset pages with the bare query; both must see the same rows.

    python -m benchmarks.queue_model [--cases 1000000] [--repeat 15] [--max-pages 0]

Prints both figures and the ratio; exits 0 whatever the timings (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QModelIndex
from PySide6.QtWidgets import QApplication, QTableView

from benchmarks.common import prepare_database, psycopg2_connection, say
from seatdesk.domain.glossary import Role, State
from seatdesk.services.queues import PAGE_SIZE, QueueQuery, SortKey, queue_states
from ui.desk import Desk, log_in, open_desk
from ui.models.case_table_model import CaseTableModel

OPEN_TARGET_MS = 300.0
LOGIN = "acceptor1"


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    query: QueueQuery
    key: str  # the SQL sort key of the bare query
    descending: bool


def shapes() -> list[Shape]:
    return [
        Shape(
            "new reports, newest first (the tab it opens on)",
            QueueQuery(role=Role.ACCEPTOR, states=frozenset({State.REPORTED}),
                       sort=SortKey.NUMBER, descending=True),
            "c.number",
            True,
        ),
        Shape(
            "whole acceptor queue, by deadline",
            QueueQuery(role=Role.ACCEPTOR, sort=SortKey.DEADLINE),
            "c.deadline_sort",
            False,
        ),
    ]


def bare_sql(shape: Shape, after: bool) -> str:
    states = ", ".join(f"'{s.value}'" for s in sorted(queue_states(shape.query)))
    direction = " DESC" if shape.descending else ""
    keyset = ""
    if after:
        op = "<" if shape.descending else ">"
        keyset = f" AND ({shape.key}, c.id) {op} (%(v)s, %(id)s)"
    return (
        "SELECT c.id, c.number, c.state, c.deadline_status, c.stage_deadline, cat.code, "
        "cat.name, c.address, c.grid_code, c.current_department, d.name, c.source, "
        f"c.urgency, c.created_at, c.version, {shape.key} AS sort_value FROM cases c "
        "JOIN categories cat ON cat.id = c.category_id "
        "LEFT JOIN departments d ON d.code = c.current_department "
        f"WHERE c.state IN ({states}){keyset} "
        f"ORDER BY {shape.key}{direction}, c.id{direction} LIMIT {PAGE_SIZE + 1}"
    )


def wait_until(app: QApplication, condition: Any, timeout_s: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the model did not answer in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)


def open_once(app: QApplication, desk: Desk, shape: Shape) -> tuple[float, list[int]]:
    """ms from a new model and view to its first rows painted; the ids shown."""
    t0 = time.perf_counter()
    model = CaseTableModel(desk.tasks, shape.query)
    view = QTableView()
    view.resize(1200, 700)
    view.setModel(model)
    view.show()
    model.refresh()
    wait_until(app, lambda: model.rowCount() > 0)
    view.viewport().repaint()  # painted, not only queued: what the person sees
    ms = (time.perf_counter() - t0) * 1000.0
    ids = [model.case_at(i).id for i in range(model.rowCount())]  # type: ignore[union-attr]
    view.close()
    view.deleteLater()
    model.deleteLater()
    app.processEvents()
    return ms, ids


def bare_first_page(conn: Any, shape: Shape) -> tuple[float, list[int]]:
    t0 = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute(bare_sql(shape, False))
        rows = cur.fetchall()
    ms = (time.perf_counter() - t0) * 1000.0
    conn.rollback()
    return ms, [r[0] for r in rows[:PAGE_SIZE]]


def scroll_to_end(app: QApplication, desk: Desk, shape: Shape, max_pages: int) -> tuple[float, int]:
    """Seconds to fetch page after page as a view scrolled to the bottom would; rows."""
    model = CaseTableModel(desk.tasks, shape.query)
    t0 = time.perf_counter()
    model.refresh()
    wait_until(app, lambda: not model.is_busy())
    pages = 1
    while model.canFetchMore(QModelIndex()) and (not max_pages or pages < max_pages):
        model.fetchMore(QModelIndex())
        wait_until(app, lambda: not model.is_busy())
        pages += 1
    seconds = time.perf_counter() - t0
    rows = model.rowCount()
    model.deleteLater()
    return seconds, rows


def bare_walk(conn: Any, shape: Shape, pages: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    rows = 0
    cursor: tuple[Any, int] | None = None
    with conn.cursor() as cur:
        for _ in range(pages):
            if cursor is None:
                cur.execute(bare_sql(shape, False))
            else:
                cur.execute(bare_sql(shape, True), {"v": cursor[0], "id": cursor[1]})
            result = cur.fetchall()
            page = result[:PAGE_SIZE]
            rows += len(page)
            if len(result) <= PAGE_SIZE:
                break
            cursor = (page[-1][15], page[-1][0])
    conn.rollback()
    return time.perf_counter() - t0, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--max-pages", type=int, default=0, help="0: scroll to the end")
    args = parser.parse_args(argv)
    say(f"seatdesk queue model benchmark: {args.cases:,} demo cases, as {LOGIN}")
    db = prepare_database(args.cases)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    desk = open_desk(log_in(db.address, LOGIN, db.passwords[LOGIN]))
    bare = psycopg2_connection(db.login(LOGIN))
    lines: list[str] = []
    try:
        for shape in shapes():
            open_once(app, desk, shape)  # warm-up: connections, plans, Qt's first paint
            bare_first_page(bare, shape)
            ours, theirs = [], []
            for _ in range(args.repeat):
                ms, ids = open_once(app, desk, shape)
                bare_ms, bare_ids = bare_first_page(bare, shape)
                assert ids == bare_ids, (shape.name, ids[:3], bare_ids[:3])
                ours.append(ms)
                theirs.append(bare_ms)
            o, b = statistics.median(ours), statistics.median(theirs)
            verdict = "ok" if o < OPEN_TARGET_MS else "FAIL"
            lines.append(
                f"{'open: ' + shape.name:<58} {o:>9.1f} ms {b:>9.1f} ms {o / b:>7.1f}x  "
                f"{verdict} (< {OPEN_TARGET_MS:.0f} ms)"
            )
            say(lines[-1])
        shape = shapes()[1]
        seconds, rows = scroll_to_end(app, desk, shape, args.max_pages)
        pages = -(-rows // PAGE_SIZE)
        bare_s, bare_rows = bare_walk(bare, shape, pages)
        assert rows == bare_rows, (rows, bare_rows)
        lines.append(
            f"{'scroll to the end: ' + shape.name:<58} {seconds:>9.1f} s  {bare_s:>9.1f} s  "
            f"{seconds / bare_s:>7.1f}x  ({rows:,} rows, {pages:,} pages, "
            f"{seconds / pages * 1000:.1f} vs {bare_s / pages * 1000:.1f} ms a page)"
        )
        say(lines[-1])
    finally:
        bare.close()
        desk.tasks.shutdown()
        db.owner.dispose()
    say()
    say(f"{'':<58} {'app':>12} {'bare SQL':>12} {'ratio':>8}")
    for line in lines:
        say(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
