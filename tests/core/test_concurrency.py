"""Two seats on the same case at the same moment: exactly one wins, the other is told
who changed it, and NOTIFY reaches a listener only for what committed."""

from __future__ import annotations

import select
import threading
import time

import psycopg2
from sqlalchemy import Engine

from seatdesk import notices
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Action, Source
from seatdesk.errors import StaleCase
from seatdesk.services import actions, cases, catalogue, queues
from seatdesk.services.actions import ActionInput
from seatdesk.services.photos import Photo
from tests.core.conftest import png


def _engine(server: ServerAddress, seeded: DemoResult, login: str) -> Engine:
    return connect(server.for_login(login, seeded.passwords[login]))


def _committed_case(engine: Engine) -> cases.CaseId:
    with session_factory(engine).begin() as s:
        cat = next(c for c in catalogue.minor_categories(s) if c.code == "0102")
        cond = catalogue.filing_conditions(s, cat.id)[0]
        case_id, _ = cases.create_case(
            s,
            cases.NewCase(source=Source.COLLECTOR, category_id=cat.id,
                          filing_condition_id=cond.id, description="并发测试",
                          address="鳌江镇江口社区"),
            [Photo(png(), "a.png")],
        )
    return case_id


def test_two_seats_act_on_one_case_and_exactly_one_wins(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = _engine(server, seeded, "acceptor1")
    try:
        case_id = _committed_case(engine)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        errors: list[StaleCase] = []

        def seat(action: Action) -> None:
            with session_factory(engine)() as s:
                try:
                    with s.begin():
                        barrier.wait()
                        actions.perform(s, action, case_id=case_id, expected_version=1,
                                        given=ActionInput(collector="采集员 吴海"))
                        time.sleep(0.2)  # hold the row so the other seat really waits
                    outcomes.append(action)
                except StaleCase as exc:
                    errors.append(exc)

        threads = [threading.Thread(target=seat, args=(a,))
                   for a in (Action.REQUEST_VERIFY, Action.PRE_REGISTER)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(outcomes) == 1 and len(errors) == 1
        assert errors[0].changed_by == "acceptor1" and errors[0].version == 2
        with session_factory(engine)() as s:
            detail = queues.get_case(s, case_id)
            trail = queues.timeline(s, case_id)
        assert detail.version == 2
        assert [e.action for e in trail] == ["create", outcomes[0]]
    finally:
        engine.dispose()


def test_notify_announces_committed_changes_only(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = _engine(server, seeded, "acceptor1")
    leader = _engine(server, seeded, "leader1")
    url = server.for_login("leader1", seeded.passwords["leader1"]).url
    listener = psycopg2.connect(
        host=url.query.get("host") or url.host, port=url.port, user=url.username,
        password=url.password, dbname=url.database,
    )
    listener.autocommit = True
    try:
        with listener.cursor() as cur:
            cur.execute(f"LISTEN {notices.CHANNEL}")
        case_id = _committed_case(engine)
        with session_factory(engine)() as s, s.begin():
            cases.request_verify(s, collector="采集员 吴海", case_id=case_id, expected_version=1)
            s.rollback()
        with session_factory(engine).begin() as s:
            cases.pre_register(s, case_id=case_id, expected_version=1)
        received: list[notices.Notice] = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(received) < 2:
            if select.select([listener], [], [], 0.5)[0]:
                listener.poll()
                received += [n for n in map(notices.decode, (x.payload for x in
                             listener.notifies)) if n is not None]
                listener.notifies.clear()
        with session_factory(leader).begin() as s:
            events = [(e.id, e.action) for e in queues.timeline(s, case_id)]
            learned = notices.changes_since(s, received)
        assert [a for _, a in events] == ["create", "pre_register"]
        assert [(n.first, n.last) for n in received] == [(i, i) for i, _ in events]
        assert learned.case_ids == {case_id}
    finally:
        listener.close()
        engine.dispose()
        leader.dispose()
