"""The role queues: states from the workflow table, filters, keyset pagination."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, DeadlineStatus, Role, Source, State
from seatdesk.services import queues
from seatdesk.services.queues import QueueQuery, SortKey, get_case, queue
from tests.core.conftest import Desk


def queues_get(desk: Desk, case_id: int):
    return get_case(desk.session, case_id)


def _all_pages(desk: Desk, query: QueueQuery) -> list:
    rows, after = [], None
    while True:
        page = queue(desk.session, replace(query, after=after))
        rows += page.rows
        if page.next is None:
            return rows
        after = page.next


def test_each_role_sees_the_states_the_table_gives_it(desk: Desk) -> None:
    for role in (Role.ACCEPTOR, Role.SHIFT_LEADER, Role.DISPATCHER):
        rows = _all_pages(desk, QueueQuery(role=role, limit=40))
        allowed = workflow.queue_states(role)
        assert rows and {r.state for r in rows} <= allowed
        expected = desk.scalar(
            "SELECT count(*) FROM cases WHERE state = ANY(:s)", s=[s.value for s in allowed]
        )
        assert len(rows) == expected


def test_keyset_pages_cover_every_row_once_in_order(desk: Desk) -> None:
    for sort in (SortKey.DEADLINE, SortKey.CREATED, SortKey.NUMBER, SortKey.ADDRESS):
        for descending in (False, True):
            query = QueueQuery(sort=sort, descending=descending, limit=23, include_closed=True)
            rows = _all_pages(desk, query)
            assert len(rows) == len({r.id for r in rows}) == desk.scalar(
                "SELECT count(*) FROM cases"
            )
            whole = queue(desk.session, QueueQuery(sort=sort, descending=descending,
                                                   limit=100_000, include_closed=True))
            assert [r.id for r in rows] == [r.id for r in whole.rows]


def test_deadline_sort_puts_cases_without_deadline_last(desk: Desk) -> None:
    rows = _all_pages(desk, QueueQuery(sort=SortKey.DEADLINE, limit=50))
    deadlines = [r.stage_deadline for r in rows]
    with_deadline = [d for d in deadlines if d is not None]
    assert with_deadline == sorted(with_deadline)
    assert deadlines[: len(with_deadline)] == with_deadline


def test_filters_narrow_the_queue(desk: Desk) -> None:
    some = desk.session.execute(text(
        "SELECT grid_code, current_department FROM cases "
        "WHERE current_department IS NOT NULL AND state <> 'closed' LIMIT 1"
    )).one()
    by_grid = _all_pages(desk, QueueQuery(grid_code=some.grid_code))
    assert by_grid and {r.grid_code for r in by_grid} == {some.grid_code}
    by_dept = _all_pages(desk, QueueQuery(department=some.current_department))
    assert by_dept and {r.department for r in by_dept} == {some.current_department}
    overdue = _all_pages(desk, QueueQuery(deadline_status=DeadlineStatus.OVERDUE))
    assert overdue and {r.deadline_status for r in overdue} == {DeadlineStatus.OVERDUE}
    hotline = _all_pages(desk, QueueQuery(source=Source.HOTLINE_12319, include_closed=True))
    assert hotline and {r.source for r in hotline} == {Source.HOTLINE_12319}


def test_a_major_class_filter_includes_its_minor_classes(desk: Desk) -> None:
    major = desk.scalar(
        "SELECT id FROM categories WHERE case_type = 'component' AND code = '01'"
    )
    rows = _all_pages(desk, QueueQuery(category_id=major, include_closed=True))
    assert rows and all(r.category_code.startswith("01") for r in rows)


def test_text_search_finds_number_address_and_description(desk: Desk) -> None:
    case_id = desk.new_case(description="百分之百_特殊%字样", address="测试路1号")
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    for needle in (number, "测试路1号", "_特殊%"):
        rows = _all_pages(desk, QueueQuery(text=needle))
        assert case_id in [r.id for r in rows], needle
    # LIKE's wildcards are searched for literally, not as wildcards.
    percent = _all_pages(desk, QueueQuery(text="%"))
    assert [r.id for r in percent] == [case_id]


def test_department_queue_shows_only_its_own_cases(desk: Desk) -> None:
    with desk.as_(Role.DEPARTMENT):
        rows = _all_pages(desk, QueueQuery(role=Role.DEPARTMENT))
    assert rows and {r.department for r in rows} == {"SZ"}
    assert {r.state for r in rows} <= {State.DISPATCHED, State.HANDLING, State.POSTPONED}


def test_a_new_dispatch_appears_at_its_deadline(desk: Desk) -> None:
    case_id = desk.case_in(State.REGISTERED)
    desk.perform(Role.DISPATCHER, Action.DISPATCH, case_id)
    due = queues_get(desk, case_id).stage_deadline
    rows = _all_pages(desk, QueueQuery(department="SZ", sort=SortKey.DEADLINE))
    ids = [r.id for r in rows]
    assert case_id in ids
    before = [r for r in rows[: ids.index(case_id)] if r.stage_deadline is not None]
    after = [r for r in rows[ids.index(case_id) + 1 :] if r.stage_deadline is not None]
    assert all(r.stage_deadline <= due for r in before)
    assert all(r.stage_deadline >= due for r in after)


def test_free_text_is_searched_in_slices_that_miss_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seatdesk.services import queues as queue_service

    needle = "解放路"
    expected = desk.session.execute(text(
        "SELECT id FROM cases WHERE state NOT IN ('closed', 'merged', 'rejected', 'voided') "
        "AND (address LIKE :p OR description LIKE :p OR number LIKE :p) "
        "ORDER BY deadline_sort, id"
    ), {"p": f"%{needle}%"}).scalars().all()
    assert len(expected) > 10
    monkeypatch.setattr(queue_service, "TEXT_BATCH", 7)  # many slices, some empty
    rows = _all_pages(desk, QueueQuery(text=needle, limit=4))
    assert [r.id for r in rows] == expected


def test_digits_search_case_numbers_by_prefix(desk: Desk) -> None:
    number = desk.scalar("SELECT number FROM cases ORDER BY id LIMIT 1")
    rows = _all_pages(desk, QueueQuery(text=number[:8], include_closed=True, limit=100))
    assert rows and all(r.number.startswith(number[:8]) for r in rows)
    assert number in [r.number for r in rows]


# ---- The search shapes of migration 0011, the urgent order, the queue to place, counts


def _ids(desk: Desk, query: QueueQuery) -> list[int]:
    return [r.id for r in _all_pages(desk, query)]


def test_a_case_number_is_found_wherever_the_digits_stand(desk: Desk) -> None:
    case_id = desk.new_case()
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    assert len(number) == 11
    for needle in (number, number[:6], number[3:9], number[-5:], number[-4:]):
        assert case_id in _ids(desk, QueueQuery(text=needle, limit=200)), needle


def test_the_reporters_phone_and_name_are_searchable(desk: Desk) -> None:
    case_id = desk.new_case(reporter="欧阳回访", reporter_phone="13957012468")
    other = desk.new_case(reporter="司马其他", reporter_phone="13800000000")
    for needle in ("13957012468", "1395701", "2468", "欧阳回访", "欧阳"):
        found = _ids(desk, QueueQuery(text=needle, limit=200))
        assert case_id in found and other not in found, needle


def test_a_search_of_all_cases_reaches_closed_rejected_and_voided_cases(desk: Desk) -> None:
    closed = desk.case_in(State.CLOSED)
    rejected = desk.case_in(State.REJECTED)
    desk.session.execute(text(
        "UPDATE cases SET reporter_phone = '13711112222' WHERE id IN (:a, :b)"
    ), {"a": closed, "b": rejected})
    assert not {closed, rejected} & set(_ids(desk, QueueQuery(text="13711112222")))
    everything = QueueQuery(text="13711112222", include_closed=True)
    assert {closed, rejected} <= set(_ids(desk, everything))


def test_a_common_needle_is_read_in_slices_and_misses_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seatdesk.services import queues as queue_service

    desk.new_case(reporter_phone="202600001")
    expected = desk.session.execute(text(
        "SELECT id FROM cases WHERE number LIKE '%202600001%' "
        "OR reporter_phone LIKE '202600001%' OR reporter_phone LIKE '%202600001' "
        "ORDER BY deadline_sort, id"
    )).scalars().all()
    assert len(expected) > 20
    monkeypatch.setattr(queue_service, "CANDIDATE_CAP", 5)  # "common" from six matches
    monkeypatch.setattr(queue_service, "TEXT_BATCH", 50)
    query = QueueQuery(text="202600001", include_closed=True, limit=7)
    assert _ids(desk, query) == expected


def test_a_department_seat_searches_its_own_cases_only(desk: Desk) -> None:
    with desk.as_(Role.DEPARTMENT):
        own = _all_pages(desk, QueueQuery(role=Role.DEPARTMENT))
        number = own[0].number
        found = _all_pages(desk, QueueQuery(role=Role.DEPARTMENT, text=number[-6:]))
    assert own[0].id in [r.id for r in found]
    assert {r.department for r in found} == {"SZ"}


def test_the_urgent_order_puts_overdue_then_near_deadline_first(desk: Desk) -> None:
    rows = _all_pages(desk, QueueQuery(sort=SortKey.URGENT, limit=37))
    rank = {DeadlineStatus.OVERDUE: 0, DeadlineStatus.WARNING: 1, DeadlineStatus.NORMAL: 2}
    ranks = [rank[r.deadline_status] for r in rows]
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2}
    for level in (0, 1, 2):
        deadlines = [r.stage_deadline for r in rows if rank[r.deadline_status] == level]
        with_deadline = [d for d in deadlines if d is not None]
        assert with_deadline == sorted(with_deadline)
    expected = desk.scalar(
        "SELECT count(*) FROM cases WHERE state NOT IN ('closed', 'merged', 'rejected', "
        "'voided')"
    )
    assert len(rows) == len({r.id for r in rows}) == expected
    backwards = _all_pages(desk, QueueQuery(sort=SortKey.URGENT, descending=True, limit=41))
    assert [r.id for r in backwards] == [r.id for r in reversed(rows)]


def test_cases_without_a_grid_wait_in_the_queue_to_place(desk: Desk) -> None:
    outside = desk.new_case(longitude=121.9, latitude=28.9, address="县外某处")
    nowhere = desk.new_case(longitude=None, latitude=None, address="电话报告，未定位")
    placed = desk.new_case()
    rows = _all_pages(desk, QueueQuery(role=Role.ACCEPTOR, unplaced=True))
    ids = [r.id for r in rows]
    assert outside in ids and nowhere in ids and placed not in ids
    assert {r.grid_code for r in rows} == {None}


def test_a_queue_counts_exactly_then_estimates(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seatdesk.services import queues as queue_service

    query = QueueQuery(role=Role.DISPATCHER)
    expected = desk.scalar(
        "SELECT count(*) FROM cases WHERE state IN ('registered', 'returned')"
    )
    assert queue_service.count(desk.session, query) == queue_service.QueueCount(expected, True)
    # Free text does not change a tab's count; the filters do.
    assert queue_service.count(desk.session, replace(query, text="解放路")).n == expected
    overdue = replace(query, deadline_status=DeadlineStatus.OVERDUE)
    assert queue_service.count(desk.session, overdue).n < expected
    monkeypatch.setattr(queue_service, "EXACT_COUNT_LIMIT", 10)
    estimate = queue_service.count(desk.session, query)
    assert not estimate.exact and estimate.n > 10


def test_a_search_reads_at_most_its_first_hundred_characters(desk: Desk) -> None:
    # A pasted page of text searches by its beginning instead of making every row
    # match a megabyte-long pattern.
    case_id = desk.new_case(address="人民路12号")
    with desk.as_(Role.ACCEPTOR) as s:
        prefix = "人民路12号" + " " * (queues.MAX_SEARCH_LENGTH - 6) + "z" * 50
        found = queues.queue(s, QueueQuery(role=Role.ACCEPTOR, text=prefix)).rows
        assert [r.id for r in found] == [case_id]
