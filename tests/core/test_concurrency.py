"""Two seats on the same case at the same moment: exactly one wins, the other is told
who changed it, and NOTIFY reaches a listener only for what committed."""

from __future__ import annotations

import json
import select
import threading
import time

import psycopg2
from sqlalchemy import Engine

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.db.security import CASE_CHANNEL
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Source
from seatdesk.errors import StaleCase
from seatdesk.services import cases, catalogue
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

        def seat(action: str) -> None:
            with session_factory(engine)() as s:
                try:
                    with s.begin():
                        barrier.wait()
                        getattr(cases, action)(s, case_id=case_id, expected_version=1)
                        time.sleep(0.2)  # hold the row so the other seat really waits
                    outcomes.append(action)
                except StaleCase as exc:
                    errors.append(exc)

        threads = [threading.Thread(target=seat, args=(a,))
                   for a in ("request_verify", "pre_register")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(outcomes) == 1 and len(errors) == 1
        assert errors[0].changed_by == "acceptor1" and errors[0].version == 2
        with session_factory(engine)() as s:
            from seatdesk.services import queues

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
    url = server.for_login("leader1", seeded.passwords["leader1"]).url
    listener = psycopg2.connect(
        host=url.query.get("host") or url.host, port=url.port, user=url.username,
        password=url.password, dbname=url.database,
    )
    listener.autocommit = True
    try:
        with listener.cursor() as cur:
            cur.execute(f"LISTEN {CASE_CHANNEL}")
        case_id = _committed_case(engine)
        with session_factory(engine)() as s, s.begin():
            cases.request_verify(s, case_id=case_id, expected_version=1)
            s.rollback()
        with session_factory(engine).begin() as s:
            cases.pre_register(s, case_id=case_id, expected_version=1)
        received = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(received) < 2:
            if select.select([listener], [], [], 0.5)[0]:
                listener.poll()
                received += [json.loads(n.payload) for n in listener.notifies]
                listener.notifies.clear()
        mine = [(p["action"], p["version"]) for p in received if p["case_id"] == case_id]
        assert mine == [("create", 1), ("pre_register", 2)]
    finally:
        listener.close()
        engine.dispose()


