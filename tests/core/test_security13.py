"""Issue 13's security review (``notes/secreview13/REPORT.md``): each hole found in
migrations 0029–0033 and in the backup files, refused since migration 0035 and the fixes
in ``seatdesk.db.backup`` and the scheduler; and the guards that held, kept so that a
later revision cannot loosen them unnoticed. Every try is a real login with raw SQL, as
a seat operator with psql would make it."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.db import backup as backups
from seatdesk.db.engine import ServerAddress
from seatdesk.demo import DemoResult
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, Role, State
from seatdesk.errors import Problem
from tests.conftest import start_embedded
from tests.core.conftest import LOGIN, Desk

#: The tables migrations 0029–0033 added; no seat writes any of them but through a function.
NEW_TABLES = [
    "department_events", "rules_events", "collectors", "grid_types", "grid_patrol_types",
    "collector_grids", "collector_events", "assessment_rules", "assessment_entries",
    "assessment_suggestions", "assessment_decisions", "backup_runs", "backup_run_events",
    # and the tables whose direct writes 0029/0030 took from the admin group
    "departments", "categories", "filing_conditions", "time_limits",
    # and the grids, whose direct writes 0037 took from it
    "grids",
]
#: A month of this file's own (committed rows: the entries are append-only).
DAY = "2003-07-15"


def _run(engine: Engine, sql: str, **params: object) -> object:
    with engine.begin() as conn:
        return conn.execute(text(sql), params).scalar()


def _refusal(engine: Engine, sql: str, **params: object) -> str:
    with pytest.raises(DBAPIError) as err:
        _run(engine, sql, **params)
    return str(err.value.orig)


# ---- the holes (each test failed before 0035 and the backup fixes)


def test_a_manager_cannot_reverse_an_entry_about_themselves(seats: dict[Role, Engine]) -> None:
    entry = _run(seats[Role.ADMIN],
                 "SELECT seatdesk_assessment_record('user', :who, 'passive_work', 1, "
                 "CAST(:d AS date), '迟到')", who=LOGIN[Role.INSPECTOR], d=DAY)
    refused = _refusal(seats[Role.INSPECTOR],
                       "SELECT seatdesk_assessment_reverse(:e, '我觉得不对')", e=entry)
    assert "own_entry" in refused
    with seats[Role.INSPECTOR].connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM assessment_entries WHERE reverses = :e"),
                            {"e": entry}).scalar_one() == 0
    # Another manager still may.
    assert _run(seats[Role.ADMIN], "SELECT seatdesk_assessment_reverse(:e, '记错了')", e=entry)


@pytest.mark.parametrize("day", ["-infinity", "1999-12-31", "0044-03-15 BC"])
def test_a_backup_of_no_real_night_cannot_be_claimed(
    seats: dict[Role, Engine], owner_engine: Engine, day: str
) -> None:
    refused = _refusal(seats[Role.ACCEPTOR], "SELECT seatdesk_claim_backup(CAST(:d AS date))",
                       d=day)
    assert "out_of_range" in refused
    with owner_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM backup_runs WHERE day < '2000-01-01'")
                            ).scalar_one() == 0


def test_a_seat_cannot_record_a_backup_written_that_nobody_wrote(
    seats: dict[Role, Engine], owner_engine: Engine
) -> None:
    seat = seats[Role.ACCEPTOR]
    assert _run(seat, "SELECT seatdesk_claim_backup(DATE '2003-07-16')")
    refused = _refusal(seat, "SELECT seatdesk_finish_backup(DATE '2003-07-16', "
                             "'/srv/backups/seatdesk-2003-07-16.dump', NULL)")
    assert "may not record a backup as written" in refused
    with owner_engine.connect() as conn:
        assert conn.execute(text("SELECT state FROM backup_runs WHERE day = '2003-07-16'")
                            ).scalar_one() == "claimed"
    # A failure it may record: that only lets another scheduler retry.
    _run(seat, "SELECT seatdesk_finish_backup(DATE '2003-07-16', NULL, 'disk full')")
    assert _run(seats[Role.MONITOR], "SELECT seatdesk_claim_backup(DATE '2003-07-16')")


def test_a_dump_is_readable_by_no_other_user_even_while_it_is_written(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path
) -> None:
    modes: list[int] = []
    file = tmp_path / "seatdesk.dump"

    class Watch:
        def start(self, total: int) -> None:
            del total

        def status(self, text_: str) -> None:
            del text_

        def cancelled(self) -> bool:
            return False

        def advance(self, steps: int = 1) -> None:
            del steps
            modes.extend(p.stat().st_mode & 0o777 for p in tmp_path.glob(".*.part"))

    old = os.umask(0o022)  # the usual umask: files readable by everyone
    try:
        backups.backup(server, file, progress=Watch())
    finally:
        os.umask(old)
    assert modes and all(m & 0o077 == 0 for m in modes), [oct(m) for m in modes]
    assert file.stat().st_mode & 0o777 == 0o600


@pytest.fixture
def crafted(server: ServerAddress, seeded: DemoResult) -> Path:
    """A real dump whose roles file someone edited: a login of their own, with a known
    password, made a member of the cluster's superuser."""
    folder = Path(tempfile.mkdtemp(prefix="seatdesk-crafted-"))
    file = folder / "seatdesk.dump"
    backups.backup(server, file)
    roles_file = file.with_name(file.name + backups.ROLES_SUFFIX)
    roles = json.loads(roles_file.read_text(encoding="utf-8"))
    roles["roles"].append({"name": "mallory", "login": True, "inherit": True,
                           "createrole": False, "password": "Mallory-pw-1"})
    roles["memberships"].append({"role": "postgres", "member": "mallory", "admin": False})
    roles_file.write_text(json.dumps(roles), encoding="utf-8")
    return file


def test_a_crafted_roles_file_cannot_make_a_login_a_superuser(crafted: Path) -> None:
    fresh_dir = Path(tempfile.mkdtemp(prefix="seatdesk-restore-"))
    fresh = start_embedded(fresh_dir)
    with pytest.raises(Problem) as refused:
        backups.restore(fresh, crafted)
    assert refused.value.key == "backup_roles_unreadable"
    url = fresh.url
    with psycopg2.connect(host=url.query["host"], user=url.username, password=url.password,
                          dbname="postgres") as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_roles WHERE rolname IN ('mallory', 'acceptor1')")
        assert cur.fetchone() == (0,)  # nothing was created
    shutil.rmtree(crafted.parent, ignore_errors=True)


# ---- the guards that held, over real logins


@pytest.mark.parametrize("table", NEW_TABLES)
def test_no_seat_writes_a_new_table_directly(seats: dict[Role, Engine], table: str) -> None:
    for role, engine in seats.items():
        for sql in (f"DELETE FROM {table}", f"TRUNCATE {table}",
                    f"UPDATE {table} SET {_a_column(engine, table)} = NULL",
                    f"INSERT INTO {table} DEFAULT VALUES"):
            assert "permission denied" in _refusal(engine, sql), (role, sql)


def _a_column(engine: Engine, table: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(
            "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
            "AND attnum = 2"), {"t": table}).scalar_one())


def test_the_audits_are_the_admins_and_a_department_reads_no_one_elses(
    seats: dict[Role, Engine],
) -> None:
    for role, engine in seats.items():
        for table in ("department_events", "rules_events"):
            if role is not Role.ADMIN:
                assert "permission denied" in _refusal(engine, f"SELECT count(*) FROM {table}")
    department = seats[Role.DEPARTMENT]
    for table in ("collectors", "collector_grids", "collector_events", "backup_runs",
                  "assessment_suggestions", "assessment_decisions"):
        assert "permission denied" in _refusal(department, f"SELECT count(*) FROM {table}")
    assert "may not read the assessment" in _refusal(
        department, "SELECT count(*) FROM seatdesk_assessment_ranking(DATE '2003-07-01')")
    for role in (Role.DEPARTMENT, Role.MONITOR, Role.ACCEPTOR):
        assert _run(seats[role], "SELECT count(*) FROM assessment_entries "
                                 "WHERE staff_id <> session_user") == 0


@pytest.mark.parametrize("sql", [
    "SELECT seatdesk_save_collector('c-forged', '张三', NULL, NULL, NULL, true)",
    "SELECT seatdesk_save_class('component', '98', '伪造', NULL, true)",
    "SELECT seatdesk_set_assessment_settings('{\"base\": 1}')",
    "SELECT seatdesk_set_time_limit('verify', 'urgent', 1, 'working_hours')",
])
def test_a_seat_naming_the_admin_in_act_as_is_still_itself(
    seats: dict[Role, Engine], sql: str
) -> None:
    refused = _refusal(seats[Role.ACCEPTOR],
                       f"SELECT set_config('seatdesk.act_as', :a, false); {sql}",
                       a=LOGIN[Role.ADMIN])
    assert "acceptor1 may not" in refused


def test_no_seat_creates_in_a_schema_the_functions_search(seats: dict[Role, Engine]) -> None:
    for engine in seats.values():
        assert "permission denied" in _refusal(
            engine, "CREATE FUNCTION public.seatdesk_actor() RETURNS text "
                    "LANGUAGE sql AS 'SELECT ''admin1''::text'")
    # A table of its own in pg_temp named as the owner's is never the one read.
    refused = _refusal(
        seats[Role.ACCEPTOR],
        "SET search_path = pg_temp, public; "
        "CREATE TEMP TABLE users (login text, roles text[], active boolean, "
        "department_code text); "
        "INSERT INTO pg_temp.users VALUES ('acceptor1', ARRAY['admin'], true, NULL); "
        "SELECT seatdesk_save_collector('c-temp', '张三', NULL, NULL, NULL, true)")
    assert "acceptor1 may not change the collectors" in refused


def test_two_managers_reversing_one_entry_at_once_make_one_reversal(
    seats: dict[Role, Engine],
) -> None:
    entry = _run(seats[Role.ADMIN],
                 "SELECT seatdesk_assessment_record('user', :who, 'passive_work', 1, "
                 "CAST(:d AS date), '迟到')", who=LOGIN[Role.ACCEPTOR], d=DAY)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def reverse(role: Role) -> None:
        barrier.wait()
        try:
            _run(seats[role], "SELECT seatdesk_assessment_reverse(:e, '重复')", e=entry)
            outcomes.append("done")
        except DBAPIError as exc:
            outcomes.append(str(exc.orig))

    threads = [threading.Thread(target=reverse, args=(r,)) for r in (Role.ADMIN, Role.INSPECTOR)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(o if o == "done" else "refused" for o in outcomes) == ["done", "refused"]
    assert any("reversed_already" in o or "uq_assessment_entries_reverses" in o
               for o in outcomes)
    assert _run(seats[Role.ADMIN], "SELECT count(*) FROM assessment_entries WHERE reverses = :e",
                e=entry) == 1


def _ready_for_dispatch(owner_engine: Engine) -> tuple[int, int]:
    """A committed case one step before its dispatch: (id, version)."""
    with Session(bind=owner_engine) as session:
        desk = Desk(session)
        case_id = desk.new_case()
        path = workflow.shortest_paths()[State.DISPATCHED]
        for action, _from, _to, role in path[:-1]:
            desk.perform(role, action, case_id)
        assert path[-1][0] is Action.DISPATCH
        version = desk.version(case_id)
        session.commit()
    return int(case_id), version


def _two_departments(seats: dict[Role, Engine], tag: str) -> tuple[str, str]:
    codes = (f"T13{tag}A", f"T13{tag}B")
    for code in codes:
        _run(seats[Role.ADMIN], "SELECT seatdesk_add_department(:c, :n, NULL)", c=code,
             n=f"测试部门{code}")
    return codes


def test_a_merge_waits_for_a_dispatch_into_the_merged_department_and_takes_its_case(
    seats: dict[Role, Engine], owner_engine: Engine
) -> None:
    source, target = _two_departments(seats, "M")
    case_id, version = _ready_for_dispatch(owner_engine)
    dispatched = threading.Event()
    merged: list[object] = []

    def merge() -> None:
        dispatched.wait(10)
        merged.append(_run(seats[Role.ADMIN], "SELECT seatdesk_merge_departments(:f, :t)",
                           f=source, t=target))

    thread = threading.Thread(target=merge)
    thread.start()
    with seats[Role.DISPATCHER].begin() as conn:
        conn.execute(text("SELECT seatdesk_case_act(:i, :v, 'dispatch', NULL, "
                          "CAST(:a AS jsonb))"),
                     {"i": case_id, "v": version, "a": json.dumps({"department": source})})
        dispatched.set()
        time.sleep(1)  # the merge is waiting for this transaction now
    thread.join(30)
    assert merged == [1]
    with owner_engine.connect() as conn:
        assert conn.execute(text("SELECT current_department FROM cases WHERE id = :i"),
                            {"i": case_id}).scalar_one() == target
        assert conn.execute(text("SELECT count(*) FROM case_events WHERE case_id = :i "
                                 "AND action = 'department_merged'"),
                            {"i": case_id}).scalar_one() == 1


def test_a_dispatch_behind_a_merge_is_refused_and_the_case_stays_put(
    seats: dict[Role, Engine], owner_engine: Engine
) -> None:
    source, target = _two_departments(seats, "D")
    case_id, version = _ready_for_dispatch(owner_engine)
    outcome: list[str] = []
    merging = threading.Event()

    def dispatch() -> None:
        merging.wait(10)
        try:
            _run(seats[Role.DISPATCHER], "SELECT seatdesk_case_act(:i, :v, 'dispatch', NULL, "
                 "CAST(:a AS jsonb))", i=case_id, v=version,
                 a=json.dumps({"department": source}))
            outcome.append("dispatched")
        except DBAPIError as exc:
            outcome.append(str(exc.orig))

    thread = threading.Thread(target=dispatch)
    thread.start()
    with seats[Role.ADMIN].begin() as conn:
        conn.execute(text("SELECT seatdesk_merge_departments(:f, :t)"),
                     {"f": source, "t": target})
        merging.set()
        time.sleep(1)  # the dispatch is waiting for this transaction now
    thread.join(30)
    assert len(outcome) == 1 and "inactive" in outcome[0], outcome
    with owner_engine.connect() as conn:
        assert conn.execute(text("SELECT current_department FROM cases WHERE id = :i"),
                            {"i": case_id}).scalar_one() is None
