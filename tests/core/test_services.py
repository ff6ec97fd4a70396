"""Case services: validation, stale cases, requests and their authorization."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from seatdesk.domain.glossary import Action, DeadlineStatus, Role, State
from seatdesk.errors import NotFound, StaleCase, ValidationError
from seatdesk.services import cases, photos, queues
from seatdesk.services.photos import Photo
from tests.core.conftest import Desk, png


def _trail(desk: Desk, case_id: int) -> list[str]:
    return [e.action for e in queues.timeline(desk.session, case_id)]


def test_a_new_case_is_reported_numbered_and_audited(desk: Desk) -> None:
    case_id = desk.new_case()
    detail = queues.get_case(desk.session, case_id)
    assert detail.state is State.REPORTED
    assert detail.version == 1
    assert len(detail.number) == 11 and detail.number[:4] == str(detail.created_at.year)
    events = queues.timeline(desk.session, case_id)
    assert [(e.action, e.actor, e.to_state) for e in events] == [
        ("create", "acceptor1", State.REPORTED)
    ]
    infos = photos.list_photos(desk.session, case_id)
    assert len(infos) == 1 and infos[0].content_type == "image/png"
    assert infos[0].thumbnail and infos[0].uploaded_by == "acceptor1"


def test_case_numbers_follow_each_other(desk: Desk) -> None:
    first = queues.get_case(desk.session, desk.new_case()).number
    second = queues.get_case(desk.session, desk.new_case()).number
    assert int(second) == int(first) + 1


def test_pre_register_needs_a_photo_and_writes_nothing_without(desk: Desk) -> None:
    case_id = desk.new_case(with_photo=False)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.ACCEPTOR, Action.PRE_REGISTER, case_id)
    assert err.value.field == "photo"
    assert desk.state(case_id) is State.REPORTED and desk.version(case_id) == 1
    assert _trail(desk, case_id) == ["create"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"address": "", "longitude": None, "latitude": None}, "location"),
        ({"filing_condition_id": None}, "filing_condition"),
    ],
)
def test_pre_register_names_the_missing_field(desk: Desk, overrides: dict, field: str) -> None:
    case_id = desk.new_case(**overrides)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.ACCEPTOR, Action.PRE_REGISTER, case_id)
    assert err.value.field == field


def test_a_filing_condition_must_belong_to_the_category(desk: Desk) -> None:
    _, other_condition = desk.category("event", "0102")
    with pytest.raises(ValidationError) as err:
        desk.new_case(filing_condition_id=other_condition)
    assert err.value.field == "filing_condition"


def test_a_file_that_is_not_an_image_is_refused_and_no_case_is_left(desk: Desk) -> None:
    before = desk.scalar("SELECT count(*) FROM cases")
    cat, cond = desk.category()
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(ValidationError) as err, s.begin_nested():
        cases.create_case(
            s,
            cases.NewCase(source=cases.Source.WALK_IN, category_id=cat,
                          filing_condition_id=cond, description="x", address="y"),
            [Photo(png(), "ok.png"), Photo(b"%PDF-1.4 not an image", "scan.pdf")],
        )
    assert err.value.field == "photo"
    assert desk.scalar("SELECT count(*) FROM cases") == before


def test_dispatch_checks_the_department_and_sets_the_standard_deadline(desk: Desk) -> None:
    case_id = desk.case_in(State.REGISTERED)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.DISPATCHER, Action.DISPATCH, case_id, department="NOPE")
    assert err.value.field == "department"
    with desk.as_(Role.DISPATCHER) as s:
        preview = cases.preview_deadline(s, case_id, Action.DISPATCH)
    desk.perform(Role.DISPATCHER, Action.DISPATCH, case_id)
    detail = queues.get_case(desk.session, case_id)
    assert detail.current_department == "SZ"
    # 0101 上水井盖, first condition: 2 紧急工作时, round the clock.
    dispatched = queues.timeline(desk.session, case_id)[-1]
    # The clock starts at the moment of the action (the preview a moment before it).
    assert detail.stage_deadline == dispatched.at + timedelta(hours=2)
    assert abs(detail.stage_deadline - preview) < timedelta(seconds=30)
    assert detail.deadline_status is DeadlineStatus.NORMAL
    assert dispatched.data["deadline"] == detail.stage_deadline.isoformat()


def test_a_stale_case_names_who_changed_it_and_writes_nothing(desk: Desk) -> None:
    case_id = desk.new_case()
    desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, case_id)
    with pytest.raises(StaleCase) as err:
        desk.perform(Role.ACCEPTOR, Action.VERIFY_PASS, case_id, expected_version=1)
    assert err.value.changed_by == "acceptor1"
    assert err.value.version == 2
    assert err.value.who == "王芳"  # people know their colleague's name, not the login
    assert "王芳" in str(err.value)
    assert desk.state(case_id) is State.VERIFYING


def test_an_approved_extension_adds_one_original_limit_at_most_twice(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLING)
    first = queues.get_case(desk.session, case_id).stage_deadline
    for n in (1, 2):
        desk.perform(Role.DEPARTMENT, Action.REQUEST_EXTENSION, case_id)
        assert queues.get_case(desk.session, case_id).pending_request["kind"] == "extension"
        desk.perform(Role.SHIFT_LEADER, Action.APPROVE, case_id)
        detail = queues.get_case(desk.session, case_id)
        assert detail.state is State.HANDLING
        assert detail.stage_deadline == first + n * timedelta(hours=2)
        assert detail.extension_count == n and detail.pending_request is None
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.DEPARTMENT, Action.REQUEST_EXTENSION, case_id)
    assert err.value.problem == "too_many_extensions"


def test_extension_denied_keeps_the_deadline(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLING)
    before = queues.get_case(desk.session, case_id).stage_deadline
    desk.perform(Role.DEPARTMENT, Action.REQUEST_EXTENSION, case_id)
    desk.perform(Role.SHIFT_LEADER, Action.DENY, case_id, note="理由不充分")
    detail = queues.get_case(desk.session, case_id)
    assert detail.stage_deadline == before and detail.extension_count == 0


def test_return_approved_goes_back_to_the_dispatcher(desk: Desk) -> None:
    case_id = desk.case_in(State.DISPATCHED)
    desk.perform(Role.DEPARTMENT, Action.REQUEST_RETURN, case_id)
    desk.perform(Role.SHIFT_LEADER, Action.APPROVE, case_id)
    detail = queues.get_case(desk.session, case_id)
    assert detail.state is State.RETURNED and detail.current_department is None
    page = queues.queue(desk.session, queues.QueueQuery(role=Role.DISPATCHER, limit=1000))
    assert case_id in [r.id for r in page.rows]


def test_postponement_pauses_until_the_resume_date(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLING)
    resume_on = date.today() + timedelta(days=20)
    with pytest.raises(ValidationError):
        desk.perform(Role.DEPARTMENT, Action.REQUEST_POSTPONEMENT, case_id,
                     resume_on=date.today())
    due = queues.get_case(desk.session, case_id).stage_deadline
    desk.perform(Role.DEPARTMENT, Action.REQUEST_POSTPONEMENT, case_id, resume_on=resume_on)
    desk.perform(Role.SHIFT_LEADER, Action.APPROVE, case_id)
    detail = queues.get_case(desk.session, case_id)
    assert detail.state is State.POSTPONED and detail.resume_on == resume_on
    # The clock stops when the approval is given and gives back what was left then, in
    # whole minutes of its unit (2 紧急工作时), from the resume date on.
    approved = queues.timeline(desk.session, case_id)[-1].at
    left = timedelta(minutes=(due - approved) // timedelta(minutes=1))
    restart = datetime.combine(resume_on, time(0, 0), tzinfo=detail.stage_deadline.tzinfo)
    assert detail.stage_deadline == restart + left
    desk.perform(Role.DEPARTMENT, Action.RESUME, case_id)
    assert desk.state(case_id) is State.HANDLING
    # Resumed early: the clock runs again from that moment with what was left.
    resumed = queues.timeline(desk.session, case_id)[-1].at
    assert queues.get_case(desk.session, case_id).stage_deadline == resumed + left


def test_rework_counts_and_keeps_the_department(desk: Desk) -> None:
    case_id = desk.case_in(State.CHECK_FAILED)
    desk.perform(Role.SHIFT_LEADER, Action.REWORK, case_id)
    detail = queues.get_case(desk.session, case_id)
    assert detail.state is State.DISPATCHED
    assert detail.rework_count == 1 and detail.current_department == "SZ"


def test_urge_is_recorded_without_changing_the_case(desk: Desk) -> None:
    case_id = desk.case_in(State.HANDLING)
    version = desk.version(case_id)
    desk.perform(Role.INSPECTOR, Action.URGE, case_id)
    assert desk.version(case_id) == version
    last = queues.timeline(desk.session, case_id)[-1]
    assert (last.action, last.actor, last.note) == ("urge", "inspector1", "请尽快处置")


def test_merge_points_the_duplicate_at_its_original(desk: Desk) -> None:
    original = desk.new_case()
    duplicate = desk.new_case()
    changes = desk.perform(Role.ACCEPTOR, Action.MERGE, duplicate, original_id=original)
    assert changes.case_ids == {original, duplicate}
    detail = queues.get_case(desk.session, duplicate)
    assert detail.state is State.MERGED and detail.merged_into == original
    with pytest.raises(ValidationError):
        desk.perform(Role.ACCEPTOR, Action.MERGE, original, original_id=original)


def test_notes_are_required_where_a_reason_is(desk: Desk) -> None:
    case_id = desk.case_in(State.PRE_REGISTERED)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.SHIFT_LEADER, Action.SEND_BACK, case_id, note="  ")
    assert err.value.field == "note"


def test_an_unknown_case_is_not_found(desk: Desk) -> None:
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(NotFound):
        cases.request_verify(s, collector="采集员 吴海", case_id=10**12, expected_version=1)


def test_messages_speak_chinese_by_default_and_english_on_request(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.new_case(with_photo=False)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.ACCEPTOR, Action.PRE_REGISTER, case_id)
    monkeypatch.setenv("SEATDESK_LANG", "zh")
    assert "照片" in str(err.value)
    monkeypatch.setenv("SEATDESK_LANG", "en")
    assert str(err.value).startswith("Photo: at least one photo")


def test_a_case_gets_its_grid_from_its_location(desk: Desk) -> None:
    from seatdesk.services import grids

    inside = desk.new_case(longitude=120.5605, latitude=27.6602)
    code = queues.get_case(desk.session, inside).grid_code
    assert code is not None and code == grids.locate(desk.session, 120.5605, 27.6602)
    outside = desk.new_case(longitude=121.5, latitude=28.5)
    assert queues.get_case(desk.session, outside).grid_code is None
    assert outside in [c.id for c in grids.unplaced_cases(desk.session, limit=1000)]
