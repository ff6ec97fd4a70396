"""The consistency checks of a database after many seats worked on it at once.

Run as the owner after ``benchmarks.load``: every recorded success left exactly one audit
event, no event of the run exists without a success (the sweep's system events aside),
every trail replays to its case's state (``seatdesk.domain.workflow.replay``), every
version is 1 + its version-bumping events, no case number is used twice, no merged cases
point at each other in a cycle, and ``pending_request`` is never a JSON null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg2.extras import execute_values

from benchmarks.common import psycopg2_connection
from seatdesk.db.engine import ServerAddress
from seatdesk.domain import workflow
from seatdesk.domain.glossary import CREATE_ACTION, SYSTEM_ACTIONS, Action, State
from seatdesk.errors import InvalidTransition

#: Events that change no state and bump no version.
NO_BUMP = frozenset({CREATE_ACTION, Action.URGE.value, *SYSTEM_ACTIONS})


@dataclass(frozen=True, slots=True)
class Success:
    """An action a seat saw commit (or whose commit was cut off): its case, its name,
    the version it left, and the note unique to it (None for a creation)."""

    case_id: int
    action: str
    version: int
    note: str | None


def check(owner: ServerAddress, first_event: int, done: list[Success],
          doubt: list[Success]) -> tuple[list[str], int]:
    """The violations found, and how many in-doubt actions landed."""
    conn = psycopg2_connection(owner)
    violations: list[str] = []
    # Each action carries a note unique to it (a case's one creation needs none).
    match = """e.case_id = s.case_id AND e.action = s.action AND e.id > %(first)s
               AND (s.note IS NULL OR e.note = s.note)"""
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE s (case_id bigint, action text, version int, "
                        "note text, doubt bool)")
            execute_values(cur, "INSERT INTO s VALUES %s",
                           [(x.case_id, x.action, x.version, x.note, False) for x in done]
                           + [(x.case_id, x.action, x.version, x.note, True) for x in doubt])

            def rows(what: str, sql: str) -> list[Any]:
                cur.execute(sql, {"first": first_event, "no_bump": list(NO_BUMP),
                                  "system": list(SYSTEM_ACTIONS)})
                found = cur.fetchall()
                if found:
                    sample = "; ".join(str(tuple(r)) for r in found[:5])
                    violations.append(f"{what}: {len(found)} (e.g. {sample})")
                return found

            rows("successes without exactly one event (case, action, version, events)", f"""
                SELECT s.case_id, s.action, s.version, count(e.id) FROM s
                LEFT JOIN case_events e ON {match} WHERE NOT s.doubt
                GROUP BY s.case_id, s.action, s.version, s.note HAVING count(e.id) <> 1""")
            rows("events with another version than their seat read after the action "
                 "(case, action, seat's version, event's)", f"""
                SELECT s.case_id, s.action, s.version, e.data->>'version' FROM s
                JOIN case_events e ON {match} WHERE s.action <> 'urge'
                  AND e.data->>'version' IS DISTINCT FROM s.version::text""")
            rows("two successes given the same version (case, version, actions)", """
                SELECT case_id, version, array_agg(action) FROM s
                WHERE action <> 'urge' AND NOT doubt
                GROUP BY case_id, version HAVING count(*) > 1""")
            rows("in-doubt actions that landed twice", f"""
                SELECT s.case_id, s.action, count(e.id) FROM s JOIN case_events e ON {match}
                WHERE s.doubt GROUP BY s.case_id, s.action, s.version, s.note
                HAVING count(e.id) > 1""")
            cur.execute(f"SELECT count(*) FROM s WHERE doubt AND EXISTS "
                        f"(SELECT 1 FROM case_events e WHERE {match})", {"first": first_event})
            landed = int(cur.fetchone()[0])
            rows("events of the run without a success (event id, case, action, actor)", f"""
                SELECT e.id, e.case_id, e.action, e.actor FROM case_events e
                WHERE e.id > %(first)s AND e.action <> ALL(%(system)s)
                  AND NOT EXISTS (SELECT 1 FROM s WHERE {match})""")
            rows("versions that are not 1 + their version-bumping events (case, version, "
                 "events)", """
                SELECT c.id, c.version, 1 + count(e.id) FILTER
                       (WHERE e.action <> ALL(%(no_bump)s)) FROM cases c
                LEFT JOIN case_events e ON e.case_id = c.id GROUP BY c.id
                HAVING c.version <> 1 + count(e.id) FILTER (WHERE e.action <> ALL(%(no_bump)s))""")
            rows("duplicate case numbers", """
                SELECT number, count(*) FROM cases GROUP BY number HAVING count(*) > 1""")
            rows("merged cases in a cycle of merges (no open original)", """
                WITH RECURSIVE chain(start, id, depth) AS (
                    SELECT id, merged_into, 1 FROM cases WHERE state = 'merged'
                    UNION ALL
                    SELECT ch.start, c.merged_into, ch.depth + 1 FROM chain ch
                    JOIN cases c ON c.id = ch.id
                    WHERE c.state = 'merged' AND ch.id <> ch.start AND ch.depth < 1000)
                SELECT DISTINCT start FROM chain WHERE id = start""")
            rows("pending_request stored as JSON null, not SQL NULL", """
                SELECT id FROM cases WHERE pending_request = 'null'::jsonb""")
        broken, touched = replay_all(conn, first_event)
        if broken:
            share = f"{100 * len(broken) / max(1, touched):.1f} % of the {touched} cases touched"
            sample = "; ".join(f"{c} ({why})" for c, why in broken[:5])
            violations.append(f"trails that do not replay to the case's state: {len(broken)} "
                              f"({share}; e.g. {sample})")
    finally:
        conn.close()
    return violations, landed


def replay_all(conn: Any, first_event: int) -> tuple[list[tuple[int, str]], int]:
    """Replay every case's trail; (case, why) for each that does not end in its state."""
    broken: list[tuple[int, str]] = []
    with conn.cursor() as cur:
        cur.execute("SELECT count(DISTINCT case_id) FROM case_events WHERE id > %s",
                    (first_event,))
        touched = int(cur.fetchone()[0])
    with conn.cursor(name="trails") as cur:
        cur.itersize = 20_000
        cur.execute("""SELECT c.id, c.state, e.action, e.from_state, e.to_state
                       FROM cases c JOIN case_events e ON e.case_id = c.id
                       ORDER BY c.id, e.id""")
        current: int | None = None
        state = ""
        steps: list[tuple[str, State | None, State]] = []

        def finish() -> None:
            try:
                end = workflow.replay(steps)
                if end.value != state:
                    broken.append((current or 0, f"ends {end.value}, case is {state}"))
            except InvalidTransition as exc:
                broken.append((current or 0, f"{exc.action} from {exc.state}"))

        for case_id, case_state, action, from_state, to_state in cur:
            if case_id != current:
                if current is not None:
                    finish()
                current, state, steps = case_id, case_state, []
            steps.append((action, State(from_state) if from_state else None, State(to_state)))
        if current is not None:
            finish()
    conn.rollback()
    return broken, touched
