"""The 12319 monitor's reads (seatdesk.services.complaint_queues) against the real
database, as the monitor seat: the queues and their keyset pages, the reply-deadline
light, the search, the counts, the open cases nearby, the caller's earlier complaints
and the progress of a complaint's case."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from typing import Any

import pytest
from sqlalchemy import Engine, text

from seatdesk.db.engine import session_factory
from seatdesk.domain.glossary import (
    Action,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    ReplyMethod,
    Role,
    State,
)
from seatdesk.services import complaint_queues as cq
from seatdesk.services import complaints
from seatdesk.services.complaint_queues import ComplaintQuery, ComplaintQueue
from seatdesk.services.complaints import CaseFields, ComplaintId, NewComplaint
from tests.core.conftest import Desk

LON, LAT = 120.5605, 27.6602


def _new(desk: Desk, **fields: Any) -> ComplaintId:
    category, _ = desk.category()
    values: dict[str, Any] = {
        "channel": ComplaintChannel.HOTLINE_12319,
        "content": "解放路88号门前井盖缺失",
        "complainant": "王小明",
        "complainant_phone": "13812345678",
        "address": "平阳县昆阳镇解放路88号",
        "longitude": LON,
        "latitude": LAT,
        "category_id": category,
    }
    values.update(fields)
    with desk.as_(Role.MONITOR) as s:
        complaint_id, _ = complaints.create_complaint(s, NewComplaint(**values))
    return complaint_id


def _version(desk: Desk, complaint_id: ComplaintId) -> int:
    return int(desk.scalar("SELECT version FROM complaints WHERE id = :i", i=complaint_id))


def _ids(desk: Desk, queue: ComplaintQueue, text: str = "") -> list[int]:
    """Every id of the queue, read page by page (small pages) as the monitor."""
    ids: list[int] = []
    with desk.as_(Role.MONITOR) as s:
        query = ComplaintQuery(queue=queue, text=text, limit=3)
        while True:
            page = cq.complaint_queue(s, query)
            ids += [r.id for r in page.rows]
            if page.next is None:
                return ids
            query = ComplaintQuery(queue=queue, text=text, after=page.next, limit=3)


def test_each_queue_holds_its_states_and_a_complaint_moves_through_them(desk: Desk) -> None:
    complaint_id = _new(desk)
    assert complaint_id in _ids(desk, ComplaintQueue.NEW)
    assert complaint_id in _ids(desk, ComplaintQueue.ALL)
    _, condition = desk.category()
    with desk.as_(Role.MONITOR) as s:
        case_id, _ = complaints.complaint_to_case(
            s, complaint_id=complaint_id, expected_version=1,
            fields=CaseFields(filing_condition_id=condition))
    assert complaint_id not in _ids(desk, ComplaintQueue.NEW)
    assert complaint_id not in _ids(desk, ComplaintQueue.AWAITING_REPLY)
    with desk.as_(Role.MONITOR) as s:
        progress = cq.linked_case_progress(s, case_id)
    assert progress is not None and progress.state is State.REPORTED
    desk.perform(Role.ACCEPTOR, Action.REJECT, case_id)
    assert complaint_id in _ids(desk, ComplaintQueue.AWAITING_REPLY)
    with desk.as_(Role.MONITOR) as s:
        complaints.reply_complaint(
            s, complaint_id=complaint_id, expected_version=_version(desk, complaint_id),
            reply="已告知不属于城管范围", how=ReplyMethod.PHONE)
    assert complaint_id not in _ids(desk, ComplaintQueue.AWAITING_REPLY)
    assert complaint_id in _ids(desk, ComplaintQueue.CALLBACK)
    with desk.as_(Role.MONITOR) as s:
        complaints.callback_complaint(
            s, complaint_id=complaint_id, expected_version=_version(desk, complaint_id),
            reached=False, satisfaction=None)
        row = next(r for r in cq.complaint_queue(s, ComplaintQuery()).rows
                   if r.id == complaint_id)
    assert complaint_id not in _ids(desk, ComplaintQueue.CALLBACK)
    assert row.state is ComplaintState.CALLED_BACK and row.reply_status is None


def test_forwarded_complaints_wait_for_their_reply_most_urgent_first(desk: Desk) -> None:
    late = _new(desk, received_at=desk.now().replace(year=2024))
    soon = _new(desk)
    for complaint_id in (soon, late):
        with desk.as_(Role.MONITOR) as s:
            complaints.forward_complaint(
                s, complaint_id=complaint_id, expected_version=1, agency="市交警大队")
    ids = _ids(desk, ComplaintQueue.AWAITING_REPLY)
    assert ids.index(late) < ids.index(soon)
    with desk.as_(Role.MONITOR) as s:
        rows = {r.id: r for r in cq.complaint_queue(
            s, ComplaintQuery(queue=ComplaintQueue.AWAITING_REPLY, limit=500)).rows}
    assert rows[late].reply_status is DeadlineStatus.OVERDUE
    assert rows[soon].reply_status is DeadlineStatus.NORMAL
    assert rows[late].forwarded_agency == "市交警大队"
    # Sorted by the reply deadline, then id, page after page.
    keys = [(rows[i].reply_due, i) for i in ids if i in rows]
    assert keys == sorted(keys)


def test_pages_follow_each_other_without_gaps_or_repeats(desk: Desk) -> None:
    made = [_new(desk, content=f"页测试{i}") for i in range(7)]
    ids = _ids(desk, ComplaintQueue.ALL)
    assert len(ids) == len(set(ids))
    assert set(made) <= set(ids)
    # The newest first.
    assert [i for i in ids if i in made] == sorted(made, reverse=True)


def test_the_search_finds_a_number_an_external_reference_and_a_content_prefix(
    desk: Desk,
) -> None:
    ref = "PT-" + uuid.uuid4().hex[:8]
    word = "搜索" + uuid.uuid4().hex[:6]
    complaint_id = _new(desk, external_ref=ref, content=word + "的投诉内容",
                        channel=ComplaintChannel.CITY_PLATFORM)
    number = desk.scalar("SELECT number FROM complaints WHERE id = :i", i=complaint_id)
    assert _ids(desk, ComplaintQueue.ALL, number) == [complaint_id]
    assert complaint_id in _ids(desk, ComplaintQueue.ALL, number[-6:])
    assert _ids(desk, ComplaintQueue.ALL, ref) == [complaint_id]
    assert _ids(desk, ComplaintQueue.NEW, word) == [complaint_id]
    assert _ids(desk, ComplaintQueue.CALLBACK, word) == []
    # Not the middle of the content, and LIKE's wildcards are literal.
    assert _ids(desk, ComplaintQueue.ALL, "的投诉内容" + word) == []
    assert _ids(desk, ComplaintQueue.ALL, "%" + word[1:]) == []


def test_the_counts_follow_the_queues(desk: Desk) -> None:
    with desk.as_(Role.MONITOR) as s:
        before = cq.queue_counts(s)
    _new(desk)
    forwarded = _new(desk)
    with desk.as_(Role.MONITOR) as s:
        complaints.forward_complaint(s, complaint_id=forwarded, expected_version=1,
                                     agency="区住建局")
        after = cq.queue_counts(s)
    assert after[ComplaintQueue.NEW].n == before[ComplaintQueue.NEW].n + 1
    assert after[ComplaintQueue.AWAITING_REPLY].n == before[ComplaintQueue.AWAITING_REPLY].n + 1
    assert after[ComplaintQueue.ALL].n == before[ComplaintQueue.ALL].n + 2
    assert all(c.exact for c in after.values())


def test_nearby_open_cases_of_the_category_nearest_first(desk: Desk) -> None:
    near = desk.new_case(longitude=LON + 0.0003, latitude=LAT)  # ~30 m
    nearer = desk.new_case(longitude=LON, latitude=LAT + 0.0001)  # ~11 m
    far = desk.new_case(longitude=LON + 0.01, latitude=LAT)  # ~1 km
    closed = desk.case_in(State.CLOSED)
    desk.session.execute(
        text("UPDATE cases SET longitude = :lon, latitude = :lat WHERE id = :i"),
        {"lon": LON, "lat": LAT, "i": closed},
    )
    other_category, other_condition = desk.category("component", "0102")
    other = desk.new_case(category_id=other_category, filing_condition_id=other_condition,
                          longitude=LON, latitude=LAT)
    category, _ = desk.category()
    with desk.as_(Role.MONITOR) as s:
        found = cq.nearby_open_cases(s, LON, LAT, category, 300)
        anything = cq.nearby_open_cases(s, LON, LAT, None, 300, limit=500)
    ids = [c.id for c in found]
    assert ids.index(nearer) < ids.index(near)
    assert far not in ids and closed not in ids and other not in ids
    distances = [c.distance_m for c in found]
    assert distances == sorted(distances) and all(d <= 300 for d in distances)
    by_id = {c.id: c for c in found}
    assert 5 < by_id[nearer].distance_m < 20 and 20 < by_id[near].distance_m < 45
    assert other in [c.id for c in anything]


def test_a_callers_earlier_complaints_newest_first_with_their_case(
    desk: Desk, fresh_monitor: Engine
) -> None:
    # A look-up by phone is read only once its audit has committed (migration 0019):
    # this test's own monitor commits its complaints, the case and the look-up.
    phone = "139" + str(uuid.uuid4().int)[:8]
    category, condition = desk.category()
    call = NewComplaint(channel=ComplaintChannel.HOTLINE_12319, content="井盖缺失",
                        complainant="王小明", complainant_phone=phone, category_id=category,
                        longitude=120.5605, latitude=27.6602)
    sessions = session_factory(fresh_monitor)
    with sessions.begin() as s:
        first, _ = complaints.create_complaint(s, call)
        case_id, _ = complaints.complaint_to_case(
            s, complaint_id=first, expected_version=1,
            fields=CaseFields(filing_condition_id=condition))
        second, _ = complaints.create_complaint(s, replace(call, content="又来电：井盖还没修"))
        complaints.create_complaint(s, replace(call, complainant_phone="13700000000"))
    request = complaints.lookup_committed(sessions.begin, phone)
    with sessions.begin() as s:
        found = cq.earlier_complaints(s, request)
        case_number = s.execute(text("SELECT number FROM cases WHERE id = :i"),
                                {"i": case_id}).scalar_one()
    assert [c.id for c in found] == [second, first]
    assert found[1].case_id == case_id and found[1].case_open
    assert found[1].case_number == case_number
    assert not found[0].case_open


def test_the_progress_of_a_dispatched_case_names_its_department_and_deadline(
    desk: Desk,
) -> None:
    case_id = desk.case_in(State.DISPATCHED)
    with desk.as_(Role.MONITOR) as s:
        progress = cq.linked_case_progress(s, case_id)
        assert cq.linked_case_progress(s, -1) is None  # type: ignore[arg-type]
    assert progress is not None
    assert progress.state is State.DISPATCHED
    assert progress.department == "SZ" and progress.department_name
    assert progress.stage_deadline is not None
    assert progress.deadline_status is DeadlineStatus.NORMAL
    assert asdict(progress)["number"].startswith("20")


@pytest.mark.parametrize(
    ("queue", "index"),
    [
        (ComplaintQueue.NEW, "ix_complaints_state"),
        (ComplaintQueue.AWAITING_REPLY, "ix_complaints_awaiting"),
        (ComplaintQueue.CALLBACK, "ix_complaints_callback"),
        (ComplaintQueue.ALL, "ix_complaints_received"),
    ],
)
def test_each_queue_is_read_in_the_order_of_an_index(
    desk: Desk, queue: ComplaintQueue, index: str
) -> None:
    """A page is an index range, not a sort of the whole table (a small test table
    would be scanned otherwise: sequential scans are priced out for the plan)."""
    complaint_id = _new(desk)
    # The first page, and a page after a row (every sort key here is a time).
    after = cq.ComplaintCursor(desk.now(), complaint_id)
    with desk.as_(Role.MONITOR) as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        s.execute(text("SET LOCAL enable_sort = off"))
        for query in (ComplaintQuery(queue=queue), ComplaintQuery(queue=queue, after=after)):
            sql, params = cq.page_statement(query)
            plan = "\n".join(
                r[0] for r in s.execute(text("EXPLAIN " + sql), params).all()
            )
            assert index in plan, plan
            assert "Sort" not in plan.split(index)[0], plan
