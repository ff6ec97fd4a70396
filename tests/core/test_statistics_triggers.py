"""Migration 0028: the milestones, collector tasks and seat users' hours (0038) kept by one
statement-level trigger — the same figures whether a case's events come one statement
each (the desk, the intake) or all in one statement (the demo's bulk insert), and two
transactions adding to the same user's hour both counted."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

import psycopg2
from sqlalchemy import Engine, text

from tests.core.conftest import Desk

#: A trail with every step the milestones hold: (action, from, to, hours after start,
#: deadline written); collector task and answer included.
TRAIL: list[tuple[str, str, str, int, int | None]] = [
    ("request_verify", "reported", "verifying", 1, 5),
    ("verify_pass", "verifying", "verified", 2, None),
    ("pre_register", "verified", "pre_registered", 3, 8),
    ("register", "pre_registered", "registered", 9, 12),       # late: due at 8
    ("dispatch", "registered", "dispatched", 10, 40),
    ("request_return", "dispatched", "return_requested", 11, None),
    ("approve", "return_requested", "returned", 12, 14),
    ("dispatch", "returned", "dispatched", 13, 40),
    ("report_done", "dispatched", "handled", 20, None),
    ("close", "handled", "closed", 21, None),
]


def _trail(case_id: int, actor: str, start: datetime) -> list[dict[str, Any]]:
    rows = []
    for action, frm, to, hours, due in TRAIL:
        data = {"version": 2}
        if due is not None:
            data["deadline"] = (start + timedelta(hours=due)).isoformat()  # type: ignore[assignment]
        rows.append({"c": case_id, "a": action, "f": frm, "t": to, "actor": actor,
                     "at": start + timedelta(hours=hours), "d": data})
    return rows


#: The times as offsets from the case's deadline: the two cases were opened moments apart.
MILESTONE = ("postponed, from_collector, accepted_at - d, accepted_on_time, accept_rejected, "
             "registered_at - d, registered_on_time, dispatched_at - d, dispatched_on_time, "
             "returns, closed_at - d, closed_on_time, ended_at - d")
HOUR = ("hour, actions, steps, on_time, late, registered, round(register_seconds), dispatched, "
       "dispatch_seconds")


def test_one_statement_or_one_per_event_keeps_the_same_figures(desk: Desk) -> None:
    import json

    one, many = desk.new_case(), desk.new_case()
    # The milestones judge a step by the case's clock: each trail starts 8.5 hours before
    # its case's deadline, so its 受理 is on time and its 立案, 派遣 and 结案 late.
    due = "SELECT stage_deadline FROM cases WHERE id = :c"
    who_one, who_many = f"t28a_{uuid.uuid4().hex[:6]}", f"t28b_{uuid.uuid4().hex[:6]}"
    columns = "(case_id, action, from_state, to_state, actor, at, data)"
    rows_one = _trail(one, who_one, desk.scalar(due, c=one) - timedelta(hours=8.5))
    values = ", ".join(f"(:c{i}, :a{i}, :f{i}, :t{i}, :actor{i}, :at{i}, CAST(:d{i} AS jsonb))"
                       for i in range(len(rows_one)))
    params = {f"{k}{i}": (json.dumps(v) if k == "d" else v)
              for i, r in enumerate(rows_one) for k, v in r.items()}
    desk.session.execute(text(f"INSERT INTO case_events {columns} VALUES {values}"), params)
    for r in _trail(many, who_many, desk.scalar(due, c=many) - timedelta(hours=8.5)):
        desk.session.execute(text(f"INSERT INTO case_events {columns} VALUES "
                                  "(:c, :a, :f, :t, :actor, :at, CAST(:d AS jsonb))"),
                             {**r, "d": json.dumps(r["d"])})
    sql = (f"SELECT {MILESTONE} FROM case_milestones m, (SELECT stage_deadline AS d "
           "FROM cases WHERE id = :c) c WHERE m.case_id = :c")
    kept_one = desk.session.execute(text(sql), {"c": one}).one()
    kept_many = desk.session.execute(text(sql), {"c": many}).one()
    assert kept_one == kept_many
    assert kept_one.accepted_on_time is True and kept_one.registered_on_time is False
    assert kept_one.returns == 1 and kept_one.closed_on_time is False
    hours = f"SELECT {HOUR} FROM seat_user_hours WHERE login = :l ORDER BY hour"
    assert (desk.session.execute(text(hours), {"l": who_one}).all()
            == desk.session.execute(text(hours), {"l": who_many}).all())
    totals = desk.session.execute(text(
        "SELECT sum(actions), sum(steps), sum(late) FROM seat_user_hours WHERE login = :l"),
        {"l": who_one}).one()
    # Ten actions; four steps (accepted, registered, dispatched, closed), three late.
    assert tuple(totals) == (10, 4, 3)
    tasks = "SELECT verify, answered_at IS NOT NULL FROM collector_tasks WHERE case_id = :c"
    assert (desk.session.execute(text(tasks), {"c": one}).all()
            == desk.session.execute(text(tasks), {"c": many}).all() == [(True, True)])


def test_one_statement_trigger_replaces_the_row_triggers(desk: Desk) -> None:
    rows = desk.session.execute(text("""
        SELECT t.tgrelid::regclass::text, t.tgname, (t.tgtype & 1) = 1 AS per_row
        FROM pg_trigger t
        WHERE t.tgrelid IN ('case_events'::regclass, 'case_milestones'::regclass)
          AND NOT t.tgisinternal AND (t.tgtype & 4) = 4      -- INSERT triggers
    """)).all()
    names = {(table, name, per_row) for table, name, per_row in rows}
    assert ("case_events", "case_events_statistics", False) in names
    assert not any(table == "case_milestones" for table, _, _ in names)
    assert not any(name in ("case_events_milestone", "case_events_seat_user_days")
                   for _, name, _ in names)
    definer, config, public_may = desk.session.execute(text("""
        SELECT p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE')
        FROM pg_proc p WHERE p.proname = 'seatdesk_case_statistics'
    """)).one()
    assert definer and not public_may
    assert "search_path=public, pg_temp" in (config or [])


def test_two_transactions_add_to_the_same_hour_row(owner_engine: Engine, desk: Desk) -> None:
    """Two seats' transactions writing the same user's hour: the second waits for the
    first and adds to what it committed; neither count is lost."""
    url = owner_engine.url
    # A committed case (the demo's) that both connections see: an urge (督办), which the
    # workflow allows in handling, keeps its trail replayable and moves no clock.
    case_id = desk.scalar("SELECT min(id) FROM cases WHERE state = 'handling'")
    login = f"t28c_{uuid.uuid4().hex[:6]}"
    dsn = dict(host=url.query.get("host") or url.host, port=url.port, user=url.username,
               password=url.password, dbname=url.database)
    first, second = psycopg2.connect(**dsn), psycopg2.connect(**dsn)  # type: ignore[arg-type]
    insert = ("INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, data) "
              "VALUES (%s, 'urge', 'handling', 'handling', %s, now(), '{}')")
    try:
        with first.cursor() as c:
            c.execute(insert, (case_id, login))
        done = threading.Event()

        def other() -> None:
            with second.cursor() as c:
                c.execute(insert, (case_id, login))
            second.commit()
            done.set()

        worker = threading.Thread(target=other)
        worker.start()
        # The second upsert waits on the first's row.
        assert not done.wait(1.0)
        first.commit()
        worker.join(30)
        assert done.is_set()
        with first.cursor() as c:
            c.execute("SELECT sum(actions) FROM seat_user_hours WHERE login = %s", (login,))
            assert c.fetchone() == (2,)
    finally:
        first.close()
        second.close()
