"""The change-notice contract: one channel, payloads that say only that something
changed, written by the database's own triggers whoever writes, and read back by each
seat through row-level security. And nobody outside seatdesk's groups connects."""

from __future__ import annotations

import logging
import select
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import pytest
from sqlalchemy import Engine, text

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.db.security import scram_verifier
from seatdesk.demo import DemoResult
from seatdesk.notices import (
    CHANNEL,
    MAX_RANGES,
    MAX_SPAN,
    Kind,
    Notice,
    changes_since,
    decode,
    encode,
    merge_ranges,
)
from seatdesk.services import cases
from seatdesk.services.common import CaseId, ChangeSet

# ---- The contract, pure


@pytest.mark.parametrize(
    "notice",
    [Notice.cases(1, 1), Notice.cases(41, 9_000_000_000)]
    + [Notice(k) for k in Kind if k is not Kind.CASES],
    ids=str,
)
def test_every_kind_round_trips(notice: Notice) -> None:
    payload = encode(notice)
    assert decode(payload) == notice
    assert " " not in payload and len(payload) < 80


def test_the_payloads_are_exactly_the_documented_ones() -> None:
    assert encode(Notice.cases(3, 7)) == '{"kind":"cases","first":3,"last":7}'
    assert encode(Notice(Kind.DEPARTMENTS)) == '{"kind":"departments"}'
    assert {k.value for k in Kind} == {
        "cases", "grids", "users", "departments", "catalogue", "calendar", "complaints",
        "collectors",
        "assessment",
    }


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "not json",
        "[]",
        "null",
        '"cases"',
        "[" * 5_000,
        '{"kind":"nuclear"}',
        '{"kind":"cases"}',
        '{"kind":"cases","first":2,"last":1}',
        '{"kind":"cases","first":0,"last":1}',
        '{"kind":"cases","first":true,"last":2}',
        '{"kind":"cases","first":1.5,"last":2}',
        '{"kind":"cases","first":"1","last":"2"}',
        '{"kind":"cases","first":1,"last":2,"case_id":5}',
        '{"kind":"grids","first":1,"last":2}',
        '{"kind":"grids","note":"x"}',
        '{"kind":7}',
        # The retired formats of the old channel: nothing a desk believes any more.
        '{"case_id": 5, "action": "create", "state": "reported", "version": 1}',
        '{"action": "flag", "case_ids": [1, 2, 3]}',
        '{"action": "recompute", "count": 3}',
    ],
)
def test_a_malformed_payload_decodes_to_none_and_is_logged(
    payload: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="seatdesk.notices"):
        assert decode(payload) is None
    assert "malformed change notice" in caplog.text


def test_notices_refuse_impossible_values() -> None:
    with pytest.raises(ValueError, match="first <= last"):
        Notice.cases(5, 4)
    with pytest.raises(ValueError, match="no ids"):
        Notice(Kind.GRIDS, 1, 2)


def test_ranges_merge_when_they_overlap_or_touch() -> None:
    assert merge_ranges([(10, 12), (1, 3), (4, 5), (11, 20), (30, 30)]) == [
        (1, 5), (10, 20), (30, 30)
    ]
    assert merge_ranges([]) == []


# ---- The database speaks the contract


def _raw(address: ServerAddress) -> Any:
    url = address.url
    host = url.query.get("host") or url.host
    conn = psycopg2.connect(
        host=host[0] if isinstance(host, tuple) else host, port=url.port,
        user=url.username, password=url.password, dbname=url.database,
    )
    conn.autocommit = True
    return conn


@contextmanager
def _listening(address: ServerAddress) -> Iterator[Callable[[float], list[str]]]:
    """A connection LISTENing on the channel; yields ``drain(seconds)`` → payloads."""
    conn = _raw(address)
    with conn.cursor() as cur:
        cur.execute(f"LISTEN {CHANNEL}")

    def drain(seconds: float) -> list[str]:
        payloads: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([conn], [], [], left)[0]:
                conn.poll()
                payloads += [n.payload for n in conn.notifies]
                conn.notifies.clear()
        return payloads

    try:
        yield drain
    finally:
        conn.close()


def _login(server: ServerAddress, seeded: DemoResult, login: str) -> Engine:
    return connect(server.for_login(login, seeded.passwords[login]))


def _committed(engine: Engine, sql: str, **params: object) -> Any:
    with engine.begin() as conn:
        result = conn.execute(text(sql), params)
        return result.scalar() if result.returns_rows else None


def test_a_case_change_is_one_cases_notice_with_its_event_ids(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine
) -> None:
    case_id = _committed(owner_engine,
                         "SELECT id FROM cases WHERE state = 'dispatched' ORDER BY id LIMIT 1")
    inspector = _login(server, seeded, "inspector1")
    try:
        with _listening(server) as drain:
            with session_factory(inspector).begin() as s:
                cases.urge(s, case_id=case_id, note="请尽快处置")
            with session_factory(inspector)() as s, s.begin():
                cases.urge(s, case_id=case_id, note="回滚的督办")
                s.rollback()
            payloads = drain(1.0)
        notices = [decode(p) for p in payloads]
        assert payloads == [encode(n) for n in notices if n is not None]  # compact, exact
        assert len(notices) == 1 and notices[0] is not None
        notice = notices[0]
        assert notice.kind is Kind.CASES and notice.first == notice.last
        event = _committed(owner_engine,
                           "SELECT max(id) FROM case_events WHERE case_id = :i AND action = 'urge'",
                           i=case_id)
        assert notice.first == event  # the committed urge; the rolled-back one is silent
    finally:
        inspector.dispose()


def test_a_statement_writing_many_events_sends_one_notice(
    server: ServerAddress, owner_engine: Engine, seeded: DemoResult
) -> None:
    """The sweep (or any set-based writer) announces itself once per statement."""
    # Two open cases whose deadline has passed and that no sweep has flagged yet.
    _committed(owner_engine, """
        UPDATE cases SET stage_deadline = now() - interval '1 hour',
                         warning_at = now() - interval '2 hours', deadline_status = 'normal'
        WHERE id IN (SELECT id FROM cases WHERE stage_deadline IS NOT NULL
                     AND state NOT IN ('closed', 'merged', 'rejected', 'voided')
                     ORDER BY id LIMIT 2)
    """)
    with _listening(server) as drain:
        flagged = _committed(owner_engine, "SELECT seatdesk_sweep_deadlines_at(now())")
        payloads = drain(1.0)
    notices = [n for n in map(decode, payloads) if n is not None and n.kind is Kind.CASES]
    assert flagged >= 2
    assert len(notices) == 1
    assert notices[0].last - notices[0].first + 1 >= flagged  # type: ignore[operator]


@pytest.mark.parametrize(
    ("table", "kind"),
    [
        ("departments", Kind.DEPARTMENTS),
        ("grids", Kind.GRIDS),
        ("categories", Kind.CATALOGUE),
        ("filing_conditions", Kind.CATALOGUE),
        ("time_limits", Kind.CATALOGUE),
        ("open311_services", Kind.CATALOGUE),  # migration 0030
        ("users", Kind.USERS),
        ("calendar_days", Kind.CALENDAR),
        ("calendar_years", Kind.CALENDAR),
        ("centre_settings", Kind.CALENDAR),
    ],
)
def test_every_reference_table_announces_its_entity(
    server: ServerAddress, owner_engine: Engine, table: str, kind: Kind
) -> None:
    with _listening(server) as drain:
        # A statement that changes no row still fires the statement-level trigger.
        _committed(owner_engine, f"DELETE FROM {table} WHERE false")
        payloads = drain(0.5)
    assert payloads == [encode(Notice(kind))]


def test_a_department_hears_every_tick_but_learns_only_its_own_cases(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine
) -> None:
    theirs = _committed(owner_engine, "SELECT id FROM cases WHERE current_department = 'HW' "
                                      "AND state = 'dispatched' ORDER BY id LIMIT 1")
    ours = _committed(owner_engine, "SELECT id FROM cases WHERE current_department = 'SZ' "
                                    "AND state = 'dispatched' ORDER BY id LIMIT 1")
    assert theirs and ours
    inspector = _login(server, seeded, "inspector1")
    department = _login(server, seeded, "dept_sz")
    try:
        with _listening(server.for_login("dept_sz", seeded.passwords["dept_sz"])) as drain:
            for case_id in (theirs, ours):
                with session_factory(inspector).begin() as s:
                    cases.urge(s, case_id=case_id, note="请尽快处置")
            payloads = drain(1.0)
        notices = [n for n in map(decode, payloads) if n is not None]
        assert len(notices) == 2  # the department's listener hears HW's change too ...
        hw_event = _committed(owner_engine, "SELECT max(id) FROM case_events "
                                            "WHERE case_id = :i", i=theirs)
        assert any(n.first == hw_event for n in notices)
        with session_factory(department).begin() as s:
            learned = changes_since(s, notices)
            only_theirs = changes_since(s, [n for n in notices if n.first == hw_event])
        # ... but asking the database, as itself, it learns only its own case.
        assert learned == ChangeSet(case_ids=frozenset({CaseId(ours)}))
        assert only_theirs == ChangeSet()
        with session_factory(inspector).begin() as s:
            assert changes_since(s, notices).case_ids == {theirs, ours}
    finally:
        inspector.dispose()
        department.dispose()


def test_reference_notices_and_huge_ranges_become_entities(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = _login(server, seeded, "leader1")
    try:
        with session_factory(engine).begin() as s:
            assert changes_since(s, [Notice(Kind.GRIDS), Notice(Kind.GRIDS),
                                     Notice(Kind.CALENDAR)]) == ChangeSet(
                entities=frozenset({"grids", "calendar"}))
            # A faked notice spanning every id costs no scan: "many cases changed".
            assert changes_since(s, [Notice.cases(1, MAX_SPAN + 1)]) == ChangeSet(
                entities=frozenset({"cases"}))
            assert changes_since(s, []) == ChangeSet()
    finally:
        engine.dispose()


def test_many_ranges_are_asked_about_in_one_query_with_the_same_answer(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = _login(server, seeded, "leader1")
    try:
        with session_factory(engine).begin() as s:
            ids = s.execute(text("SELECT id FROM case_events ORDER BY id DESC LIMIT 400")
                            ).scalars().all()
            every_other = sorted(ids)[::2]

            def cases_of(sql: str, **params: object) -> set[int]:
                return set(s.execute(text(sql), params).scalars())

            few = every_other[:MAX_RANGES]
            assert changes_since(s, [Notice.cases(i, i) for i in few]).case_ids == cases_of(
                "SELECT case_id FROM case_events WHERE id = ANY(:ids)", ids=few)
            # More ranges than MAX_RANGES: one covering range (the events in its gaps are
            # real changes too; the seat may see them anyway).
            assert len(every_other) > MAX_RANGES
            assert changes_since(
                s, [Notice.cases(i, i) for i in every_other]).case_ids == cases_of(
                "SELECT case_id FROM case_events WHERE id BETWEEN :a AND :b",
                a=every_other[0], b=every_other[-1])
    finally:
        engine.dispose()


# ---- Nobody outside seatdesk connects


def test_a_login_without_a_seatdesk_role_cannot_connect(
    server: ServerAddress, owner_engine: Engine
) -> None:
    outsider = f"outsider_{uuid.uuid4().hex[:8]}"
    password = "Outside-the-centre-1"
    with owner_engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            f"CREATE ROLE {outsider} LOGIN PASSWORD '{scram_verifier(password)}'")
    address = server.for_login(outsider, password)
    try:
        with pytest.raises(psycopg2.OperationalError, match="permission denied for database"):
            _raw(address).close()
        # The same login reaches the server's maintenance database: the password is
        # right and the server answers; only seatdesk's database is closed to it.
        from dataclasses import replace

        _raw(replace(address, url=address.url.set(database="postgres"))).close()
        assert _committed(owner_engine, "SELECT has_database_privilege(:r, "
                          "current_database(), 'CONNECT')", r=outsider) is False
        for role in ("acceptor", "department", "admin"):
            assert _committed(owner_engine, "SELECT has_database_privilege("
                              "seatdesk_group(:r), current_database(), 'CONNECT')",
                              r=role) is True
        if _committed(owner_engine, "SELECT seatdesk_group('acceptor')") != "seatdesk_acceptor":
            # Another database's groups (the shared names) may not connect to this one.
            assert _committed(owner_engine, "SELECT has_database_privilege("
                              "'seatdesk_acceptor', current_database(), 'CONNECT')") is False
    finally:
        with owner_engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f"DROP ROLE {outsider}"))
