"""Importing the city platform's forwarded complaints from Excel, beside a bare baseline.

``--rows`` (default 100,000) forwarded complaints are generated once into an .xlsx
(openpyxl write-only; cached in the bench folder, ``SEATDESK_BENCH_DIR``), with the
platform's Chinese headers, then imported into a fresh database two ways in the same
run:

- ours: ``seatdesk.services.complaint_import`` end to end as a real monitor seat login —
  read the workbook (openpyxl read-only), map the headers, check every row (phone, time,
  channel, category, location), then ``seatdesk_import_complaints`` in batches of 2,000
  in one transaction: the check again in SQL, the duplicates left out, numbers, reply
  deadlines in working time, one audit event per complaint — and COMMIT;
- bare: openpyxl read-only reading the same rows (values only) and ONE ``COPY`` of them
  into a plain table of text columns, as the owner, and COMMIT.

Target (issue 11): ours within 2× of bare, the best of `--rounds` (3) each, every round in
a fresh database (one figure of a few tens of seconds swings by a third on a shared machine).

    python -m benchmarks.complaint_import [--rows 100000] [--url SUPERUSER_URL]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import Engine, text

from benchmarks.common import bench_dir, fresh_database, psycopg2_connection, say
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import run_demo
from seatdesk.services import complaint_import as importer

RATIO_TARGET = 2.0
SEED = 11
HEADERS = ["工单编号", "渠道", "受理时间", "投诉人", "联系电话", "投诉内容", "地址", "经度", "纬度",
           "问题类别"]
CHANNELS = ["12319热线", "市长信箱", "网络问政", "市平台转办", "媒体", ""]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
STREETS = ["解放路", "城东路", "人民路", "环城南路", "鳌江大道", "万全路", "昆阳大街", "新华街"]
TOWNS = ["昆阳镇", "鳌江镇", "万全镇", "水头镇", "萧江镇"]
PROBLEMS = [
    "门前井盖缺失，夜里有人踩空", "占道经营严重影响通行", "建筑垃圾随意倾倒", "路灯整晚不亮",
    "夜间施工噪声扰民", "广告牌松动有坠落危险", "人行道破损积水", "垃圾桶满溢无人清运",
    "违章搭建遮挡消防通道", "绿化带被毁种菜", "共享单车乱停乱放", "油烟直排扰民",
]


def _file(rows: int, categories: list[str]) -> Path:
    """The workbook of ``rows`` forwarded complaints, written once and kept."""
    folder = bench_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"complaint_import_{rows}.xlsx"
    if path.exists():
        say(f"  reusing {path}")
        return path
    t0 = time.perf_counter()
    rng = random.Random(SEED)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("工单")
    sheet.append(["市级平台转办工单导出"])
    sheet.append(HEADERS)
    start = datetime(2026, 1, 5, 8, 0)
    for i in range(rows):
        received = start + timedelta(seconds=rng.randrange(0, 300 * 86400))
        phone = (f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if rng.random() < 0.8
                 else f"0577-6{rng.randrange(10**6, 10**7)}")
        located = rng.random() < 0.7
        sheet.append([
            f"PT{2026}{i:08d}",
            rng.choice(CHANNELS),
            received if i % 2 else received.strftime("%Y-%m-%d %H:%M:%S"),
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if i % 3 else ""),
            phone,
            f"{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.choice(PROBLEMS)}，"
            f"请尽快处理（第{i}件）",
            f"平阳县{rng.choice(TOWNS)}{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
            round(120.50 + rng.random() * 0.12, 6) if located else None,
            round(27.60 + rng.random() * 0.10, 6) if located else None,
            rng.choice(categories) if rng.random() < 0.6 else "",
        ])
    workbook.save(path)
    say(f"  wrote {rows:,} rows to {path} in {time.perf_counter() - t0:.1f}s")
    return path


def bare(address: ServerAddress, path: Path) -> tuple[float, int]:
    """openpyxl read-only over the same rows, then ONE COPY into a plain table."""
    t0 = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.active
    assert sheet is not None
    out = io.StringIO()
    writer = csv.writer(out)
    count = 0
    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n <= 2:
            continue
        writer.writerow(["" if v is None else v for v in row])
        count += 1
    workbook.close()
    out.seek(0)
    conn = psycopg2_connection(address)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE bare_complaints (external_ref text, channel text, "
                        "received text, complainant text, phone text, content text, "
                        "address text, longitude text, latitude text, category text)")
            cur.copy_expert("COPY bare_complaints FROM STDIN WITH (FORMAT csv)", out)
        conn.commit()
    finally:
        conn.close()
    return time.perf_counter() - t0, count


def _settle(owner: Engine) -> None:
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
        conn.execute(text("CHECKPOINT"))


def _round(args: argparse.Namespace, n: int) -> tuple[float, float]:
    """One round in a fresh database: (ours, bare) in seconds."""
    with fresh_database(args.url) as address:
        say(f"complaint import, round {n}: {args.rows:,} forwarded complaints on "
            f"{address.where()}")
        owner = connect(address)
        with session_factory(owner).begin() as s:
            # The catalogue, the working calendar and the seats of the demo county.
            demo = run_demo(s, seed=1, cases=50, reset=True)
            names = list(s.execute(text(
                "SELECT name FROM categories WHERE parent_id IS NOT NULL ORDER BY id")).scalars())
        path = _file(args.rows, names)
        monitor = connect(address.for_login("monitor1", demo.passwords["monitor1"]))

        # Warm the file into the page cache for both alike, and start each from a quiet
        # server: what one leaves behind (autovacuum of its rows, a checkpoint) is not
        # timed in the other.
        path.read_bytes()
        _settle(owner)
        bare_s, bare_rows = bare(address, path)
        _settle(owner)

        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        with session_factory(monitor).begin() as s:
            t_read = time.perf_counter()
            preview = importer.preview_import(s, path)
            t_write = time.perf_counter()
            result = importer.import_complaints(s, preview)
        ours_s = time.perf_counter() - t0
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        with owner.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM complaints")).scalar_one()
        assert result.created == stored == len(preview.good), (result, stored)
        assert bare_rows == preview.rows
        say(f"  rows: {preview.rows:,} read, {len(preview.good):,} good, "
            f"{len(preview.bad):,} bad, {result.created:,} created")
        say(f"  ours: {ours_s:7.2f}s  ({preview.rows / ours_s:,.0f} rows/s; read and check "
            f"{t_write - t_read:.2f}s, import function {ours_s - (t_write - t0):.2f}s)")
        say(f"  bare: {bare_s:7.2f}s  ({bare_rows / bare_s:,.0f} rows/s; openpyxl read-only "
            f"+ one COPY)")
        say(f"  ratio ours/bare: {ours_s / bare_s:.2f}x")
        monitor.dispose()
        owner.dispose()
    return ours_s, bare_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", default=os.environ.get("SEATDESK_TEST_DATABASE_URL"),
                        help="a superuser URL; default: an embedded server of its own")
    parser.add_argument("--profile", action="store_true",
                        help="print where ours spends its time (cProfile, top 25)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, each in a fresh database; the best of each way counts")
    args = parser.parse_args()
    # One figure of a few tens of seconds on a shared 2-core machine swings by a third
    # (CI printed 1.55x, then 2.02x on the same code): the best of a few rounds each,
    # as the export's benchmark does, is what the code costs.
    rounds = [_round(args, n) for n in range(1, max(1, args.rounds) + 1)]
    ours_s = min(r[0] for r in rounds)
    bare_s = min(r[1] for r in rounds)
    ratio = ours_s / bare_s
    verdict = "within" if ratio <= RATIO_TARGET else "MISSES"
    say(f"best of {len(rounds)}: ours {ours_s:.2f}s, bare {bare_s:.2f}s; ratio ours/bare: "
        f"{ratio:.2f}x ({verdict} the {RATIO_TARGET:.0f}x target)")
    say(f"complaint import: {'PASS' if ratio <= RATIO_TARGET else 'FAIL'}")
    if ratio > RATIO_TARGET:
        sys.exit(1)  # CI runs it: a missed target fails the step


if __name__ == "__main__":
    main()
