"""Staff assessment (考核) on the real database: the arithmetic on hand-made entries whose
answers were worked out by hand, reversals, suggestions, the guards over real logins."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.db.engine import ServerAddress, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain import assessment as domain
from seatdesk.domain.glossary import AssessmentAction, Role, StaffKind
from seatdesk.domain.statistics import Month
from seatdesk.errors import PermissionDenied, ValidationError
from seatdesk.notices import Kind, Notice, decode
from seatdesk.progress import Cancelled
from seatdesk.services import assessment, assessment_workbook
from seatdesk.services.assessment import RankRow, Settings
from tests.core.conftest import LOGIN, Desk

MARCH, FEBRUARY, JANUARY = Month(2001, 3), Month(2001, 2), Month(2001, 1)
C1, C2 = "C-TEST-01", "C-TEST-02"
U, C = StaffKind.USER, StaffKind.COLLECTOR


def _register(s: Session, *ids: str) -> None:
    """The test's collectors in the register (as the owner: the register's own functions
    are tested in test_collectors.py)."""
    s.execute(text(
        "INSERT INTO collectors (collector_id, name, active, updated_at, updated_by) "
        "SELECT c, c, true, now(), 'test' FROM unnest(CAST(:ids AS text[])) c "
        "ON CONFLICT (collector_id) DO NOTHING"), {"ids": list(ids)})


def _rec(s: Session, kind: StaffKind, who: str, rule: str, count: int, day: date) -> int:
    return assessment.record(s, kind=kind, staff_id=who, rule=rule, count=count,
                             occurred_on=day, reason="测试")


def _hand_made(desk: Desk) -> None:
    """March 2001, worked out by hand (base 100):
    acceptor1   no vest −2, district check 3 points −3 (1:1)          → 95
    dispatcher1 city check 2 points −4 (×2), public praise +5          → 101
    monitor1    unreported problem −4, government honour 2 × 5 = 10
                capped at 5 → +5                                       → 101
    C-TEST-01   media exposure −2, asset damage −3 then reversed        → 98
    C-TEST-02   no vest 2 × −2 = −4, slippers −2                       → 94
    everyone else                                                      → 100
    February 2001: C-TEST-02 district check 1 point −1 → 99, the bottom."""
    acc, disp, mon = LOGIN[Role.ACCEPTOR], LOGIN[Role.DISPATCHER], LOGIN[Role.MONITOR]
    d = date(2001, 3, 10)
    _register(desk.session, C1, C2)
    with desk.as_(Role.INSPECTOR) as s:
        _rec(s, U, acc, "no_vest_helmet", 1, d)
        _rec(s, U, acc, "district_check", 3, d)
        _rec(s, U, disp, "city_check", 2, d)
        _rec(s, U, disp, "public_praise", 1, d)
        _rec(s, U, mon, "unreported_problem", 1, d)
        _rec(s, U, mon, "government_honour", 2, d)
        _rec(s, C, C1, "media_exposure", 1, d)
        wrong = _rec(s, C, C1, "asset_damage", 1, d)
        assessment.reverse(s, entry_id=assessment.EntryId(wrong), reason="记错了")
        _rec(s, C, C2, "no_vest_helmet", 2, d)
    with desk.as_(Role.ADMIN) as s:
        _rec(s, C, C2, "slippers_at_work", 1, d)
        _rec(s, C, C2, "district_check", 1, date(2001, 2, 20))


def _by_id(rows: list[RankRow]) -> dict[str, RankRow]:
    return {r.staff_id: r for r in rows}


def test_the_month_is_scored_ranked_and_flagged_as_worked_out_by_hand(desk: Desk) -> None:
    _hand_made(desk)
    with desk.as_(Role.SHIFT_LEADER) as s:
        rows = assessment.ranking(s, MARCH)
    got = _by_id(rows)
    acc, disp, mon = LOGIN[Role.ACCEPTOR], LOGIN[Role.DISPATCHER], LOGIN[Role.MONITOR]
    assert got[acc].score == Decimal(95) and got[acc].deductions == Decimal(-5)
    assert got[disp].score == Decimal(101)
    assert (got[disp].deductions, got[disp].additions) == (Decimal(-4), Decimal(5))
    assert got[mon].score == Decimal(101) and got[mon].additions == Decimal(5)
    assert got[C1].score == Decimal(98) and got[C1].entries == 3
    assert got[C2].score == Decimal(94)
    assert got[LOGIN[Role.INSPECTOR]].score == Decimal(100)
    # Ties share the rank: the two 101s are both first, the 100s third.
    assert got[disp].rank == got[mon].rank == 1
    assert got[LOGIN[Role.INSPECTOR]].rank == 3
    assert rows[0].score == Decimal(101) and rows[-1].staff_id == C2
    assert got[C2].rank == len(rows)
    # The bottom (one place by default): C-TEST-02 only; at the bottom in February too.
    assert [r.staff_id for r in rows if r.bottom] == [C2]
    assert [r.staff_id for r in rows if r.eliminate] == [C2]
    assert got[C2].bottom_before
    with desk.as_(Role.INSPECTOR) as s:
        february = _by_id(assessment.ranking(s, FEBRUARY))
    assert february[C2].score == Decimal(99) and february[C2].bottom
    assert [k for k, r in february.items() if r.bottom] == [C2]
    assert not february[C2].eliminate  # January: nobody at the bottom


def test_the_database_agrees_with_the_domain_arithmetic(desk: Desk) -> None:
    _hand_made(desk)
    with desk.as_(Role.INSPECTOR) as s:
        rows = assessment.ranking(s, MARCH)
        applied = [domain.Applied(e.staff_id, e.rule, e.points)
                   for e in assessment.entries(s, MARCH)]
    scores = domain.month_scores(Decimal(100), [r.staff_id for r in rows], applied)
    expected = {r.staff: (r.score, r.rank, r.bottom) for r in domain.rank(scores)}
    assert {r.staff_id: (r.score, r.rank, r.bottom) for r in rows} == expected


def test_the_bottom_size_and_a_tie_at_the_bottom(desk: Desk) -> None:
    _hand_made(desk)
    with desk.as_(Role.ADMIN) as s:
        assessment.set_settings(s, Settings(base=Decimal(100), bottom_n=2))
        two = [r.staff_id for r in assessment.ranking(s, MARCH) if r.bottom]
        # acceptor1 down one more point: 94, level with C-TEST-02; one place, both flagged.
        _rec(s, U, LOGIN[Role.ACCEPTOR], "district_check", 1, date(2001, 3, 11))
        assessment.set_settings(s, Settings(base=Decimal(80), bottom_n=1))
        tied = assessment.ranking(s, MARCH)
    assert sorted(two) == sorted([C2, LOGIN[Role.ACCEPTOR]])
    assert sorted(r.staff_id for r in tied if r.bottom) == sorted([C2, LOGIN[Role.ACCEPTOR]])
    assert _by_id(tied)[C2].score == Decimal(74)  # the base is the setting: 80 − 6
    assert desk.scalar("SELECT count(*) FROM settings_events WHERE key = 'assessment'") >= 2


def test_a_month_where_all_score_the_same_has_no_bottom(desk: Desk) -> None:
    with desk.as_(Role.INSPECTOR) as s:
        rows = assessment.ranking(s, JANUARY)
    assert rows and not any(r.bottom for r in rows)
    assert {r.score for r in rows} == {Decimal(100)}


def test_a_reversal_is_a_new_entry_and_only_once(desk: Desk) -> None:
    _register(desk.session, C1)
    with desk.as_(Role.INSPECTOR) as s:
        first = _rec(s, C, C1, "asset_damage", 1, date(2001, 3, 2))
        back = assessment.reverse(s, entry_id=assessment.EntryId(first), reason="重复录入")
    rows = desk.session.execute(text(
        "SELECT id, points, reverses FROM assessment_entries WHERE id IN (:a, :b) ORDER BY id"
    ), {"a": first, "b": back}).all()
    assert [(r[1], r[2]) for r in rows] == [(Decimal(-3), None), (Decimal(3), first)]
    for entry, problem in ((first, "reversed_already"), (back, "is_reversal")):
        with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
            assessment.reverse(s, entry_id=assessment.EntryId(entry), reason="再冲")
        assert (err.value.field, err.value.problem) == ("entry", problem)
    # Append-only for everyone, the owner included.
    with pytest.raises(DBAPIError), desk.session.begin_nested():
        desk.session.execute(text("UPDATE assessment_entries SET points = 0 WHERE id = :i"),
                             {"i": first})


@pytest.mark.parametrize(("kwargs", "field", "problem"), [
    ({"staff_id": "nobody-here"}, "staff", "unknown"),
    ({"staff_id": LOGIN[Role.INSPECTOR]}, "staff", "own_entry"),
    ({"staff_id": LOGIN[Role.DEPARTMENT]}, "staff", "unknown"),  # a liaison, not staff
    ({"rule": "no_such_rule"}, "rule", "unknown"),
    ({"count": 0}, "count", "out_of_range"),
    ({"count": Decimal("1.5")}, "count", "not_whole"),
    ({"occurred_on": date(2999, 1, 1)}, "occurred_on", "in_future"),
    ({"reason": " \u3000 "}, "reason", "required"),
])
def test_bad_input_is_named_and_nothing_is_written(
    desk: Desk, kwargs: dict[str, object], field: str, problem: str
) -> None:
    args: dict[str, object] = {"kind": U, "staff_id": LOGIN[Role.ACCEPTOR],
                               "rule": "no_vest_helmet", "count": 1,
                               "occurred_on": date(2001, 3, 1), "reason": "测试"}
    before = desk.scalar("SELECT count(*) FROM assessment_entries")
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        assessment.record(s, **{**args, **kwargs})  # type: ignore[arg-type]
    assert (err.value.field, err.value.problem) == (field, problem)
    assert desk.scalar("SELECT count(*) FROM assessment_entries") == before


def test_a_check_deduction_may_be_a_fraction_of_a_point(desk: Desk) -> None:
    _register(desk.session, C1)
    with desk.as_(Role.INSPECTOR) as s:
        entry = assessment.record(s, kind=C, staff_id=C1, rule="city_check",
                                  count=Decimal("1.5"), occurred_on=date(2001, 3, 1),
                                  reason="市级检查扣1.5分")
    assert desk.scalar("SELECT points FROM assessment_entries WHERE id = :i",
                       i=entry) == Decimal(-3)


@pytest.mark.parametrize("role", [Role.ACCEPTOR, Role.SHIFT_LEADER, Role.DEPARTMENT])
def test_only_a_manager_records(desk: Desk, role: Role) -> None:
    with pytest.raises(PermissionDenied) as err, desk.as_(role) as s:
        _rec(s, U, LOGIN[Role.ACCEPTOR], "no_vest_helmet", 1, date(2001, 3, 1))
    assert err.value.action is AssessmentAction.RECORD


def test_suggestions_come_from_the_counters_and_wait_for_the_manager(desk: Desk) -> None:
    # A late registration by leader1 and an overdue task of C-TEST-01 in March 2001.
    desk.session.execute(text("""
        INSERT INTO case_milestones (case_id, registered_at, registered_by, registered_on_time)
        VALUES (-1, '2001-03-05 10:00+08', :who, false),
               (-2, '2001-03-06 10:00+08', :who, false)
    """), {"who": LOGIN[Role.SHIFT_LEADER]})
    desk.session.execute(text("""
        INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline,
                                     answered_at)
        VALUES (-1, -1, true, :c, '2001-03-05 10:00+08', '2001-03-05 12:00+08', NULL)
    """), {"c": C1})
    _register(desk.session, C1)
    with desk.as_(Role.INSPECTOR) as s:
        assert assessment.suggest(s, MARCH) == 2
        assert assessment.suggest(s, MARCH) == 0  # offered once
        found = {x.staff_id: x for x in assessment.suggestions(s, MARCH)}
        assert (found[LOGIN[Role.SHIFT_LEADER]].counter, found[LOGIN[Role.SHIFT_LEADER]].value) \
            == ("late_steps", 2)
        assert (found[C1].counter, found[C1].value, found[C1].rule) \
            == ("overdue_tasks", 1, "passive_work")
        # Nothing applied until decided.
        assert _by_id(assessment.ranking(s, MARCH))[C1].score == Decimal(100)
        entry = assessment.decide(s, suggestion_id=found[C1].suggestion_id, accept=True)
        none = assessment.decide(s, suggestion_id=found[LOGIN[Role.SHIFT_LEADER]].suggestion_id,
                                 accept=False, reason="系统原因")
        inspector_own = found.get(LOGIN[Role.INSPECTOR])
        assert inspector_own is None  # the inspector had no late step
        assert entry is not None and none is None
        assert _by_id(assessment.ranking(s, MARCH))[C1].score == Decimal(98)
        assert _by_id(assessment.ranking(s, MARCH))[LOGIN[Role.SHIFT_LEADER]].score \
            == Decimal(100)
        assert assessment.suggestions(s, MARCH) == []
    with pytest.raises(ValidationError) as err, desk.as_(Role.ADMIN) as s:
        assessment.decide(s, suggestion_id=found[C1].suggestion_id, accept=True)
    assert err.value.problem == "decided_already"


def test_every_write_is_announced_on_the_one_channel(owner_engine: Engine) -> None:
    listener = owner_engine.raw_connection()
    listener.detach()  # its own connection, closed after: never back in the pool
    try:
        listener.dbapi_connection.set_isolation_level(0)  # autocommit: LISTEN now
        with listener.cursor() as cur:
            cur.execute("LISTEN seatdesk_changes")
        # Committed (append-only, it stays): February 2000, read by no other test.
        with session_factory(owner_engine).begin() as s:
            s.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"),
                      {"l": LOGIN[Role.INSPECTOR]})
            _register(s, C2)
            _rec(s, C, C2, "media_exposure", 1, date(2000, 2, 3))
        conn = listener.dbapi_connection
        deadline = time.monotonic() + 5
        payloads: list[str] = []
        while time.monotonic() < deadline and '{"kind":"assessment"}' not in payloads:
            select.select([conn], [], [], 0.5)
            conn.poll()
            payloads += [n.payload for n in conn.notifies]
            conn.notifies.clear()
        assert '{"kind":"assessment"}' in payloads
        assert decode('{"kind":"assessment"}') == Notice(Kind.ASSESSMENT)
    finally:
        listener.close()


# ---- over real logins, as psql would


def _refusal(engine: Engine, sql: str, **params: object) -> str:
    with pytest.raises(DBAPIError) as err, engine.begin() as conn:
        conn.execute(text(sql), params)
    return str(err.value.orig)


@pytest.mark.parametrize("table", ["assessment_entries", "assessment_rules",
                                   "assessment_suggestions", "assessment_decisions"])
def test_no_seat_writes_the_tables_directly(seats: dict[Role, Engine], table: str) -> None:
    for role, engine in seats.items():
        for sql in (f"DELETE FROM {table}", f"UPDATE {table} SET reason = NULL"
                    if table == "assessment_entries" else f"TRUNCATE {table}",
                    f"INSERT INTO {table} DEFAULT VALUES"):
            assert "permission denied" in _refusal(engine, sql), (role, sql)


def test_a_seat_login_is_refused_the_function_and_the_ranking(
    seats: dict[Role, Engine]
) -> None:
    acceptor = seats[Role.ACCEPTOR]
    for sql in (
        "SELECT seatdesk_assessment_record('user', 'acceptor1', 'public_praise', 10, "
        "DATE '2001-03-01', '自评')",
        "SELECT * FROM seatdesk_assessment_ranking(DATE '2001-03-01')",
        "SELECT seatdesk_set_assessment_settings('{\"base\": 1000}')",
        "SELECT * FROM seatdesk_assessment_scores(DATE '2001-03-01', 100, 1, NULL)",
    ):
        message = _refusal(acceptor, sql)
        assert "may not" in message or "permission denied" in message, sql
    # The inspector may record but not change the settings.
    assert "may not" in _refusal(seats[Role.INSPECTOR],
                                 "SELECT seatdesk_set_assessment_settings('{\"base\": 1}')")


def test_a_seat_reads_its_own_entries_only(owner_engine: Engine,
                                          seats: dict[Role, Engine]) -> None:
    # Committed (entries are append-only, so they stay): January 2000, read by no other test.
    with session_factory(owner_engine).begin() as s:
        s.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"),
                  {"l": LOGIN[Role.INSPECTOR]})
        _register(s, C1)
        _rec(s, U, LOGIN[Role.ACCEPTOR], "no_vest_helmet", 1, date(2000, 1, 3))
        _rec(s, C, C1, "no_vest_helmet", 1, date(2000, 1, 3))
    with seats[Role.ACCEPTOR].connect() as conn:
        seen = conn.execute(text(
            "SELECT DISTINCT staff_id FROM assessment_entries WHERE month = '2000-01-01'"
        )).scalars().all()
    with seats[Role.INSPECTOR].connect() as conn:
        all_seen = conn.execute(text(
            "SELECT DISTINCT staff_id FROM assessment_entries WHERE month = '2000-01-01'"
        )).scalars().all()
    assert seen == [LOGIN[Role.ACCEPTOR]]
    assert sorted(all_seen) == sorted([LOGIN[Role.ACCEPTOR], C1])


# ---- Excel


def test_the_export_reopens_with_the_ranking_and_the_entries(desk: Desk, tmp_path: Path) -> None:
    _hand_made(desk)
    target = tmp_path / "考核.xlsx"
    with desk.as_(Role.INSPECTOR) as s:
        assessment_workbook.export_month(s, MARCH, target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["考核排名", "考核明细"]
    ranking = book["考核排名"]
    headers = [c.value for c in ranking[3]]
    assert headers[:4] == ["名次", "人员类别", "工号/账号", "姓名"]
    assert ranking.freeze_panes == "A4" and ranking.auto_filter.ref.startswith("A3:J")
    rows = {r[2]: r for r in ranking.iter_rows(min_row=4, values_only=True)}
    assert rows[C2][headers.index("得分")] == 94
    assert rows[C2][headers.index("末位")] == "是"
    assert rows[C2][headers.index("连续两月末位（末位淘汰）")] == "是"
    assert rows[C2][1] == "信息采集员"
    assert rows[LOGIN[Role.ACCEPTOR]][headers.index("扣分")] == -5
    entries = book["考核明细"]
    lines = list(entries.iter_rows(min_row=4, values_only=True))
    assert len(lines) == 11  # March: 2 + 2 + 2 + 3 (one a reversal) + 2
    assert any(line[4] == "市级及以上检查扣分（×2计入）" and line[6] == -4 for line in lines)
    assert ranking.column_dimensions["D"].width >= 8


def test_the_command_line_exports_for_a_manager_and_refuses_a_seat(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path
) -> None:
    def run(login: str, out: Path) -> subprocess.CompletedProcess[str]:
        url = server.url.set(username=login, password=seeded.passwords[login])
        env = {**os.environ, "SEATDESK_LANG": "zh", "COLUMNS": "200",
               "SEATDESK_DATABASE_URL": url.render_as_string(hide_password=False)}
        return subprocess.run(
            [sys.executable, "-m", "seatdesk.cli", "assessment", "export", "--month",
             "2000-02", str(out)], capture_output=True, text=True, env=env, timeout=120)

    ok = run(LOGIN[Role.INSPECTOR], tmp_path / "a.xlsx")
    assert ok.returncode == 0, ok.stderr
    assert "2000-02 考核已导出到" in ok.stdout
    assert openpyxl.load_workbook(tmp_path / "a.xlsx")["考核排名"]["A3"].value == "名次"
    refused = run(LOGIN[Role.ACCEPTOR], tmp_path / "b.xlsx")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "查看考核排名" in refused.stderr
    assert not (tmp_path / "b.xlsx").exists()


class _CancelAfterReading:
    """Progress that asks to stop once the ranking has been read."""

    def __init__(self) -> None:
        self.steps = 0

    def start(self, total: int) -> None:
        del total

    def advance(self, steps: int = 1) -> None:
        self.steps += steps

    def status(self, text: str) -> None:
        del text

    def cancelled(self) -> bool:
        return self.steps >= 1


def test_a_cancelled_export_leaves_no_file(desk: Desk, tmp_path: Path) -> None:
    target = tmp_path / "cancelled.xlsx"
    with pytest.raises(Cancelled), desk.as_(Role.INSPECTOR) as s:
        assessment_workbook.export_month(s, MARCH, target, _CancelAfterReading())
    assert list(tmp_path.iterdir()) == []


def test_the_settings_from_the_command_line_admin_only(
    server: ServerAddress, seeded: DemoResult
) -> None:
    def run(login: str, *args: str) -> subprocess.CompletedProcess[str]:
        url = server.url.set(username=login, password=seeded.passwords[login])
        env = {**os.environ, "SEATDESK_LANG": "zh", "COLUMNS": "200",
               "SEATDESK_DATABASE_URL": url.render_as_string(hide_password=False)}
        return subprocess.run([sys.executable, "-m", "seatdesk.cli", "assessment", "settings",
                               *args], capture_output=True, text=True, env=env, timeout=120)

    shown = run(LOGIN[Role.INSPECTOR])
    assert shown.returncode == 0, shown.stderr
    assert "基础分 100" in shown.stdout and "最低 1 名" in shown.stdout
    refused = run(LOGIN[Role.INSPECTOR], "--base", "120")
    assert refused.returncode != 0 and "修改考核设置" in refused.stderr
    both = run(LOGIN[Role.ADMIN], "--bottom-n", "2", "--bottom-share", "0.1")
    assert both.returncode == 2
    bad = run(LOGIN[Role.ADMIN], "--bottom-share", "0.9")
    assert bad.returncode != 0 and "0.9" in bad.stderr and "Traceback" not in bad.stderr
    # Set and put back (the settings are the database's, shared by every test).
    changed = run(LOGIN[Role.ADMIN], "--bottom-share", "0.1")
    assert changed.returncode == 0 and "最低 10%" in changed.stdout, changed.stderr
    back = run(LOGIN[Role.ADMIN], "--bottom-n", "1")
    assert back.returncode == 0 and "最低 1 名" in back.stdout
