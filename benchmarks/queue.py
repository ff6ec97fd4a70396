"""Queue pages through the services beside the same query written by hand.

On the demo county with ``--cases`` cases (default 1,000,000), for a few realistic
queue shapes, times the first page and the ``--page``-th page (default 500, reached by
following the ``next`` cursors) of ``seatdesk.services.queues.queue`` and of the same
query hand-written in SQL on a bare psycopg2 connection, logged in as the same demo
seat user (row-level security applies to both). Both must return the same ids.

Target (the queue issue): within 1.5× of the hand-written query and under 50 ms a page.
The search shapes (a case number's digits anywhere, a reporter's phone, a reporter's
name, all cases including closed ones) are timed beside the plain SQL a person would
write for the same result (``LIKE '%3002%' OR …``): there the ratio shows what the
indexes of migration 0011 and the service's two-step search gain.

Run from the top of the checkout:

    python -m benchmarks.queue [--cases 1000000] [--repeat 20] [--walk-budget 60] [--explain]

A shape whose walk to the far page takes longer than ``--walk-budget`` seconds gets
that page's cursor from the hand-written query with OFFSET, and its row says so.
EXPLAIN (ANALYZE, BUFFERS) is printed for every page over 50 ms. It exits 0 whatever
the timings: it is a benchmark, not a test.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    # Run as a file: this file's folder would shadow the standard library's ``queue``.
    import sys
    from pathlib import Path

    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import text

from benchmarks.common import (
    BenchDatabase,
    explain,
    interleaved_median_ms,
    prepare_database,
    psycopg2_connection,
    say,
    seat_session,
)
from seatdesk.domain.glossary import DeadlineStatus, Role
from seatdesk.services.queues import Cursor, Page, QueueQuery, SortKey, queue, queue_states

RATIO_TARGET = 1.5
MS_TARGET = 50.0

# ---- The hand-written queries

SELECT = """
SELECT c.id, c.number, c.state, c.deadline_status, c.stage_deadline,
       cat.code, cat.name, c.address, c.grid_code, c.current_department, d.name,
       c.source, c.urgency, c.created_at, c.version, {key} AS sort_value
FROM cases c
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN departments d ON d.code = c.current_department
WHERE {where}{keyset}
ORDER BY {order}
LIMIT %(limit)s
"""
#: The generated column ``coalesce(stage_deadline, '9999-12-31 00:00+00')``.
DEADLINE_KEY = "c.deadline_sort"
#: Overdue, then near the deadline, then the rest, each by deadline (two sort keys).
URGENT_KEY = (
    "CASE c.deadline_status WHEN 'overdue' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END; "
    "c.deadline_sort"
)
#: What a search of digits matches, by hand: the number anywhere, the phone's
#: beginning or end.
DIGITS = (
    "(c.number LIKE %(infix)s OR c.reporter_phone LIKE %(prefix)s "
    "OR c.reporter_phone LIKE %(suffix)s)"
)
CREATED_KEY = "c.created_at"
OPEN = "c.state NOT IN ('closed', 'merged', 'rejected', 'voided')"


@dataclass(frozen=True, slots=True)
class Bare:
    """A hand-written queue query: its filter, sort key and direction."""

    where: str
    key: str
    descending: bool = False
    params: dict[str, Any] = field(default_factory=dict)

    def sql(self, after: bool) -> str:
        direction = " DESC" if self.descending else ""
        keys = [k.strip() for k in self.key.split(";")]
        keyset = ""
        if after:
            op = "<" if self.descending else ">"
            values = ", ".join(f"%(after_value_{i})s" for i in range(len(keys)))
            keyset = f"\n  AND ({', '.join(keys)}, c.id) {op} ({values}, %(after_id)s)"
        return SELECT.format(
            key=", ".join(keys),
            where=self.where,
            keyset=keyset,
            order=", ".join(f"{k}{direction}" for k in [*keys, "c.id"]),
        )

    def params_for(self, cursor: Cursor | None, limit: int) -> dict[str, Any]:
        params = {**self.params, "limit": limit + 1}
        if cursor is not None:
            values = cursor.value if isinstance(cursor.value, tuple) else (cursor.value,)
            params.update({f"after_value_{i}": v for i, v in enumerate(values)})
            params.update(after_id=cursor.id)
        return params


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    login: str
    query: QueueQuery
    bare: Bare
    #: The states the hand-written filter names, checked against the workflow table.
    states: frozenset[str] | None = None


def _digits(needle: str) -> dict[str, str]:
    return {"infix": f"%{needle}%", "prefix": f"{needle}%", "suffix": f"%{needle}"}


def shapes(department: str, number: str, sample: dict[str, str]) -> list[Shape]:
    """The queues measured; ``department`` is the busiest department, ``number`` the
    number of an open case (what a person types into the search box most often);
    ``sample`` an open case's phone and reporter and a closed case's phone."""
    dept_login = f"dept_{department.lower()}"
    road = "解放路"  # in one address of nine
    text_filter = (
        f"{OPEN} AND (c.number ILIKE %(pat)s OR c.address ILIKE %(pat)s "
        "OR c.description ILIKE %(pat)s)"
    )
    return [
        Shape(
            "dispatcher, deadline",
            "dispatcher1",
            QueueQuery(role=Role.DISPATCHER, sort=SortKey.DEADLINE),
            Bare("c.state IN ('registered', 'returned')", DEADLINE_KEY),
            frozenset({"registered", "returned"}),
        ),
        Shape(
            "acceptor, created",
            "acceptor1",
            QueueQuery(role=Role.ACCEPTOR, sort=SortKey.CREATED),
            Bare(
                "c.state IN ('reported', 'verifying', 'verified', 'unverified', "
                "'handled', 'checking')",
                CREATED_KEY,
            ),
            frozenset({"reported", "verifying", "verified", "unverified", "handled", "checking"}),
        ),
        Shape(
            "acceptor, newest first",
            "acceptor1",
            QueueQuery(role=Role.ACCEPTOR, sort=SortKey.CREATED, descending=True),
            Bare(
                "c.state IN ('reported', 'verifying', 'verified', 'unverified', "
                "'handled', 'checking')",
                CREATED_KEY,
                descending=True,
            ),
        ),
        Shape(
            f"department seat {department} (RLS)",
            dept_login,
            QueueQuery(role=Role.DEPARTMENT, sort=SortKey.DEADLINE),
            Bare("c.state IN ('dispatched', 'handling', 'postponed')", DEADLINE_KEY),
            frozenset({"dispatched", "handling", "postponed"}),
        ),
        Shape(
            f"leader, dept={department}",
            "leader1",
            QueueQuery(department=department, sort=SortKey.DEADLINE),
            Bare(
                f"{OPEN} AND c.current_department = %(dept)s",
                DEADLINE_KEY,
                params={"dept": department},
            ),
        ),
        Shape(
            "leader, overdue",
            "leader1",
            QueueQuery(deadline_status=DeadlineStatus.OVERDUE, sort=SortKey.DEADLINE),
            Bare(f"{OPEN} AND c.deadline_status = 'overdue'", DEADLINE_KEY),
        ),
        Shape(
            f"open cases, text '{road}'",
            "dispatcher1",
            QueueQuery(text=road, sort=SortKey.DEADLINE),
            Bare(text_filter, DEADLINE_KEY, params={"pat": f"%{road}%"}),
        ),
        Shape(
            "open cases, case number",
            "dispatcher1",
            QueueQuery(text=number, sort=SortKey.DEADLINE),
            Bare(f"{OPEN} AND {DIGITS}", DEADLINE_KEY, params=_digits(number)),
        ),
        Shape(
            f"open cases, number infix '{number[5:9]}'",
            "acceptor1",
            QueueQuery(text=number[5:9], sort=SortKey.DEADLINE),
            Bare(f"{OPEN} AND {DIGITS}", DEADLINE_KEY, params=_digits(number[5:9])),
        ),
        Shape(
            "open cases, reporter's phone",
            "acceptor1",
            QueueQuery(text=sample["phone"], sort=SortKey.DEADLINE),
            Bare(f"{OPEN} AND {DIGITS}", DEADLINE_KEY, params=_digits(sample["phone"])),
        ),
        Shape(
            f"open cases, reporter '{sample['reporter']}'",
            "acceptor1",
            QueueQuery(text=sample["reporter"], sort=SortKey.DEADLINE),
            Bare(
                f"{OPEN} AND c.reporter LIKE %(name)s",
                DEADLINE_KEY,
                params={"name": sample["reporter"] + "%"},
            ),
        ),
        Shape(
            "all cases, phone of a closed case",
            "acceptor1",
            QueueQuery(
                text=sample["closed_phone"], include_closed=True, sort=SortKey.NUMBER,
                descending=True,
            ),
            Bare(DIGITS, "c.number", descending=True, params=_digits(sample["closed_phone"])),
        ),
        Shape(
            f"all cases, number infix '{number[5:9]}'",
            "acceptor1",
            QueueQuery(
                text=number[5:9], include_closed=True, sort=SortKey.NUMBER, descending=True
            ),
            Bare(DIGITS, "c.number", descending=True, params=_digits(number[5:9])),
        ),
        Shape(
            "dispatcher, most urgent first",
            "dispatcher1",
            QueueQuery(role=Role.DISPATCHER, sort=SortKey.URGENT),
            Bare("c.state IN ('registered', 'returned')", URGENT_KEY),
        ),
    ]


# ---- Walking and timing


@dataclass
class Walk:
    """Where the n-th page of a shape starts, and whether the cursors got there."""

    page: int  # the page number reached (1-based)
    cursor: Cursor | None  # the cursor that fetches it
    stuck_at: int | None = None  # the first page that repeated a row already shown
    over_budget: bool = False  # the walk stopped early; ``cursor`` came from OFFSET


def walk_to(session: Any, query: QueueQuery, page: int, budget_s: float) -> Walk:
    """Follow ``next`` from the first page to ``page`` (or the last page, or the first
    page whose cursor did not move on: one that shows a row again).

    A walk that takes longer than ``budget_s`` stops; the caller then finds the far
    page's cursor with OFFSET instead.
    """
    seen: set[int] = set()
    cursor: Cursor | None = None
    walk = Walk(page=1, cursor=None)
    n = 1
    deadline = time.perf_counter() + budget_s
    while True:
        if time.perf_counter() > deadline:
            walk.over_budget = True
            return walk
        result = queue(session, replace(query, after=cursor))
        ids = [r.id for r in result.rows]
        if seen.intersection(ids):
            walk.stuck_at = n
            return walk
        seen.update(ids)
        walk.page, walk.cursor = n, cursor
        if n == page or result.next is None:
            return walk
        cursor = result.next
        n += 1


@dataclass
class Result:
    shape: str
    page: str
    ours_ms: float
    bare_ms: float
    rows: int
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.bare_ms if self.bare_ms else float("inf")

    @property
    def ok_ratio(self) -> bool:
        return self.ratio <= RATIO_TARGET

    @property
    def ok_ms(self) -> bool:
        return self.ours_ms < MS_TARGET


def cursor_by_offset(conn: Any, shape: Shape, page: int, limit: int) -> Cursor | None:
    """The cursor of the ``page``-th page, from the hand-written query with OFFSET."""
    sql = shape.bare.sql(False).replace("LIMIT %(limit)s", "LIMIT 1 OFFSET %(offset)s")
    params = {**shape.bare.params, "offset": (page - 1) * limit - 1}
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    conn.rollback()
    if not row:
        return None
    width = len(shape.bare.key.split(";"))
    return Cursor(row[-1] if width == 1 else tuple(row[-width:]), row[0])


def bare_fetch(conn: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
    return rows


def measure(
    db: BenchDatabase,
    shape: Shape,
    *,
    page: int,
    repeat: int,
    warmup: int,
    explain_all: bool,
    walk_budget: float,
) -> tuple[list[Result], list[str], Walk]:
    engine, session = seat_session(db, shape.login)
    bare_conn = psycopg2_connection(db.login(shape.login))
    explains: list[str] = []
    try:
        if shape.states is not None:
            derived = {s.value for s in queue_states(shape.query)}
            assert derived == shape.states, (shape.name, sorted(derived))
        t0 = time.perf_counter()
        walk = walk_to(session, shape.query, page, walk_budget)
        walk_s = time.perf_counter() - t0
        if walk.stuck_at is not None:
            label = f"p.{walk.page} (stuck)"
            note = f"p.{walk.stuck_at} repeats rows of earlier pages"
        elif walk.over_budget:
            note = f"walk over {walk_budget:.0f}s budget at p.{walk.page}; cursor by OFFSET"
            cursor = cursor_by_offset(bare_conn, shape, page, shape.query.limit)
            if cursor is not None:
                walk.page, walk.cursor = page, cursor
            label = f"p.{walk.page} (OFFSET)"
        else:
            label = f"p.{walk.page}" if walk.page == page else f"p.{walk.page} (last)"
            note = ""
        say(f"  {shape.name}: walked to {label} in {walk_s:.1f}s" + (f": {note}" if note else ""))
        results = []
        for cursor, page_label in ((None, "p.1"), (walk.cursor, label)):
            if page_label != "p.1" and walk.page == 1:
                break
            query = replace(shape.query, after=cursor)
            sql = shape.bare.sql(cursor is not None)
            params = shape.bare.params_for(cursor, query.limit)

            def ours(query: QueueQuery = query) -> Page:
                return queue(session, query)

            def bare(sql: str = sql, params: dict[str, Any] = params) -> list[tuple[Any, ...]]:
                return bare_fetch(bare_conn, sql, params)

            ours_ids = [r.id for r in ours().rows]
            bare_ids = [r[0] for r in bare()[: query.limit]]
            assert ours_ids == bare_ids, (shape.name, page_label, ours_ids[:5], bare_ids[:5])
            fns: list[Callable[[], object]] = [ours, bare]
            ours_ms, bare_ms = interleaved_median_ms(fns, repeat=repeat, warmup=warmup)
            result = Result(
                shape.name,
                page_label,
                ours_ms,
                bare_ms,
                len(ours_ids),
                note if cursor is not None else "",
            )
            results.append(result)
            if explain_all or not result.ok_ms:
                explains.append(
                    f"--- {shape.name}, {page_label} (as {shape.login})\n"
                    + explain(bare_conn, sql, params)
                )
        return results, explains, walk
    finally:
        session.close()
        engine.dispose()
        bare_conn.close()


def busiest_department(db: BenchDatabase) -> str:
    """The department with the most cases in its own queue: the heaviest seat."""
    with db.owner.connect() as conn:
        return str(
            conn.execute(
                text(
                    "SELECT current_department FROM cases "
                    "WHERE state IN ('dispatched', 'handling', 'postponed') "
                    "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
                )
            ).scalar_one()
        )


def open_case_number(db: BenchDatabase) -> str:
    """The number of an open case from the middle of the table."""
    with db.owner.connect() as conn:
        return str(
            conn.execute(
                text(
                    f"SELECT c.number FROM cases c WHERE {OPEN} AND c.id >= "
                    "(SELECT max(id) / 2 FROM cases) ORDER BY c.id LIMIT 1"
                )
            ).scalar_one()
        )


def search_sample(db: BenchDatabase) -> dict[str, str]:
    """An open case's phone and reporter, and a closed case's phone, from the middle."""
    with db.owner.connect() as conn:
        open_row = conn.execute(
            text(
                f"SELECT c.reporter_phone, c.reporter FROM cases c WHERE {OPEN} "
                "AND c.reporter_phone IS NOT NULL AND c.id >= (SELECT max(id) / 3 FROM cases) "
                "ORDER BY c.id LIMIT 1"
            )
        ).one()
        closed = conn.execute(
            text(
                "SELECT c.reporter_phone FROM cases c WHERE c.state = 'closed' "
                "AND c.reporter_phone IS NOT NULL AND c.id >= (SELECT max(id) / 4 FROM cases) "
                "ORDER BY c.id LIMIT 1"
            )
        ).scalar_one()
    return {"phone": open_row[0], "reporter": open_row[1], "closed_phone": closed}


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a CJK character takes two)."""
    cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cols)


def print_table(results: list[Result]) -> None:
    """The table; ``+ms`` is what the services add to the hand-written query."""
    say()
    say(
        f"{_pad('shape', 34)} {_pad('page', 15)} {'rows':>4} {'ours ms':>8} {'bare ms':>8} "
        f"{'+ms':>6} {'ratio':>6}  target (<= {RATIO_TARGET}x, < {MS_TARGET:.0f} ms)"
    )
    say("-" * 110)
    for r in results:
        bad = [x for x, miss in (("ratio", not r.ok_ratio), ("ms", not r.ok_ms)) if miss]
        verdict = "ok" if not bad else "FAIL " + ", ".join(bad)
        say(
            f"{_pad(r.shape, 34)} {_pad(r.page, 15)} {r.rows:>4} {r.ours_ms:>8.2f} "
            f"{r.bare_ms:>8.2f} {r.ours_ms - r.bare_ms:>+6.2f} {r.ratio:>5.2f}x  {verdict}"
            + (f"  [{r.note}]" if r.note else "")
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--page", type=int, default=500, help="the far page to time")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run the shapes whose name contains this")
    parser.add_argument(
        "--walk-budget",
        type=float,
        default=60.0,
        help="seconds a shape may spend following cursors to the far page; past it the "
        "far page's cursor is found with OFFSET (and the row says so)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of every bare query, "
        "not only of those that miss a target",
    )
    args = parser.parse_args(argv)

    say(
        f"seatdesk queue benchmark: {args.cases:,} demo cases, page 1 and page {args.page}, "
        f"median of {args.repeat} after {args.warmup} warm-ups"
    )
    db = prepare_database(args.cases)
    department = busiest_department(db)
    sample = search_sample(db)
    selected = [
        s for s in shapes(department, open_case_number(db), sample) if args.only in s.name
    ]
    say(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: list[Result] = []
    explains: list[str] = []
    stuck: list[str] = []
    for shape in selected:
        r, e, walk = measure(
            db,
            shape,
            page=args.page,
            repeat=args.repeat,
            warmup=args.warmup,
            explain_all=args.explain,
            walk_budget=args.walk_budget,
        )
        results += r
        explains += e
        if walk.stuck_at is not None:
            stuck.append(f"{shape.name} at p.{walk.stuck_at}")

    if explains:
        say()
        say(
            "EXPLAIN (ANALYZE, BUFFERS) of the hand-written queries"
            + (":" if args.explain else f" of the pages over {MS_TARGET:.0f} ms:")
        )
        for plan in explains:
            say(plan)
    print_table(results)
    say(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    say()
    n = len(results)
    ratio_ok = [r for r in results if r.ok_ratio]
    ms_ok = [r for r in results if r.ok_ms]

    def misses(ok: list[Result]) -> str:
        bad = [f"{r.shape} {r.page}" for r in results if r not in ok]
        return f" — misses: {'; '.join(bad)}" if bad else ""

    say(
        f"{'PASS' if len(ratio_ok) == n else 'FAIL'}  ours within {RATIO_TARGET}x of "
        f"hand-written SQL: {len(ratio_ok)}/{n}{misses(ratio_ok)}"
    )
    say(
        f"{'PASS' if len(ms_ok) == n else 'FAIL'}  ours under {MS_TARGET:.0f} ms a page: "
        f"{len(ms_ok)}/{n}{misses(ms_ok)}"
    )
    say(
        f"{'PASS' if not stuck else 'FAIL'}  keyset cursors move on"
        + (f" — a page repeats rows: {'; '.join(stuck)}" if stuck else "")
    )
    db.owner.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
