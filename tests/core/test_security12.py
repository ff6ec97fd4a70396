"""Issue 12's security review (``notes/security12/REPORT.md``): each hole found in the
functions of 0022, 0024 and 0025, refused since migration 0027; and the guards that held,
kept so that a later revision cannot loosen them unnoticed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk import messages
from seatdesk.db import migrate
from seatdesk.db.calls import call
from seatdesk.domain.glossary import Role, State
from seatdesk.domain.statistics import StatsFilter
from seatdesk.errors import ValidationError
from seatdesk.services import supervision
from seatdesk.services.stats_departments import department_table
from tests.core.conftest import DEPARTMENT, Desk

#: The tables issue 12 added; no seat writes any of them but through a function.
NEW_TABLES = [
    "case_handlings", "settings_events", "case_milestones", "collector_tasks",
    "callback_samples", "callback_sample_items", "monthly_reports", "monthly_report_events",
]
#: An integer of 401 digits: valid JSON, and more than a Python float holds.
HUGE = "1" + "0" * 400


def _settings(desk: Desk, value: str) -> None:
    with desk.as_(Role.ADMIN) as s:
        call(s, "SELECT seatdesk_set_statistics_settings(CAST(:v AS jsonb))", {"v": value})


# ---- the holes (each test failed before 0027)


@pytest.mark.parametrize("number", [HUGE, "1e400", "1000000.5"])
def test_a_statistics_setting_too_large_for_python_is_refused(desk: Desk, number: str) -> None:
    with pytest.raises(ValidationError) as err:
        _settings(desk, f'{{"score_rework": {number}}}')
    assert (err.value.field, err.value.problem) == ("statistics", "out_of_range")


def test_a_department_seat_still_reads_its_table_after_a_refused_setting(desk: Desk) -> None:
    with pytest.raises(ValidationError):
        _settings(desk, f'{{"index_check": {HUGE}}}')
    _settings(desk, '{"index_check": 1000000}')  # the largest allowed: still a float
    period = StatsFilter(datetime(2020, 1, 1, tzinfo=UTC),
                         datetime.now(UTC) + timedelta(days=1))
    with desk.as_(Role.DEPARTMENT) as s:
        rows = department_table(s, period).as_dicts()
    assert {r["department"] for r in rows} <= {DEPARTMENT}


@pytest.mark.parametrize("month", ["-infinity", "0044-03-01 BC", "1969-12-01"])
def test_a_monthly_report_of_no_real_month_cannot_be_claimed(desk: Desk, month: str) -> None:
    with pytest.raises(ValidationError) as err, desk.as_(Role.ACCEPTOR) as s:
        call(s, "SELECT seatdesk_claim_monthly_report(CAST(:m AS date))", {"m": month})
    assert (err.value.field, err.value.problem) == ("month", "out_of_range")
    assert desk.scalar("SELECT count(*) FROM monthly_reports "
                       "WHERE NOT isfinite(month) OR month < '1970-01-01'") == 0


@pytest.mark.parametrize("period", [
    ("4713-01-01 BC", "4713-01-02 BC"), ("-infinity", "2020-01-01"),
    ("infinity", "infinity"), ("1969-12-01", "1969-12-31"),
])
def test_a_callback_sample_of_no_real_period_cannot_be_drawn(
    desk: Desk, period: tuple[str, str]
) -> None:
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        call(s, "SELECT seatdesk_draw_callback_sample(CAST(:f AS date), CAST(:t AS date))",
             {"f": period[0], "t": period[1]})
    assert (err.value.field, err.value.problem) == ("period", "out_of_range")


@pytest.mark.parametrize("other", [
    (date(1971, 2, 28), date(1971, 3, 31)),  # one day more: a fresh seed, the same replies
    (date(1971, 3, 1), date(1971, 4, 1)),
    (date(1971, 3, 10), date(1971, 3, 20)),  # inside
    (date(1971, 1, 1), date(1971, 12, 31)),  # around
])
def test_a_period_overlapping_a_draw_cannot_re_roll_it(
    desk: Desk, other: tuple[date, date]
) -> None:
    with desk.as_(Role.INSPECTOR) as s:
        supervision.draw_sample(s, period_from=date(1971, 3, 1), period_to=date(1971, 3, 31))
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.draw_sample(s, period_from=other[0], period_to=other[1])
    assert (err.value.field, err.value.problem) == ("period", "overlaps")
    assert err.value.problem_values["other"] == "1971-03-01 – 1971-03-31"
    # The month before and the month after are periods of their own.
    with desk.as_(Role.INSPECTOR) as s:
        supervision.draw_sample(s, period_from=date(1971, 2, 1), period_to=date(1971, 2, 28))
        supervision.draw_sample(s, period_from=date(1971, 4, 1), period_to=date(1971, 4, 30))
    assert desk.scalar("SELECT count(*) FROM callback_samples "
                       "WHERE period_from BETWEEN '1971-01-01' AND '1971-12-31'") == 3


def test_every_refusal_0027_adds_has_its_words() -> None:
    source = (Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
              / "0027_security_review_12.py").read_text(encoding="utf-8")
    named = set(re.findall(r"seatdesk_invalid\('(\w+)', '(\w+)'", source))
    assert {("month", "out_of_range"), ("period", "overlaps")} <= named
    known = messages.keys()
    for field, problem in named | {("period", "out_of_range"), ("statistics", "out_of_range")}:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem
    assert "1971-03-01" in messages.t("problem.overlaps", value="1971-03-02 – 1971-03-31",
                                      other="1971-03-01 – 1971-03-31")


@pytest.mark.parametrize("note", ["\u2002\u2002", "\u2009\u202f\u205f", "\u3000\u200a\t"])
def test_a_department_urge_of_unicode_white_space_only_is_refused(
    desk: Desk, note: str
) -> None:
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.urge_department(s, department=DEPARTMENT, note=note)
    assert (err.value.field, err.value.problem) == ("note", "required")


def test_a_department_urge_keeps_its_words_without_the_white_space(desk: Desk) -> None:
    case_id = desk.case_in(State.DISPATCHED)
    desk.session.execute(text("UPDATE cases SET deadline_status = 'overdue' WHERE id = :i"),
                         {"i": case_id})
    with desk.as_(Role.INSPECTOR) as s:
        done = supervision.urge_department(s, department=DEPARTMENT,
                                           note="\u2002请尽快处置\u3000")
    assert done.urged >= 1
    assert desk.scalar("SELECT note FROM case_events WHERE action = 'urge' AND case_id = :i",
                       i=case_id) == "请尽快处置"


@pytest.mark.parametrize("note", ["\u3000\u3000", "\u2002\u00a0"])
def test_an_urge_of_one_case_of_unicode_white_space_only_is_refused(
    desk: Desk, note: str
) -> None:
    case_id = desk.case_in(State.DISPATCHED)
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.urge_case(s, case_id=case_id, note=note)
    assert (err.value.field, err.value.problem) == ("note", "required")
    with desk.as_(Role.INSPECTOR) as s:
        supervision.urge_case(s, case_id=case_id, note="\u3000请尽快处置\u2002")
    assert desk.scalar("SELECT note FROM case_events WHERE action = 'urge' AND case_id = :i",
                       i=case_id) == "请尽快处置"


# ---- the guards that held, over real logins


def _refusal(engine: Engine, sql: str) -> str:
    with pytest.raises(DBAPIError) as err, engine.begin() as conn:
        conn.execute(text(sql))
    return str(err.value.orig)


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


def test_a_department_seat_reads_only_its_own_department(seats: dict[Role, Engine]) -> None:
    with seats[Role.DEPARTMENT].connect() as conn:
        assert set(conn.execute(text("SELECT DISTINCT department FROM case_handlings"))
                   .scalars()) <= {DEPARTMENT}
        for table in ("case_milestones", "collector_tasks"):
            assert conn.execute(text(
                f"SELECT count(*) FROM {table} t JOIN cases c ON c.id = t.case_id "
                "WHERE c.current_department IS DISTINCT FROM :d"), {"d": DEPARTMENT}
            ).scalar_one() == 0
            # Rows whose case the seat cannot see are not there at all.
            assert conn.execute(text(
                f"SELECT count(*) FROM {table} t "
                "WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = t.case_id)")
            ).scalar_one() == 0
    for table in ("callback_samples", "callback_sample_items", "monthly_reports",
                  "monthly_report_events", "settings_events"):
        assert "permission denied" in _refusal(seats[Role.DEPARTMENT],
                                               f"SELECT count(*) FROM {table}")


def test_the_intake_service_reads_no_statistics(seats: dict[Role, Engine]) -> None:
    for table in [*NEW_TABLES, "centre_settings"]:
        assert "permission denied" in _refusal(seats[Role.INTAKE],
                                               f"SELECT count(*) FROM {table}")


def test_every_security_definer_function_pins_its_search_path_and_none_is_public(
    seats: dict[Role, Engine],
) -> None:
    with seats[Role.ACCEPTOR].connect() as conn:
        unpinned = conn.execute(text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prosecdef AND NOT EXISTS ("
            "  SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) c "
            "  WHERE c LIKE 'search_path=%')")).scalars().all()
        public = conn.execute(text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prosecdef AND (p.proacl IS NULL OR EXISTS ("
            "  SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))")).scalars().all()
    assert unpinned == [] and public == []


def test_the_samples_and_months_of_real_dates_still_work(desk: Desk) -> None:
    """The bounds refuse no real period: 1970 on, as the other tests' committed ones."""
    with desk.as_(Role.INSPECTOR) as s:
        sample = supervision.draw_sample(s, period_from=date(1970, 1, 1),
                                         period_to=date(1970, 1, 31))
    assert sample > 0
    with desk.as_(Role.ACCEPTOR) as s:
        assert call(s, "SELECT seatdesk_claim_monthly_report(DATE '1970-01-01')", {}).scalar()
