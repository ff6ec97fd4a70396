"""What each action needs: one table (``workflow.NEEDS``) that every action has a row in
and a wired service call for, enforced by the database over a seat's own SQL.

核实 and 核查 record the collector's reply and at least one photo of this round; 发起核实
and 发起核查 name the collector; 处置反馈 needs a photo of the result unless the centre
switches ``require_result_photo`` off. The refusals are tried as a seat would with psql:
``seatdesk_case_act`` called directly, no Python check in between.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.calls import call
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, Role, State
from seatdesk.errors import ValidationError
from seatdesk.services import actions, queues
from seatdesk.services import calendar as calendar_service
from seatdesk.services.actions import ActionInput
from seatdesk.terms import field_name
from tests.core.conftest import Desk, png


def test_every_action_has_a_requirement_row_and_a_service_call() -> None:
    assert set(workflow.NEEDS) == set(Action)
    assert set(actions.ACTION_CALLS) == set(Action)
    for action, needs in workflow.NEEDS.items():
        # A photo that is required belongs to a step; a waiver needs a requirement.
        assert not needs.photo or needs.photo_step is not None, action
        assert needs.photo_setting is None or needs.photo, action
        for field in (*needs.fields, *needs.optional):
            assert f"field.{field_name(field)}" in set(messages.keys()), (action, field)
    assert {a for a, n in workflow.NEEDS.items() if n.note} == workflow.NOTE_REQUIRED


def test_a_missing_argument_is_said_before_the_call(desk: Desk) -> None:
    case_id = desk.case_in(State.VERIFYING)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.ACCEPTOR, Action.VERIFY_PASS, case_id, reply="  ")
    assert err.value.field == "reply"
    assert desk.state(case_id) is State.VERIFYING


def _act(s: Session, case_id: int, action: str, args: dict[str, Any],
         version: int, note: str | None = None) -> None:
    """``seatdesk_case_act`` as a seat would call it from psql."""
    call(s, "SELECT seatdesk_case_act(:i, :v, :a, :n, CAST(:args AS jsonb))",
         {"i": case_id, "v": version, "a": action, "n": note, "args": json.dumps(args)})


def _photo(s: Session, case_id: int, step: str) -> None:
    call(s, "SELECT seatdesk_add_photos(:i, :step, ARRAY['scene.png'], ARRAY[:d], "
         "ARRAY[NULL::bytea], ARRAY[NULL::timestamptz])",
         {"i": case_id, "step": step, "d": png()})


def _refused(desk: Desk, who: Role, case_id: int, action: str, args: dict[str, Any],
             note: str | None = None) -> ValidationError:
    version = desk.version(case_id)
    with pytest.raises(ValidationError) as err, desk.as_(who) as s:
        _act(s, case_id, action, args, version, note)
    assert desk.version(case_id) == version
    return err.value


def test_the_database_wants_the_collector_a_verification_goes_to(desk: Desk) -> None:
    case_id = desk.new_case()
    for args in ({}, {"collector": "   "}):
        error = _refused(desk, Role.ACCEPTOR, case_id, "request_verify", args)
        assert (error.field, error.problem) == ("collector", "required")
    error = _refused(desk, Role.ACCEPTOR, case_id, "request_verify", {"collector": "张" * 101})
    assert (error.field, error.problem) == ("collector", "too_long")
    with desk.as_(Role.ACCEPTOR) as s:
        _act(s, case_id, "request_verify", {"collector": " 采集员 吴海 "}, 1)
    sent = queues.timeline(desk.session, case_id)[-1]
    assert sent.collector == "采集员 吴海"
    assert "采集员 吴海" in sent.details()


@pytest.mark.parametrize("action", ["verify_pass", "verify_fail"])
def test_a_verification_records_the_reply_and_a_photo_of_this_round(
    desk: Desk, action: str
) -> None:
    case_id = desk.new_case()
    # A verification photo of an earlier round does not count for this one.
    desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, case_id)
    desk.perform(Role.ACCEPTOR, Action.VERIFY_FAIL, case_id)
    desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, case_id)
    error = _refused(desk, Role.ACCEPTOR, case_id, action, {"photo": "x"})
    assert (error.field, error.problem) == ("reply", "required")
    error = _refused(desk, Role.ACCEPTOR, case_id, action, {"reply": "属实"})
    assert (error.field, error.problem) == ("photo", "action_photo")
    version = desk.version(case_id)
    with desk.as_(Role.ACCEPTOR) as s:
        _photo(s, case_id, "verify")
        _act(s, case_id, action, {"reply": "现场属实"}, version)
    done = queues.timeline(desk.session, case_id)[-1]
    assert done.action == action and done.reply == "现场属实"


def test_a_check_records_the_reply_and_a_photo(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLED)
    error = _refused(desk, Role.ACCEPTOR, case_id, "request_check", {})
    assert error.field == "collector"
    desk.perform(Role.ACCEPTOR, Action.REQUEST_CHECK, case_id)
    for action in ("check_pass", "check_fail"):
        error = _refused(desk, Role.ACCEPTOR, case_id, action, {})
        assert error.field == "reply"
        error = _refused(desk, Role.ACCEPTOR, case_id, action, {"reply": "已处置"})
        assert error.field == "photo"
    with desk.as_(Role.ACCEPTOR) as s:
        _photo(s, case_id, "check")
        _act(s, case_id, "check_fail", {"reply": "仍未修复"}, desk.version(case_id))
    assert desk.state(case_id) is State.CHECK_FAILED
    entry = queues.timeline(desk.session, case_id)[-1]
    assert entry.reply == "仍未修复" and "仍未修复" in entry.details()


def test_the_result_photo_is_needed_until_the_centre_switches_it_off(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLING)
    error = _refused(desk, Role.DEPARTMENT, case_id, "report_done", {}, note="已更换井盖")
    assert (error.field, error.problem) == ("photo", "action_photo")
    with desk.as_(Role.ADMIN) as s:
        with pytest.raises(DBAPIError), s.begin_nested():
            calendar_service.set_setting(s, "require_result_photo", "no")
        calendar_service.set_setting(s, "require_result_photo", False)
    with desk.as_(Role.DEPARTMENT) as s:
        assert not actions.photo_required(s, Action.REPORT_DONE)
        _act(s, case_id, "report_done", {}, desk.version(case_id), note="已更换井盖")
    assert desk.state(case_id) is State.HANDLED


def test_a_seat_cannot_switch_the_result_photo_off(desk: Desk) -> None:
    with pytest.raises(DBAPIError), desk.as_(Role.DEPARTMENT) as s:
        s.execute(text("SELECT seatdesk_set_centre_setting('require_result_photo', 'false')"))
    assert desk.scalar(
        "SELECT value FROM centre_settings WHERE key = 'require_result_photo'") is True


def test_the_wired_call_carries_the_evidence(desk: Desk) -> None:
    case_id = desk.case_in(State.VERIFYING)
    photo = desk.default_input(Action.VERIFY_PASS).photos
    with desk.as_(Role.ACCEPTOR) as s:
        actions.perform(s, Action.VERIFY_PASS, case_id=case_id,
                        expected_version=desk.version(case_id),
                        given=ActionInput(reply="属实", photos=photo))
    assert desk.scalar(
        "SELECT count(*) FROM attachments WHERE case_id = :i AND step = 'verify'", i=case_id
    ) == 1
