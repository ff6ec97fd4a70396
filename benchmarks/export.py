"""The detailed case list of 100,000 cases to Excel, against bare openpyxl.

    SEATDESK_BENCH_DIR=/path python -m benchmarks.export [--cases 100000]

The cases are the first ``--cases`` reported in the bench database (a period that holds
them: the database may hold the statistics' million). Ours:
``seatdesk.services.case_list.export_case_list`` as the inspector's login
(row-level security, keyset pages through SQLAlchemy, masked phones, the words of the
states and sources, progress; its rows written by ``services/plain_rows.py``). Bare:
the same statement through one psycopg2 server-side cursor and
``openpyxl.Workbook(write_only=True)`` appending the same cells, no styles. Each runs in
a child process of its own, so that the peak memory of each is its own resident set
(``ru_maxrss``, measured the same way for both); the run reads both files back and
checks that they hold the same rows, every one of them. Targets: ours under 15 s and
within 1.2x of bare; exit code 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_SECONDS = 15.0
TARGET_RATIO = 1.2
LOGIN = "inspector1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2,
                        help="Runs of each, in the order bare, ours, ours, bare, …")
    parser.add_argument(
        "--ratio-only", action="store_true",
        help="Fail only on the ratio (and on files that differ): for a machine on which "
        "bare openpyxl itself cannot write the cells in 15 s; the time is still printed "
        "against its target.",
    )
    parser.add_argument("--child", choices=["ours", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = _ours(args.out) if args.child == "ours" else _bare(args.out)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result["max_rss_mb"] = usage.ru_maxrss / 1024
        # The child's own CPU time (the database's is the server's, the same statement
        # for both): a figure the other processes of a busy machine disturb less.
        result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        print(json.dumps(result))
        return 0
    return _compare(args.cases, args.rounds, ratio_only=args.ratio_only)


def _compare(cases: int, rounds: int, *, ratio_only: bool = False) -> int:
    from benchmarks.common import prepare_database, say

    db = prepare_database(cases)
    start, end, expected = _period_of_first(db.owner, cases)
    say(f"  the period of the first {cases:,} cases reported: {start:%Y-%m-%d %H:%M} to "
        f"{end:%Y-%m-%d %H:%M}, {expected:,} cases of the {db.cases:,} in the database")
    address = db.login(LOGIN)
    env = {
        **os.environ,
        "BENCH_EXPORT_URL": address.url.render_as_string(hide_password=False),
        "BENCH_EXPORT_TZ": address.timezone,
        "BENCH_EXPORT_START": start.isoformat(),
        "BENCH_EXPORT_END": end.isoformat(),
        # One moment at which both judge "overdue": a case of a fresh bench database whose
        # deadline falls between the runs would otherwise differ in that column.
        "BENCH_EXPORT_AS_OF": datetime.now().astimezone().isoformat(),
    }
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "ours": []}
    # ABBA order: a machine whose load drifts weighs on both alike; the best run of each
    # is the one least disturbed by the others on the machine.
    order = [w for i in range(rounds) for w in (("bare", "ours") if i % 2 == 0 else
                                                ("ours", "bare"))]
    with tempfile.TemporaryDirectory(prefix="seatdesk-export-") as folder:
        for which in order:
            out = Path(folder) / f"{which}.xlsx"
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.export", "--child", which, "--out", str(out)],
                env=env, capture_output=True, text=True, check=False,
            )
            if done.returncode != 0:
                say(done.stderr)
                return 1
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["bytes"] = out.stat().st_size
            runs[which].append(run)
            say(f"  {which}: {run['seconds']:.2f}s (CPU {run['cpu_seconds']:.2f}s), "
                f"peak RSS {run['max_rss_mb']:.0f}MB")
        same = _same_rows(Path(folder) / "ours.xlsx", Path(folder) / "bare.xlsx")
    ours, bare = (min(runs[w], key=lambda r: r["seconds"]) for w in ("ours", "bare"))
    ratio = ours["seconds"] / bare["seconds"]
    cpu_ratio = ours["cpu_seconds"] / bare["cpu_seconds"]
    say(f"\ndetailed case list of {ours['rows']:,} cases as {LOGIN}, "
        f"{ours['columns']} columns ({ours['rows'] * ours['columns']:,} cells)")
    say(f"  {'':26}{'time':>10}{'CPU':>10}{'peak RSS':>12}{'file':>10}")
    for label, r in (("seatdesk export_case_list", ours), ("bare psycopg2 + openpyxl", bare)):
        say(f"  {label:26}{r['seconds']:>9.2f}s{r['cpu_seconds']:>9.2f}s"
            f"{r['max_rss_mb']:>10.0f}MB{r['bytes'] / 1e6:>8.1f}MB")
    say(f"  ratio ours/bare: {ratio:.2f}x (target <= {TARGET_RATIO}x); "
        f"ours {ours['seconds']:.1f}s (target < {TARGET_SECONDS:.0f}s); "
        f"same rows in both files: {same}")
    say(f"  CPU ratio ours/bare: {cpu_ratio:.2f}x; "
        f"load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    same_cells = ours["rows"] == bare["rows"] == expected and same
    in_time = ours["seconds"] < TARGET_SECONDS
    ok = same_cells and ratio <= TARGET_RATIO and in_time
    say("  within target" if ok else "  MISSED the target")
    if not in_time and bare["seconds"] >= TARGET_SECONDS:
        say(f"  (bare openpyxl alone took {bare['seconds']:.1f}s here: the {TARGET_SECONDS:.0f}s "
            "target is beyond this machine's openpyxl, whatever seatdesk does)")
    if ratio_only:
        return 0 if same_cells and ratio <= TARGET_RATIO else 1
    return 0 if ok else 1


def _period_of_first(owner: Any, cases: int) -> tuple[datetime, datetime, int]:
    """The period [start, end) that holds the first ``cases`` cases reported (a bench
    database may hold more: the statistics' million), and how many it holds (a tie at
    the end may add one or two)."""
    from sqlalchemy import text

    with owner.connect() as conn:
        start, last = conn.execute(text(
            "SELECT min(created_at), max(created_at) FROM "
            "(SELECT created_at FROM cases ORDER BY created_at LIMIT :n) c"), {"n": cases}).one()
        end = last + timedelta(microseconds=1)
        expected = conn.execute(text(
            "SELECT count(*) FROM cases WHERE created_at >= :s AND created_at < :e"),
            {"s": start, "e": end}).scalar_one()
    return start, end, int(expected)


def _ours(out: Path) -> dict[str, Any]:
    from seatdesk.db.engine import address_from_url, connect, session_factory
    from seatdesk.domain.statistics import StatsFilter
    from seatdesk.services.case_list import CASE_LIST_COLUMNS, export_case_list

    address = address_from_url(os.environ["BENCH_EXPORT_URL"],
                               timezone=os.environ["BENCH_EXPORT_TZ"])
    engine = connect(address)
    f = StatsFilter(datetime.fromisoformat(os.environ["BENCH_EXPORT_START"]),
                    datetime.fromisoformat(os.environ["BENCH_EXPORT_END"]))
    t0 = time.perf_counter()
    with session_factory(engine)() as session:
        result = export_case_list(
            session, f, out, as_of=datetime.fromisoformat(os.environ["BENCH_EXPORT_AS_OF"]))
    return {"seconds": time.perf_counter() - t0, "rows": result.rows,
            "columns": len(CASE_LIST_COLUMNS)}


def _bare(out: Path) -> dict[str, Any]:
    import openpyxl
    import psycopg2
    from sqlalchemy.engine import make_url

    from seatdesk import messages
    from seatdesk.domain.glossary import Source, State
    from seatdesk.services.case_list import CASE_LIST_SQL, HANDLING_STATES, case_list_headers
    from seatdesk.terms import term

    url = make_url(os.environ["BENCH_EXPORT_URL"])
    host = url.query.get("host")
    words = {m.value: term(m) for enum in (Source, State) for m in enum}
    flag = {True: messages.t("workbook.yes"), False: messages.t("workbook.no"), None: None}
    headers = case_list_headers()
    # The same statement, unpaged: every case in one pass of a server-side cursor.
    sql = CASE_LIST_SQL.format(where="c.created_at >= %(start)s AND c.created_at < %(end)s")
    sql = re.sub(r"(?<![:%]):(\w+)", r"%(\1)s", sql)
    t0 = time.perf_counter()
    conn = psycopg2.connect(
        host=host if isinstance(host, str) else None, port=url.port, dbname=url.database,
        user=url.username, password=url.password,
        options=f"-c timezone={os.environ['BENCH_EXPORT_TZ']}",
    )
    rows = 0
    with conn, conn.cursor(name="bare_export") as cur:
        cur.itersize = 2000
        cur.execute(sql, {"start": os.environ["BENCH_EXPORT_START"],
                          "end": os.environ["BENCH_EXPORT_END"], "after": 0,
                          "limit": None, "handling": HANDLING_STATES,
                          "as_of": os.environ["BENCH_EXPORT_AS_OF"],
                          "tz": os.environ["BENCH_EXPORT_TZ"]})
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("cases")
        sheet.append(["filters"])
        sheet.append(headers)
        for r in cur:
            sheet.append([
                r[0], words[r[1]], r[2], r[3], r[4], r[5], r[6], words[r[7]], r[8], r[9],
                r[10], r[11], r[12], r[13], flag[r[14]], flag[r[15]], r[16], r[17],
            ])
            rows += 1
        workbook.save(out)
    conn.close()
    return {"seconds": time.perf_counter() - t0, "rows": rows, "columns": len(headers)}


def _same_rows(ours: Path, bare: Path) -> bool:
    """Every row of cases is the same in both files (read back by openpyxl)."""
    import itertools

    import openpyxl

    books = [openpyxl.load_workbook(p, read_only=True) for p in (ours, bare)]
    try:
        rows = [itertools.islice(b.worksheets[0].iter_rows(values_only=True), 2, None)
                for b in books]
        return all(a == b for a, b in itertools.zip_longest(*rows))
    finally:
        for b in books:
            b.close()


if __name__ == "__main__":
    sys.exit(main())
