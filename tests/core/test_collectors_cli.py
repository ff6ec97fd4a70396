"""``seatdesk collectors`` as an administrator and an inspector run it, in a real
subprocess against the test server."""

from __future__ import annotations

import uuid
from pathlib import Path

import openpyxl

from seatdesk.db.engine import ServerAddress
from seatdesk.demo import DemoResult
from tests.core.test_cli import _run, _url


def test_add_list_and_the_weekly_report(server: ServerAddress, seeded: DemoResult,
                                        tmp_path: Path) -> None:
    cid = f"采集员 {uuid.uuid4().hex[:6]}"
    admin = {"SEATDESK_DATABASE_URL": _url(server), "SEATDESK_USER": "admin1",
             "SEATDESK_PASSWORD": seeded.passwords["admin1"]}
    added = _run("collectors", "add", cid, "--name", "测试员", "--phone", "13900001111",
                 env=admin)
    assert added.returncode == 0, added.stderr
    assert f"Collector {cid} saved." in added.stdout
    listed = _run("collectors", "list", "--search", cid, env=admin)
    assert listed.returncode == 0 and "13900001111" in listed.stdout
    bad = _run("collectors", "add", "X", "--name", "某", "--phone", "call me", env=admin)
    assert bad.returncode == 1 and "not a phone number" in bad.stderr
    inspector = {**admin, "SEATDESK_USER": "inspector1",
                 "SEATDESK_PASSWORD": seeded.passwords["inspector1"]}
    denied = _run("collectors", "add", "Y", "--name", "某", env=inspector)
    assert denied.returncode == 1 and "may not" in denied.stderr
    out = tmp_path / "week.xlsx"
    written = _run("collectors", "report", "--week", "2026-W48", str(out), env=inspector)
    assert written.returncode == 0, written.stderr
    book = openpyxl.load_workbook(out)
    ids = [r[0] for r in book.worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert cid in ids
    both = _run("collectors", "report", "--week", "2026-W48", "--month", "2026-11", str(out),
                env=inspector)
    assert both.returncode == 2 and "exactly one" in both.stderr
    wrong = _run("collectors", "report", "--week", "2026-48", str(out), env=inspector)
    assert wrong.returncode == 2 and "2026-W48" in wrong.stderr
