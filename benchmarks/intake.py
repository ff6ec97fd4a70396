"""The intake of collectors' items beside reading the same files and inserting them bare.

``--items`` (default 10,000) JSON reports, each with a photo file beside it (small real
JPEGs and PNGs, generated once and written for every item), are dropped into two
identical inboxes:

- ours: ``seatdesk.services.intake.run_inbox`` as the demo's ``intake1`` login, exactly
  what ``seatdesk intake DIR`` runs: each file read and checked, its photo decoded and
  thumbnailed, the case opened by ``seatdesk_intake_report`` (the key taken once, the
  catalogue, the deadline, the grid, the audit event, the notice; a batch's reports
  sent in one call of ``seatdesk_intake_reports``, which runs it for each), items
  committed in batches of ``--batch`` (written again one savepoint an item when one is
  refused), then every item moved with its photo to ``done/`` after its batch
  committed;
- bare: the same files read (the JSON parsed, the photo read), one plain ``INSERT`` of
  the item and its photo per item on one psycopg2 connection as the owner, committed in
  batches of the same size, and the files moved to ``done/`` alike.

The inboxes are worked in rounds (bare then ours, ``--rounds`` times) so that drift in
the machine's load falls on both alike. Printed: items per second of each, and the
ratio of the times.

Target (issue 11): ours at least 200 items a second. The last line says PASS or FAIL
against it, and a FAIL ends the process with status 1 (for CI).

    python -m benchmarks.intake [--items 10000] [--batch 50] [--url SUPERUSER_URL]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from PIL import Image
from sqlalchemy import text

from benchmarks.common import fresh_database, psycopg2_connection, say
from seatdesk.db.engine import connect, session_factory
from seatdesk.demo import run_demo
from seatdesk.services import intake

TARGET_PER_SECOND = 200


def _photos() -> list[tuple[str, bytes]]:
    """A few small real photos: JPEGs and PNGs of different colours."""
    out: list[tuple[str, bytes]] = []
    for i in range(8):
        buffer = io.BytesIO()
        image = Image.new("RGB", (64, 48), (30 * i, 200 - 20 * i, 90))
        fmt, ext = ("JPEG", "jpg") if i % 2 == 0 else ("PNG", "png")
        image.save(buffer, fmt)
        out.append((ext, buffer.getvalue()))
    return out


def _fill(inbox: Path, start: int, count: int, photos: list[tuple[str, bytes]],
          run: str) -> None:
    """``count`` reports numbered from ``start``, each with its photo file beside it."""
    inbox.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        ext, data = photos[i % len(photos)]
        photo = f"r{i:06d}.{ext}"
        (inbox / photo).write_bytes(data)
        item = {
            "id": f"{run}-{i}",
            "collector": f"采集员{i % 37:02d}",
            "type": "report",
            "category_code": "0101",
            "case_type": "component",
            "description": f"井盖缺失（基准 {i}）",
            "location": {"longitude": 120.55 + (i % 100) * 0.0003,
                         "latitude": 27.65 + (i % 70) * 0.0003},
            "address": f"解放路{i % 300}号",
            "time": "2026-12-01T09:30:00+08:00",
            "photos": [photo],
        }
        (inbox / f"r{i:06d}.json").write_text(json.dumps(item, ensure_ascii=False),
                                              encoding="utf-8")


def _bare(conn: object, inbox: Path, batch: int) -> int:
    """The same files read, one plain INSERT an item, commits per batch, files moved."""
    done = inbox / intake.DONE
    done.mkdir(exist_ok=True)
    files = intake.ready_files(inbox, settle=0)
    cursor = conn.cursor()  # type: ignore[attr-defined]
    moves: list[Path] = []
    for n, path in enumerate(files, 1):
        item = json.loads(path.read_bytes())
        photo_path = inbox / item["photos"][0]
        photo = photo_path.read_bytes()
        cursor.execute(
            "INSERT INTO bench_intake (item, photo) VALUES (%s, %s)",
            (json.dumps(item, ensure_ascii=False), photo),
        )
        moves += [photo_path, path]
        if n % batch == 0 or n == len(files):
            conn.commit()  # type: ignore[attr-defined]
            for p in moves:
                os.replace(p, done / p.name)
            moves = []
    return len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=intake.DEFAULT_BATCH)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--url", default=os.environ.get("SEATDESK_TEST_DATABASE_URL"),
                        help="a superuser URL; default: an embedded server of its own")
    args = parser.parse_args()
    photos = _photos()
    run = uuid.uuid4().hex[:6]
    work = Path(tempfile.mkdtemp(prefix="seatdesk-intake-bench-"))
    try:
        with fresh_database(args.url) as address:
            say(f"intake: {args.items:,} JSON items with a photo each, both ways, on "
                f"{address.where()}")
            owner = connect(address)
            with session_factory(owner).begin() as s:
                demo = run_demo(s, seed=1, cases=300, reset=True)
            raw = psycopg2_connection(address)
            with raw.cursor() as c:
                c.execute("CREATE TABLE bench_intake (id bigint GENERATED ALWAYS AS IDENTITY "
                          "PRIMARY KEY, item jsonb NOT NULL, photo bytea NOT NULL)")
            raw.commit()
            seat = connect(address.for_login("intake1", demo.passwords["intake1"]),
                           pool_size=1)
            begin = session_factory(seat).begin
            # A warm-up of each (plans, caches, the grid index), not counted.
            _fill(work / "warm_ours", 0, 50, photos, f"warm{run}")
            _fill(work / "warm_bare", 0, 50, photos, f"warm{run}")
            intake.run_inbox(begin, work / "warm_ours", batch=args.batch, settle=0)
            _bare(raw, work / "warm_bare", args.batch)
            per_round = -(-args.items // args.rounds)
            ours_s = bare_s = 0.0
            ours_n = bare_n = 0
            for r in range(args.rounds):
                count = min(per_round, args.items - r * per_round)
                if count <= 0:
                    break
                t0 = time.perf_counter()
                _fill(work / f"bare{r}", r * per_round, count, photos, run)
                _fill(work / f"ours{r}", r * per_round, count, photos, run)
                fill_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                bare_n += _bare(raw, work / f"bare{r}", args.batch)
                bare_s += time.perf_counter() - t0
                t0 = time.perf_counter()
                summary = intake.run_inbox(begin, work / f"ours{r}", batch=args.batch,
                                           settle=0)
                ours_s += time.perf_counter() - t0
                ours_n += summary.accepted
                assert summary.rejected == 0 and summary.repeated == 0, summary
                say(f"  round {r + 1}: {count:,} items each (written in {fill_s:.1f}s, "
                    f"untimed)")
            with owner.connect() as conn:
                taken = conn.execute(text(
                    "SELECT count(*) FROM intake_items i JOIN cases c ON c.id = i.case_id "
                    "JOIN attachments a ON a.case_id = c.id WHERE i.item_key LIKE :k"
                ), {"k": f"item:{run}-%"}).scalar()
            assert taken == ours_n == args.items, (taken, ours_n)
            raw.close()
            seat.dispose()
            owner.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours_rate = ours_n / ours_s
    bare_rate = bare_n / bare_s
    say(f"  ours: {ours_n:,} items in {ours_s:.1f}s = {ours_rate:,.0f} items/s "
        f"(batches of {args.batch})")
    say(f"  bare: {bare_n:,} items in {bare_s:.1f}s = {bare_rate:,.0f} items/s "
        "(files read, plain INSERT, files moved)")
    say(f"  ratio ours/bare (time): {ours_s / bare_s:.2f}x")
    verdict = "PASS" if ours_rate >= TARGET_PER_SECOND else "FAIL"
    say(f"  target >= {TARGET_PER_SECOND} items/s: {verdict} "
        f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    if verdict == "FAIL":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
