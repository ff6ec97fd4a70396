"""Supervision (督查) on the real database: late cases per department, 督办 of one case
and of a whole department in one transaction, the inspector's check request, and the
random callback sample."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk import messages
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import (
    Action,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    Role,
    State,
    SupervisionAction,
)
from seatdesk.errors import NotFound, PermissionDenied, ValidationError
from seatdesk.services import complaints, deadlines, queues, supervision
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import ComplaintId, NewComplaint
from seatdesk.services.statistics import read_settings
from tests.core.conftest import DEPARTMENT, LOGIN, Desk

NOTE = "请于今日内处置完毕"


def _late_case(desk: Desk, status: DeadlineStatus) -> CaseId:
    """A case dispatched to the department, flagged ``status`` (the owner sets the flag
    the sweep would set, so the test controls exactly which cases are late)."""
    case_id = desk.case_in(State.DISPATCHED)
    desk.session.execute(
        text("UPDATE cases SET deadline_status = :s WHERE id = :i"),
        {"s": status.value, "i": case_id},
    )
    return case_id


def _only_these_late(desk: Desk) -> None:
    desk.session.execute(
        text("UPDATE cases SET deadline_status = 'normal' WHERE current_department = :d"),
        {"d": DEPARTMENT},
    )


def _urges(desk: Desk, case_ids: list[CaseId]) -> list[tuple[int, str, str]]:
    rows = desk.session.execute(
        text("SELECT case_id, actor, note FROM case_events WHERE action = 'urge' "
             "AND case_id = ANY(:ids) ORDER BY case_id"),
        {"ids": case_ids},
    ).all()
    return [(int(r[0]), r[1], r[2]) for r in rows]


# ---- late cases


def test_late_cases_are_counted_per_department(desk: Desk) -> None:
    _only_these_late(desk)
    _late_case(desk, DeadlineStatus.OVERDUE)
    _late_case(desk, DeadlineStatus.OVERDUE)
    warning = _late_case(desk, DeadlineStatus.WARNING)
    normal = desk.case_in(State.DISPATCHED)
    with desk.as_(Role.INSPECTOR) as s:
        counts = {d.code: d for d in supervision.late_by_department(s)}
        page = queues.queue(s, supervision.late_query(DEPARTMENT))
    sz = counts[DEPARTMENT]
    assert (sz.warning, sz.overdue, sz.total) == (1, 2, 3)
    # Overdue first, then the yellow one; the case on time is not listed.
    assert [r.deadline_status for r in page.rows] == [
        DeadlineStatus.OVERDUE, DeadlineStatus.OVERDUE, DeadlineStatus.WARNING]
    assert page.rows[-1].id == warning and normal not in {r.id for r in page.rows}


def test_the_list_pages_by_keyset(desk: Desk) -> None:
    _only_these_late(desk)
    made = [_late_case(desk, DeadlineStatus.OVERDUE) for _ in range(3)]
    query = supervision.late_query(DEPARTMENT)
    with desk.as_(Role.INSPECTOR) as s:
        first = queues.queue(s, replace(query, limit=2))
        assert len(first.rows) == 2 and first.next is not None
        second = queues.queue(s, replace(query, limit=2, after=first.next))
    assert sorted(r.id for r in [*first.rows, *second.rows]) == sorted(made)
    assert second.next is None


def test_a_case_the_sweep_flags_is_counted_at_once(desk: Desk) -> None:
    with desk.as_(Role.INSPECTOR) as s:
        before = {d.code: d.overdue for d in supervision.late_by_department(s)}
    case_id = desk.new_case()  # no department yet: 15 minutes to register
    deadlines.sweep_at(desk.session, desk.now() + timedelta(minutes=16))
    with desk.as_(Role.INSPECTOR) as s:
        after = {d.code: d.overdue for d in supervision.late_by_department(s)}
        page = queues.queue(s, replace(supervision.late_query(None), limit=1000))
    ids = {r.id for r in page.rows}
    assert after[None] >= before.get(None, 0) + 1
    assert case_id in ids


# ---- 督办


def test_the_inspector_urges_one_case(desk: Desk) -> None:
    case_id = _late_case(desk, DeadlineStatus.OVERDUE)
    version = desk.version(case_id)
    with desk.as_(Role.INSPECTOR) as s:
        changes = supervision.urge_case(s, case_id=case_id, note=NOTE)
    assert changes.case_ids == {case_id}
    assert _urges(desk, [case_id]) == [(case_id, LOGIN[Role.INSPECTOR], NOTE)]
    assert desk.version(case_id) == version  # the case itself does not change
    # The department seat sees the 督办 with its note in the case's trail.
    with desk.as_(Role.DEPARTMENT) as s:
        trail = queues.timeline(s, case_id)
    assert [(e.action, e.note) for e in trail][-1] == ("urge", NOTE)


def test_urging_a_department_urges_its_overdue_cases_only(desk: Desk) -> None:
    _only_these_late(desk)
    a = _late_case(desk, DeadlineStatus.OVERDUE)
    b = _late_case(desk, DeadlineStatus.OVERDUE)
    yellow = _late_case(desk, DeadlineStatus.WARNING)
    with desk.as_(Role.INSPECTOR) as s:
        done = supervision.urge_department(s, department=DEPARTMENT, note=f"  {NOTE} ")
    assert done.urged == 2 and done.changes.entities == {"cases"}
    inspector = LOGIN[Role.INSPECTOR]
    assert _urges(desk, [a, b, yellow]) == sorted([(a, inspector, NOTE), (b, inspector, NOTE)])
    # One statement: the events are numbered in the cases' id order, at one moment.
    rows = desk.session.execute(
        text("SELECT case_id, at FROM case_events WHERE action = 'urge' "
             "AND case_id = ANY(:ids) ORDER BY id"), {"ids": [a, b]}).all()
    assert [r[0] for r in rows] == sorted([a, b]) and rows[0][1] == rows[1][1]


def test_urging_a_department_is_all_or_nothing(desk: Desk) -> None:
    _only_these_late(desk)
    first = _late_case(desk, DeadlineStatus.OVERDUE)
    last = _late_case(desk, DeadlineStatus.OVERDUE)
    # Any failure on the LAST case's event (here a trigger of the test's own) must take
    # back the events already written for the others.
    desk.session.execute(text(f"""
        CREATE FUNCTION test_refuse_urge() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.action = 'urge' AND NEW.case_id = {int(last)} THEN
                RAISE EXCEPTION 'refused for the test';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER test_refuse_urge BEFORE INSERT ON case_events
        FOR EACH ROW EXECUTE FUNCTION test_refuse_urge();
    """))
    with pytest.raises(DBAPIError), desk.as_(Role.INSPECTOR) as s:
        supervision.urge_department(s, department=DEPARTMENT, note=NOTE)
    assert _urges(desk, [first, last]) == []


@pytest.mark.parametrize("role", [Role.ACCEPTOR, Role.DISPATCHER, Role.DEPARTMENT,
                                  Role.MONITOR, Role.SHIFT_LEADER, Role.ADMIN])
def test_only_the_inspector_urges_a_department(desk: Desk, role: Role) -> None:
    with pytest.raises(PermissionDenied) as err, desk.as_(role) as s:
        supervision.urge_department(s, department=DEPARTMENT, note=NOTE)
    assert err.value.allowed == {Role.INSPECTOR}
    assert err.value.action is SupervisionAction.URGE_DEPARTMENT
    assert "部门批量督办" in str(err.value) or "urge a department" in str(err.value)


def test_a_department_urge_needs_a_note_and_a_department(desk: Desk) -> None:
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.urge_department(s, department=DEPARTMENT, note=" \n ")
    assert (err.value.field, err.value.problem) == ("note", "required")
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.urge_department(s, department=DEPARTMENT, note="催" * 2001)
    assert (err.value.field, err.value.problem) == ("note", "too_long")
    with pytest.raises(NotFound), desk.as_(Role.INSPECTOR) as s:
        supervision.urge_department(s, department="NO-SUCH", note=NOTE)


# ---- over real logins, with raw SQL


@pytest.fixture(scope="module")
def logins(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[Role, Engine]]:
    made = {
        role: connect(server.for_login(LOGIN[role], seeded.passwords[LOGIN[role]]))
        for role in (Role.INSPECTOR, Role.DEPARTMENT, Role.DISPATCHER, Role.MONITOR)
    }
    yield made
    for engine in made.values():
        engine.dispose()


def _refused(engine: Engine, sql: str, **params: object) -> str:
    with engine.connect() as conn:
        try:
            with pytest.raises(DBAPIError) as err:
                conn.execute(text(sql), params)
        finally:
            conn.rollback()
    return str(err.value.orig)


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.DISPATCHER, Role.MONITOR])
def test_a_seat_cannot_urge_a_department_by_raw_sql(
    logins: dict[Role, Engine], role: Role
) -> None:
    message = _refused(logins[role], "SELECT seatdesk_urge_department('SZ', 'x')")
    assert "may not urge a department" in message


def test_no_seat_writes_urges_or_samples_by_raw_sql(logins: dict[Role, Engine]) -> None:
    inspector = logins[Role.INSPECTOR]
    for sql in (
        "INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note) "
        "SELECT id, 'urge', state, state, 'inspector1', now(), 'x' FROM cases LIMIT 1",
        "INSERT INTO callback_samples (period_from, period_to, share, seed, population, "
        "drawn_by, drawn_at) VALUES ('2001-01-01', '2001-01-31', 1, 'x', 0, 'x', now())",
        "DELETE FROM callback_sample_items",
        "UPDATE callback_samples SET seed = 'x'",
    ):
        assert "permission denied" in _refused(inspector, sql)
    # A department reads no sample at all.
    assert "permission denied" in _refused(
        logins[Role.DEPARTMENT], "SELECT count(*) FROM callback_samples")


def test_a_real_inspector_login_urges_a_department_in_one_transaction(
    logins: dict[Role, Engine],
) -> None:
    with logins[Role.INSPECTOR].connect() as conn:
        try:
            expected = conn.execute(text(
                "SELECT count(*) FROM cases WHERE current_department = 'SZ' "
                "AND deadline_status = 'overdue' "
                "AND state NOT IN ('closed', 'merged', 'rejected', 'voided')")).scalar_one()
            n = conn.execute(text("SELECT seatdesk_urge_department('SZ', '真实登录督办')"))
            assert n.scalar_one() == expected
            actors = conn.execute(text(
                "SELECT DISTINCT actor FROM case_events WHERE note = '真实登录督办'")).all()
            assert actors == ([("inspector1",)] if expected else [])
        finally:
            conn.rollback()


# ---- the inspector's check request


def test_the_inspector_sends_a_handled_case_to_be_checked(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLED)
    with desk.as_(Role.INSPECTOR) as s:
        page = queues.queue(s, supervision.awaiting_check_query())
        assert State.HANDLED in queues.queue_states(supervision.awaiting_check_query())
    assert case_id in {r.id for r in page.rows} or page.next is not None
    desk.perform(Role.INSPECTOR, Action.REQUEST_CHECK, case_id, collector="采集员王五")
    assert desk.state(case_id) is State.CHECKING
    event = queues.timeline(desk.session, case_id)[-1]
    assert (event.action, event.actor, event.collector) == (
        "request_check", LOGIN[Role.INSPECTOR], "采集员王五")


def test_the_databases_workflow_lets_the_inspector_request_a_check(desk: Desk) -> None:
    roles = desk.scalar("SELECT roles FROM workflow_transitions "
                        "WHERE from_state = 'handled' AND action = 'request_check'")
    assert sorted(roles) == ["acceptor", "inspector"]


# ---- 随机回访抽查

PERIOD = (date(2019, 3, 1), date(2019, 3, 31))  # before any demo complaint


def _replied(desk: Desk, n: int, day: date) -> list[ComplaintId]:
    """``n`` complaints replied on ``day`` (the owner stamps the reply, so the period
    holds exactly these)."""
    made = []
    for i in range(n):
        with desk.as_(Role.MONITOR) as s:
            cid, _ = complaints.create_complaint(
                s, NewComplaint(channel=ComplaintChannel.HOTLINE_12319,
                                content=f"抽查测试投诉{i}", complainant="王小明",
                                complainant_phone="13805771234"))
        made.append(cid)
    desk.session.execute(
        text("UPDATE complaints SET state = 'replied', reply_text = '已处理', "
             "reply_method = 'phone', replied_at = (:d)::timestamp AT TIME ZONE "
             "'Asia/Shanghai' + interval '10 hours' WHERE id = ANY(:ids)"),
        {"d": day, "ids": made},
    )
    return made


def _share(desk: Desk, share: float) -> None:
    desk.session.execute(
        text("INSERT INTO centre_settings (key, value) VALUES ('statistics', "
             "jsonb_build_object('callback_sample_share', :v)) ON CONFLICT (key) "
             "DO UPDATE SET value = centre_settings.value || excluded.value"),
        {"v": share},
    )


def test_sample_size_rounds_up() -> None:
    assert supervision.sample_size(0.1, 0) == 0
    assert supervision.sample_size(0.1, 1) == 1  # 0.1 → 1
    assert supervision.sample_size(0.3, 7) == 3  # 2.1 → 3
    assert supervision.sample_size(0.25, 8) == 2  # exactly 2
    assert supervision.sample_size(1, 5) == 5


def test_a_draw_takes_the_share_and_is_reproducible_from_its_seed(desk: Desk) -> None:
    inside = _replied(desk, 7, date(2019, 3, 15))
    _replied(desk, 2, date(2019, 4, 1))  # the day after the period: not drawn from
    _share(desk, 0.3)
    with desk.as_(Role.INSPECTOR) as s:
        sample_id = supervision.draw_sample(s, period_from=PERIOD[0], period_to=PERIOD[1])
        sample = supervision.get_sample(s, sample_id)
    assert sample is not None
    # 7 replied in March × 0.3 = 2.1 → 3 complaints.
    assert (sample.population, float(sample.share), len(sample.items)) == (7, 0.3, 3)
    # The database reads the share the statistics settings hold (the shared contract).
    assert float(sample.share) == read_settings(desk.session).callback_sample_share
    assert sample.drawn_by == LOGIN[Role.INSPECTOR]
    # Anyone can check the draw against its seed.
    by_seed = sorted(inside, key=lambda i: (hashlib.md5(
        f"{sample.seed}:{i}".encode()).hexdigest(), i))[:3]
    assert [i.complaint_id for i in sample.items] == by_seed
    assert [i.rank for i in sample.items] == [1, 2, 3]
    # Masked: the name as the database masks it, never the phone.
    assert {i.complainant_masked for i in sample.items} == {"王**"}
    assert all(i.state is ComplaintState.REPLIED for i in sample.items)


def test_a_period_is_drawn_once_and_everyone_sees_that_draw(desk: Desk) -> None:
    _replied(desk, 5, date(2019, 3, 2))
    _share(desk, 0.4)
    with desk.as_(Role.INSPECTOR) as s:
        first = supervision.draw_sample(s, period_from=PERIOD[0], period_to=PERIOD[1])
        drawn = supervision.get_sample(s, first)
    _share(desk, 1.0)  # a later share does not re-roll the period
    with desk.as_(Role.INSPECTOR) as s:
        again = supervision.draw_sample(s, period_from=PERIOD[0], period_to=PERIOD[1])
    with desk.as_(Role.MONITOR) as s:
        seen = supervision.find_sample(s, period_from=PERIOD[0], period_to=PERIOD[1])
    assert again == first and seen == drawn
    assert drawn is not None and len(drawn.items) == 2  # 5 × 0.4 = 2
    assert desk.scalar("SELECT count(*) FROM callback_samples WHERE period_from = :f",
                       f=PERIOD[0]) == 1


def test_only_the_inspector_draws_and_the_period_must_make_sense(desk: Desk) -> None:
    for role in (Role.MONITOR, Role.ACCEPTOR, Role.DEPARTMENT):
        with pytest.raises(PermissionDenied), desk.as_(role) as s:
            supervision.draw_sample(s, period_from=PERIOD[0], period_to=PERIOD[1])
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.draw_sample(s, period_from=PERIOD[1], period_to=PERIOD[0])
    assert (err.value.field, err.value.problem) == ("period", "out_of_range")
    # A period that has not ended yet cannot be drawn (its replies are not all in).
    today = desk.scalar("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date")
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        supervision.draw_sample(s, period_from=today.replace(day=1), period_to=today)
    assert (err.value.field, err.value.problem) == ("period", "in_future")


def test_a_draw_cannot_be_changed_even_by_the_owner(desk: Desk) -> None:
    _replied(desk, 1, date(2019, 3, 3))
    with desk.as_(Role.INSPECTOR) as s:
        supervision.draw_sample(s, period_from=PERIOD[0], period_to=PERIOD[1])
    nested = desk.session.begin_nested()
    with pytest.raises(DBAPIError):
        desk.session.execute(text("DELETE FROM callback_sample_items"))
    nested.rollback()


def test_every_refusal_of_the_supervision_functions_has_its_words() -> None:
    source = (Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
              / "0024_supervision.py").read_text(encoding="utf-8")
    named = set(re.findall(r"seatdesk_invalid\('(\w+)', '(\w+)'", source))
    named |= {(f, "too_long") for f in re.findall(r"seatdesk_check_length\('(\w+)'", source)}
    assert ("period", "out_of_range") in named and ("note", "too_long") in named
    known = messages.keys()
    for field, problem in named:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem


def test_two_inspectors_drawing_the_same_period_at_once_get_one_draw(
    logins: dict[Role, Engine],
) -> None:
    """The second waits for the first to commit, then takes the first's draw (committed:
    a period of 1998 that holds no complaint, drawn for this test alone)."""
    period = {"f": date(1998, 7, 1), "t": date(1998, 7, 31)}
    sql = text("SELECT seatdesk_draw_callback_sample(:f, :t)")
    engine = logins[Role.INSPECTOR]
    second: dict[str, object] = {}

    def draw_second() -> None:
        with engine.begin() as conn:
            second["id"] = conn.execute(sql, period).scalar_one()

    with engine.connect() as first:
        first_id = first.execute(sql, period).scalar_one()
        thread = threading.Thread(target=draw_second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting on the first's uncommitted draw
        first.commit()
    thread.join(timeout=10)
    assert second["id"] == first_id
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT count(*) FROM callback_samples WHERE period_from = :f AND period_to = :t"),
            period).scalar_one() == 1
