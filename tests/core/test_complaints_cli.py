"""``seatdesk complaints`` in a real subprocess, as seat logins: masked by default, the
real name and phone only for a monitor or an admin who asks (and then audited)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from seatdesk.db.engine import ServerAddress
from seatdesk.demo import DemoResult
from tests.core.test_cli import _run, _url


@pytest.fixture
def complaint(owner_engine: Engine, seeded: DemoResult) -> Iterator[tuple[int, str]]:
    """A complaint the subprocesses can see (committed), taken out again afterwards."""
    with owner_engine.begin() as conn:
        conn.execute(text("SELECT set_config('seatdesk.act_as', 'monitor1', true)"))
        complaint_id = conn.execute(text("SELECT seatdesk_create_complaint(CAST(:c AS jsonb))"), {
            "c": json.dumps({"channel": "hotline_12319", "content": "命令行测试：路灯不亮",
                             "complainant": "王小明", "complainant_phone": "13812345678"})
        }).scalar_one()
        number = conn.execute(text("SELECT number FROM complaints WHERE id = :i"),
                              {"i": complaint_id}).scalar_one()
    try:
        yield int(complaint_id), str(number)
    finally:
        with owner_engine.begin() as conn:
            for table, trigger in (("personal_data_reads", "personal_data_reads_append_only"),
                                   ("complaint_events", "complaint_events_append_only")):
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
                conn.execute(text(f"DELETE FROM {table} WHERE complaint_id = :i"),
                             {"i": complaint_id})
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
            conn.execute(text("DELETE FROM complaints WHERE id = :i"), {"i": complaint_id})


def _as(server: ServerAddress, seeded: DemoResult, login: str) -> dict[str, str]:
    return {"SEATDESK_DATABASE_URL": _url(server), "SEATDESK_USER": login,
            "SEATDESK_PASSWORD": seeded.passwords[login]}


def _reads(owner_engine: Engine, complaint_id: int) -> list[tuple[str, str]]:
    with owner_engine.connect() as conn:
        return [(r.actor, r.purpose) for r in conn.execute(text(
            "SELECT actor, purpose FROM personal_data_reads WHERE complaint_id = :i ORDER BY id"),
            {"i": complaint_id})]


def test_every_login_lists_and_shows_the_complainant_masked(
    server: ServerAddress, seeded: DemoResult, complaint: tuple[int, str], owner_engine: Engine
) -> None:
    complaint_id, number = complaint
    for login in ("acceptor1", "monitor1"):
        listed = _run("complaints", "list", env=_as(server, seeded, login))
        assert listed.returncode == 0, listed.stderr
        assert number in listed.stdout and "138****5678" in listed.stdout
        shown = _run("complaints", "show", number, env=_as(server, seeded, login))
        assert shown.returncode == 0, shown.stderr
        assert "王**" in shown.stdout and "138****5678" in shown.stdout
        assert "13812345678" not in shown.stdout + listed.stdout
    assert _reads(owner_engine, complaint_id) == []


def test_a_monitor_reveals_and_the_read_is_recorded(
    server: ServerAddress, seeded: DemoResult, complaint: tuple[int, str], owner_engine: Engine
) -> None:
    complaint_id, number = complaint
    shown = _run("complaints", "show", number, "--reveal", "--purpose", "回访核实",
                 env=_as(server, seeded, "monitor1"))
    assert shown.returncode == 0, shown.stderr
    assert "王小明" in shown.stdout and "13812345678" in shown.stdout
    assert _reads(owner_engine, complaint_id) == [("monitor1", "回访核实")]


def test_another_login_may_not_reveal(
    server: ServerAddress, seeded: DemoResult, complaint: tuple[int, str], owner_engine: Engine
) -> None:
    complaint_id, number = complaint
    shown = _run("complaints", "show", number, "--reveal", env=_as(server, seeded, "leader1"))
    assert shown.returncode == 1
    assert "Traceback" not in shown.stderr and "13812345678" not in shown.stdout
    assert "monitor" in shown.stderr
    assert _reads(owner_engine, complaint_id) == []


def test_the_export_command_writes_masked_csv(
    server: ServerAddress, seeded: DemoResult, complaint: tuple[int, str], tmp_path: Path
) -> None:
    _, number = complaint
    target = tmp_path / "complaints.csv"
    done = _run("complaints", "export", str(target), "--state", "new",
                env=_as(server, seeded, "inspector1"))
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    (row,) = [r for r in rows if r and r[0] == number]
    assert row[3:5] == ["王**", "138****5678"]


def test_an_unknown_number_is_one_sentence(server: ServerAddress, seeded: DemoResult) -> None:
    shown = _run("complaints", "show", "TS1999000000", env=_as(server, seeded, "acceptor1"))
    assert shown.returncode == 1
    assert shown.stderr.strip().endswith("There is no complaint TS1999000000.")
