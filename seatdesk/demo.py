"""A believable synthetic county for demonstrations, training and benchmarks.

平阳县 (330326) around 120.56 E, 27.66 N: three towns, three communities each, a 6×6
block of ~100 m unit grids per community, the default catalogue, ten departments, one
user per seat role, and cases spread over every state with audit trails that replay to
each case's state (the shortest path of the workflow table).

Everything is bulk SQL run by PostgreSQL (``INSERT … SELECT generate_series``) with
pseudo-random choices from ``hashint8extended(i, seed)``, so the data is the same for a
seed whatever the order of work, and a million cases take minutes. All of it is one
transaction: an interrupted demo leaves the database as it was.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from PIL import Image, ImageDraw
from pyproj import Geod
from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT, DOUBLE_PRECISION, TEXT
from sqlalchemy.orm import Session

from seatdesk.db.models import Case, Grid
from seatdesk.domain import passwords as passwords_policy
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    FINAL_STATES,
    Action,
    ActionField,
    Role,
    Source,
    Stage,
    State,
)
from seatdesk.errors import Problem
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import catalogue

COUNTY = ("330326", "平阳县")
STREETS = [
    ("001", "昆阳镇", ["城东社区", "城西社区", "城南社区"]),
    ("002", "鳌江镇", ["江口社区", "新河社区", "梅源社区"]),
    ("003", "万全镇", ["宋桥社区", "榆垟社区", "郑楼社区"]),
]
ROADS = ["解放路", "人民路", "城东路", "兴平路", "坡南路", "建设路", "凤凰路", "鳌江大道", "新华街"]
CENTRE = (120.56, 27.66)
CELL_LON = 0.00102  # ~100 m at 27.66° N
CELL_LAT = 0.0009  # ~100 m
CELLS = 6  # per community side
CHUNK = 50_000
MAX_PHOTO_CASES = 20_000
#: The field collectors verifications and checks are sent to (each in the register,
#: migration 0031, by the same id), and the replies they send back with their photos
#: (workflow.NEEDS).
COLLECTORS = ["采集员 吴海", "采集员 郑丽", "采集员 冯刚"]
REPLIES = {
    "verify_pass": "现场核实，问题属实",
    "verify_fail": "现场核实，未见所报问题",
    "check_pass": "现场核查，已处置到位",
    "check_fail": "现场核查，问题仍未解决",
}

#: Demo accounts of the centre's seats: login, display name (a person's name: the
#: desk shows the role beside it), roles.
STAFF_USERS: list[tuple[str, str, Role]] = [
    ("acceptor1", "王芳", Role.ACCEPTOR),
    ("leader1", "李强", Role.SHIFT_LEADER),
    ("dispatcher1", "陈静", Role.DISPATCHER),
    ("inspector1", "赵磊", Role.INSPECTOR),
    ("monitor1", "周敏", Role.MONITOR),
    ("admin1", "孙伟", Role.ADMIN),
    # The headless intake service of the collectors' folder (seatdesk intake).
    ("intake1", "采集接入服务", Role.INTAKE),
]


@dataclass(frozen=True, slots=True)
class DemoUser:
    login: str
    display_name: str
    role: Role
    department: str | None


def demo_users() -> list[DemoUser]:
    """One user per seat role, and one liaison seat per department (``dept_<code>``)."""
    users = [DemoUser(login, name, role, None) for login, name, role in STAFF_USERS]
    for d in catalogue.default_catalogue()["departments"]:
        users.append(
            DemoUser(f"dept_{d['code'].lower()}", f"{d['name']} 联络员", Role.DEPARTMENT,
                     d["code"])
        )
    return users

#: How the final states of demo cases are spread (weights, not shares).
STATE_WEIGHTS: dict[State, int] = {
    State.CLOSED: 50,
    State.REPORTED: 6,
    State.VERIFYING: 3,
    State.VERIFIED: 3,
    State.UNVERIFIED: 1,
    State.PRE_REGISTERED: 4,
    State.REGISTERED: 3,
    State.DISPATCHED: 7,
    State.HANDLING: 7,
    State.HANDLED: 3,
    State.CHECKING: 3,
    State.CHECK_PASSED: 2,
    State.CHECK_FAILED: 1,
    State.RETURN_REQUESTED: 1,
    State.RETURNED: 1,
    State.EXTENSION_REQUESTED: 1,
    State.POSTPONEMENT_REQUESTED: 1,
    State.POSTPONED: 1,
    State.REJECTED: 3,
    State.VOIDED: 1,
}
SOURCE_WEIGHTS: dict[Source, int] = {
    Source.COLLECTOR: 70,
    Source.HOTLINE_12319: 14,
    Source.ONLINE: 5,
    Source.MAYOR_MAILBOX: 3,
    Source.MEDIA: 2,
    Source.WALK_IN: 4,
    Source.INSPECTION: 2,
}
_AFTER_DISPATCH = frozenset(
    {
        State.DISPATCHED,
        State.HANDLING,
        State.HANDLED,
        State.CHECKING,
        State.CHECK_PASSED,
        State.CHECK_FAILED,
        State.RETURN_REQUESTED,
        State.EXTENSION_REQUESTED,
        State.POSTPONEMENT_REQUESTED,
        State.POSTPONED,
        State.CLOSED,
    }
)
#: Every open case runs against the clock of its stage.
_DEADLINE_RUNNING = frozenset(State) - FINAL_STATES
#: The states of the handling stage: the handling deadline of a case still in one is its
#: stage clock, so an open case past it counts in 超期待处置数.
_HANDLING_OPEN = frozenset(s for s in State if workflow.stage_of(s) is Stage.HANDLING)
#: The share of handled demo cases reported after their handling deadline (超期处置):
#: centres report some 5–15 %; with none, every department reads 100 % on time.
LATE_SHARE = 0.10


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo made. ``passwords`` holds the accounts it created, each with a new
    random password (shown once); ``kept`` the demo logins that already existed on the
    server, left exactly as they were."""

    cases: int
    grids: int
    events: int
    photos: int
    passwords: dict[str, str]
    kept: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoGrid:
    code: str
    name: str
    community_code: str
    min_lon: float
    min_lat: float
    polygon: dict[str, Any]
    area_m2: float


def demo_grids() -> list[DemoGrid]:
    """The demo county's grids, numbered west→east then north→south in each community."""
    geod = Geod(ellps="WGS84")
    grids: list[DemoGrid] = []
    block_lon, block_lat = CELL_LON * CELLS, CELL_LAT * CELLS
    west = CENTRE[0] - 1.5 * block_lon
    north = CENTRE[1] + 1.5 * block_lat
    for s_idx, (street_code, street_name, communities) in enumerate(STREETS):
        for c_idx, community_name in enumerate(communities):
            community_code = f"{COUNTY[0]}{street_code}{c_idx + 1:03d}"
            b_west = west + c_idx * block_lon
            b_north = north - s_idx * block_lat
            for row in range(CELLS):
                for col in range(CELLS):
                    seq = row * CELLS + col + 1
                    x0 = round(b_west + col * CELL_LON, 7)
                    x1 = round(b_west + (col + 1) * CELL_LON, 7)
                    y1 = round(b_north - row * CELL_LAT, 7)
                    y0 = round(b_north - (row + 1) * CELL_LAT, 7)
                    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
                    area, _ = geod.polygon_area_perimeter(
                        [p[0] for p in ring], [p[1] for p in ring]
                    )
                    grids.append(
                        DemoGrid(
                            code=f"{community_code}{seq:03d}",
                            name=f"{street_name}{community_name}第{seq}网格",
                            community_code=community_code,
                            min_lon=x0,
                            min_lat=y0,
                            polygon={"type": "Polygon", "coordinates": [ring]},
                            area_m2=abs(area),
                        )
                    )
    return grids


def run_demo(
    session: Session,
    *,
    seed: int = 1,
    cases: int = 3000,
    reset: bool = False,
    progress: Progress | None = None,
) -> DemoResult:
    """Fill an empty database with the demo county. Runs as the schema owner."""
    progress = progress or NoProgress()
    chunks = max(1, -(-cases // CHUNK))
    progress.start(5 + 2 * chunks)
    existing = session.execute(select(func.count()).select_from(Case)).scalar_one()
    if existing and not reset:
        raise Problem("demo_not_empty", count=existing)
    if reset:
        progress.status("reset")
        _wipe(session)
    progress.status("catalogue")
    catalogue.load_catalogue(session, catalogue.default_catalogue())
    progress.advance()
    progress.status("grids")
    grids = demo_grids()
    _insert_grids(session, grids)
    progress.advance()
    progress.status("users")
    passwords, kept = _ensure_users(session)
    _ensure_collectors(session)
    progress.advance()
    _check(progress)
    now = session.execute(select(func.now())).scalar_one()
    _prepare_generator(session, seed, grids, now, cases)
    for lo in range(1, cases + 1, CHUNK):
        hi = min(cases, lo + CHUNK - 1)
        progress.status(f"cases {lo:,}–{hi:,}")
        _insert_cases(session, lo, hi)
        progress.advance()
        _check(progress)
        _insert_events(session, lo, hi)
        progress.advance()
        _check(progress)
    progress.status("photos")
    photos = _insert_photos(session, max(1, cases - MAX_PHOTO_CASES + 1), cases)
    progress.advance()
    progress.status("statistics")
    _finish(session, cases)
    events = session.execute(text("SELECT count(*) FROM case_events")).scalar_one()
    session.execute(text("ANALYZE"))
    progress.advance()
    return DemoResult(
        cases=cases, grids=len(grids), events=events, photos=photos, passwords=passwords,
        kept=kept,
    )


def _check(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled()


#: The append-only tables a reset empties, each with the trigger that refuses TRUNCATE:
#: the audit logs, the intake's items (they name the cases that go, 0017), the reads
#: and requests of personal data (they name complaint ids given out again, 0019), and
#: the callback samples (they name complaints, 0024).
_APPEND_ONLY = (
    ("case_events", "case_events_no_truncate"),
    ("complaint_events", "complaint_events_no_truncate"),
    ("intake_items", "intake_items_no_truncate"),
    ("personal_data_reads", "personal_data_reads_no_truncate"),
    ("personal_data_requests", "personal_data_requests_no_truncate"),
    ("callback_sample_items", "callback_sample_items_no_truncate"),
    ("callback_samples", "callback_samples_no_truncate"),
)


def _wipe(session: Session) -> None:
    # The append-only tables refuse TRUNCATE through their triggers; the owner lifts
    # them for this transaction only, so a failed reset restores them with everything.
    for table, trigger in _APPEND_ONLY:
        session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
    session.execute(
        text(
            "TRUNCATE callback_sample_items, callback_samples, "
            "intake_items, personal_data_reads, personal_data_requests, "
            "complaint_events, complaints, "
            "complaint_number_counters, "
            "attachments, case_events, cases, case_number_counters RESTART IDENTITY"
        )
    )
    for table, trigger in _APPEND_ONLY:
        session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
    # The grids go, so their responsible collectors and types go with them (0031); the
    # register and its audit stay: they name no grid by key.
    session.execute(text("TRUNCATE collector_grids, grid_patrol_types"))
    session.execute(text("DELETE FROM grids"))


def _insert_grids(session: Session, grids: list[DemoGrid]) -> None:
    start = date.today() - timedelta(days=365 * 3)
    session.execute(
        insert(Grid),
        [
            {
                "code": g.code,
                "name": g.name,
                "community_code": g.community_code,
                "polygon": g.polygon,
                "area_m2": g.area_m2,
                "start_date": start,
            }
            for g in grids
        ],
    )


def _ensure_collectors(session: Session) -> None:
    """The demo's collectors in the register (the assessment ranks the register's), each
    one left as it is when it exists already."""
    session.execute(text("""
        INSERT INTO collectors (collector_id, name, active, updated_at, updated_by)
        SELECT c, c, true, clock_timestamp(), 'demo' FROM unnest(CAST(:names AS text[])) c
        ON CONFLICT (collector_id) DO NOTHING
    """), {"names": COLLECTORS})


def _ensure_users(session: Session) -> tuple[dict[str, str], tuple[str, ...]]:
    """Create the demo accounts that do not exist yet, each with a random password that
    satisfies the policy, through the audited user functions.

    A demo login that already exists — made by an earlier demo, by an admin, or by
    another database on the same server — is left exactly as it is: its password,
    attributes and roles are not this demo's to change. Returns the new accounts'
    passwords and the logins kept.
    """
    from seatdesk.services import users

    existing = set(
        session.execute(
            text(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY(:n) "
                "UNION SELECT login FROM users WHERE login = ANY(:n)"
            ),
            {"n": [u.login for u in demo_users()]},
        ).scalars()
    )
    passwords: dict[str, str] = {}
    kept: list[str] = []
    for user in demo_users():
        if user.login in existing:
            kept.append(user.login)
            continue
        password = passwords_policy.generate(user.login)
        users.add_user(
            session, login=user.login, password=password, roles=[user.role],
            display_name=user.display_name, department=user.department,
        )
        passwords[user.login] = password
    return passwords, tuple(kept)


def _prepare_generator(
    session: Session, seed: int, grids: list[DemoGrid], now: datetime, cases: int
) -> None:
    """Temporary tables and functions that the bulk statements draw from."""
    session.execute(text("""
        CREATE TEMP TABLE demo_param ON COMMIT DROP AS
        SELECT CAST(:seed AS bigint) AS seed, CAST(:now AS timestamptz) AS now,
               CAST(:n AS bigint) AS n, interval '90 days' AS span
    """), {"seed": seed, "now": now, "n": cases})
    # A uniform number in [0, 1) for case i and draw k: the same for a seed, whatever
    # the order in which PostgreSQL evaluates rows.
    session.execute(text(f"""
        CREATE FUNCTION pg_temp.demo_u(i bigint, k int) RETURNS double precision
        LANGUAGE sql IMMUTABLE AS $$
            SELECT ((hashint8extended(i * 64 + k, {int(seed)})) & 2147483647)::float8
                   / 2147483648.0
        $$
    """))
    # Choices as arrays: grid codes with their corner, minor classes with their first
    # filing condition and department, states and sources by cumulative weight.
    conds = session.execute(text("""
        SELECT c.id, c.case_type, c.name, f.id AS condition_id, f.handling_department_code
        FROM categories c
        JOIN filing_conditions f ON f.category_id = c.id AND f.seq = 1
        ORDER BY c.case_type, c.code
    """)).all()
    states = list(STATE_WEIGHTS)
    sources = list(SOURCE_WEIGHTS)
    paths = workflow.shortest_paths()
    arrays = {
        "grid_codes": [g.code for g in grids],
        "grid_lon": [g.min_lon for g in grids],
        "grid_lat": [g.min_lat for g in grids],
        "grid_names": [g.name.split("第")[0] for g in grids],
        "cat_ids": [c.id for c in conds],
        "cat_types": [c.case_type for c in conds],
        "cat_names": [c.name for c in conds],
        "cond_ids": [c.condition_id for c in conds],
        "cond_depts": [c.handling_department_code for c in conds],
        "states": [s.value for s in states],
        "stages": [
            (workflow.stage_of(s).value if workflow.stage_of(s) else "")  # type: ignore[union-attr]
            for s in states
        ],
        "state_cum": _cumulative([STATE_WEIGHTS[s] for s in states]),
        "state_len": [len(paths[s]) for s in states],
        "sources": [s.value for s in sources],
        "source_cum": _cumulative([SOURCE_WEIGHTS[s] for s in sources]),
        "roads": ROADS,
    }
    types = {
        "grid_lon": ARRAY(DOUBLE_PRECISION), "grid_lat": ARRAY(DOUBLE_PRECISION),
        "state_cum": ARRAY(DOUBLE_PRECISION), "source_cum": ARRAY(DOUBLE_PRECISION),
        "cat_ids": ARRAY(BIGINT), "cond_ids": ARRAY(BIGINT), "state_len": ARRAY(BIGINT),
    }
    columns = ", ".join(f":{k} AS {k}" for k in arrays)
    stmt = text(f"CREATE TEMP TABLE demo_choice ON COMMIT DROP AS SELECT {columns}").bindparams(
        *[bindparam(k, type_=types.get(k, ARRAY(TEXT))) for k in arrays]
    )
    session.execute(stmt, arrays)
    # The audit trail of each final state: (state, step, action, from, to, actor).
    # The department's steps are taken by its own liaison seat (resolved per case below).
    actors = {login: role for login, _, role in STAFF_USERS}
    by_role = {role: login for login, role in actors.items()}
    # Per final state, the step that reports the handling done (None if none does).
    done_step = {
        final: next((i + 1 for i, (a, *_rest) in enumerate(path)
                     if a is Action.REPORT_DONE), None)
        for final, path in paths.items()
    }
    steps = [
        {"final": final.value, "step": i + 1, "done_step": done_step[final],
         "action": a.value, "from": f.value, "to": t.value,
         "actor": by_role.get(role, "department"),
         "reply": REPLIES.get(a.value),
         "collector": ActionField.COLLECTOR in workflow.needs(a).fields,
         "photo_step": (workflow.needs(a).photo_step.value  # type: ignore[union-attr]
                        if workflow.needs(a).photo else None)}
        for final, path in paths.items() if final in STATE_WEIGHTS
        for i, (a, f, t, role) in enumerate(path)
    ]
    session.execute(text("""
        CREATE TEMP TABLE demo_path (
            final text, step int, action text, from_state text, to_state text, actor text,
            reply text, collector boolean, photo_step text, done_step int
        ) ON COMMIT DROP
    """))
    session.execute(
        text("INSERT INTO demo_path VALUES (:final, :step, :action, :from, :to, :actor, "
             ":reply, :collector, :photo_step, :done_step)"),
        steps,
    )
    session.execute(
        text("CREATE TEMP TABLE demo_collector ON COMMIT DROP AS "
             "SELECT CAST(:names AS text[]) AS names"),
        {"names": COLLECTORS},
    )
    # Case numbers restart every year: the first demo index of each year.
    session.execute(text("""
        CREATE TEMP TABLE demo_year ON COMMIT DROP AS
        SELECT extract(year FROM ts)::int AS year, min(i) AS first_i
        FROM (SELECT i, p.now - p.span + (p.span - interval '10 minutes') * i / p.n AS ts
              FROM demo_param p, generate_series(1, p.n) i) s
        GROUP BY 1
    """))


def _cumulative(weights: list[int]) -> list[float]:
    total = sum(weights)
    out, acc = [], 0
    for w in weights[:-1]:
        acc += w
        out.append(acc / total)
    return out


def _insert_cases(session: Session, lo: int, hi: int) -> None:
    running = ", ".join(f"'{s.value}'" for s in _DEADLINE_RUNNING)
    after = ", ".join(f"'{s.value}'" for s in _AFTER_DISPATCH)
    session.execute(text(f"""
        WITH base0 AS (
            SELECT i,
                   p.now - p.span + (p.span - interval '10 minutes') * i / p.n AS created_at,
                   p.now,
                   -- The newest cases take every state once, so each queue has work.
                   CASE WHEN p.n - i < cardinality(ch.states) THEN (p.n - i + 1)::int
                        ELSE 1 + width_bucket(pg_temp.demo_u(i, 1), ch.state_cum) END AS s_idx,
                   1 + width_bucket(pg_temp.demo_u(i, 2), ch.source_cum) AS src_idx,
                   1 + floor(pg_temp.demo_u(i, 3) * cardinality(ch.cat_ids))::int AS c_idx,
                   1 + floor(pg_temp.demo_u(i, 4) * cardinality(ch.grid_codes))::int AS g_idx
            FROM demo_param p, demo_choice ch, generate_series(CAST(:lo AS bigint), :hi) i
        ), base AS (
            -- The stage clock: started at the last step, due somewhere between 30 hours
            -- ago and 90 hours ahead, so the queues show every deadline status.
            SELECT b.*, b.now + (pg_temp.demo_u(i, 9) * 120 - 30) * interval '1 hour' AS due
            FROM base0 b
        ), timed AS (
            SELECT b.*, ch.states[s_idx] AS state,
                   least(interval '45 minutes',
                         (b.now - b.created_at) / (ch.state_len[s_idx] + 2)) AS step_len,
                   ch.state_len[s_idx] AS path_len
            FROM base b, demo_choice ch
        ), timed2 AS (
            SELECT t.*, t.created_at + t.step_len * t.path_len AS stage_start,
                   greatest(1, extract(epoch FROM
                       t.due - (t.created_at + t.step_len * t.path_len)) / 60)::int
                       AS limit_minutes
            FROM timed t
        )
        INSERT INTO cases (
            id, number, source, case_type, category_id, filing_condition_id, urgency,
            description, address, longitude, latitude, grid_code, reporter,
            reporter_phone, state, current_department, stage_started_at, stage_deadline,
            deadline_status,
            pending_request, resume_on, version, created_at, updated_at,
            stage, stage_limit_unit, stage_limit_minutes, clock_start, allowance_minutes,
            warning_at)
        OVERRIDING SYSTEM VALUE
        SELECT t.i,
               y.year::text || lpad((t.i - y.first_i + 1)::text, 7, '0'),
               ch.sources[t.src_idx],
               ch.cat_types[t.c_idx],
               ch.cat_ids[t.c_idx],
               ch.cond_ids[t.c_idx],
               CASE WHEN pg_temp.demo_u(t.i, 5) < 0.1 THEN 'urgent' ELSE 'ordinary' END,
               ch.grid_names[t.g_idx] || '发现' || ch.cat_names[t.c_idx] || '问题，请及时处置。',
               '平阳县' || ch.grid_names[t.g_idx] ||
                   ch.roads[1 + (t.i % cardinality(ch.roads))] ||
                   (1 + floor(pg_temp.demo_u(t.i, 6) * 300))::int || '号',
               ch.grid_lon[t.g_idx] + {CELL_LON} * (0.05 + 0.9 * pg_temp.demo_u(t.i, 7)),
               ch.grid_lat[t.g_idx] + {CELL_LAT} * (0.05 + 0.9 * pg_temp.demo_u(t.i, 8)),
               ch.grid_codes[t.g_idx],
               CASE WHEN ch.sources[t.src_idx] = 'collector'
                    THEN '采集员' || (1 + t.i % 40)
                    -- A citizen leaves a name and a mobile number to be called back.
                    ELSE (ARRAY['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周',
                                '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '郑'])
                             [1 + floor(pg_temp.demo_u(t.i, 10) * 20)::int]
                         || (ARRAY['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋',
                                   '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞',
                                   '平', '刚', '桂英', '建华', '志强', '海燕', '晓东'])
                             [1 + floor(pg_temp.demo_u(t.i, 11) * 26)::int] END,
               CASE WHEN ch.sources[t.src_idx] <> 'collector'
                    THEN '1'
                         || (ARRAY['3', '5', '8', '9'])[1 + floor(pg_temp.demo_u(t.i, 12) * 4)::int]
                         || lpad(floor(pg_temp.demo_u(t.i, 13) * 1e9)::bigint::text, 9, '0')
               END,
               t.state,
               CASE WHEN t.state IN ({after}) THEN ch.cond_depts[t.c_idx] END,
               t.created_at + t.step_len * t.path_len,
               CASE WHEN t.state IN ({running})
                    THEN t.stage_start + t.limit_minutes * interval '1 minute' END,
               CASE WHEN t.state NOT IN ({running}) THEN 'normal'
                    ELSE seatdesk_deadline_status(
                        t.now, t.stage_start + t.limit_minutes * interval '1 minute',
                        t.stage_start + t.limit_minutes * 0.8 * interval '1 minute') END,
               CASE t.state
                    WHEN 'extension_requested' THEN jsonb_build_object(
                        'kind', 'extension',
                        'deadline', t.now + (pg_temp.demo_u(t.i, 9) * 120 + 48)
                                    * interval '1 hour')
                    WHEN 'postponement_requested' THEN jsonb_build_object(
                        'kind', 'postponement', 'resume_on', (t.now + interval '14 days')::date)
                    WHEN 'return_requested' THEN jsonb_build_object('kind', 'return')
               END,
               CASE WHEN t.state = 'postponed' THEN (t.now + interval '10 days')::date END,
               t.path_len + 1,
               t.created_at,
               t.created_at + t.step_len * t.path_len,
               nullif(ch.stages[t.s_idx], ''),
               CASE WHEN t.state IN ({running}) THEN 'natural_hours' END,
               CASE WHEN t.state IN ({running}) THEN t.limit_minutes END,
               CASE WHEN t.state IN ({running}) THEN t.stage_start END,
               CASE WHEN t.state IN ({running}) THEN t.limit_minutes END,
               CASE WHEN t.state IN ({running})
                    THEN t.stage_start + t.limit_minutes * 0.8 * interval '1 minute' END
        FROM timed2 t
        CROSS JOIN demo_choice ch
        JOIN demo_year y ON y.year = extract(year FROM t.created_at)::int
    """), {"lo": lo, "hi": hi})


def _insert_events(session: Session, lo: int, hi: int) -> None:
    """Each case's trail. A dispatch writes the handling deadline (``data.deadline``, as
    the case functions write it), which 0022's trigger reads as the event is inserted:
    a case still in handling keeps its stage clock; a handled one a deadline drawn from
    its report's time (the steps are minutes apart, the catalogue's limits days), before
    it for ``LATE_SHARE`` of them and hours to days after it for the rest."""
    handling = ", ".join(f"'{s.value}'" for s in _HANDLING_OPEN)
    session.execute(text(f"""
        INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, data)
        SELECT case_id, action, from_state, to_state, actor, at, data FROM (
            SELECT c.id AS case_id, 'create' AS action, NULL AS from_state,
                   'reported' AS to_state,
                   CASE WHEN c.source IN ('hotline_12319', 'mayor_mailbox', 'online', 'media')
                        THEN 'monitor1' ELSE 'acceptor1' END AS actor,
                   c.created_at AS at, jsonb_build_object('version', 1) AS data, 0 AS step
            FROM cases c WHERE c.id BETWEEN :lo AND :hi
            UNION ALL
            SELECT c.id, p.action, p.from_state, p.to_state,
                   CASE WHEN p.actor = 'department'
                        THEN 'dept_' || lower(coalesce(c.current_department,
                                                       f.handling_department_code))
                        ELSE p.actor END,
                   st.at,
                   jsonb_build_object('version', p.step + 1)
                   || CASE WHEN p.action = 'dispatch'
                           THEN jsonb_build_object('department', c.current_department,
                                                   'deadline', seatdesk_iso(CASE
                               WHEN c.state IN ({handling}) THEN c.stage_deadline
                               WHEN p.done_step IS NULL THEN st.at + interval '1 day'
                               WHEN pg_temp.demo_u(c.id, 14) < {LATE_SHARE}
                               -- between the dispatch and the report: handled late
                               THEN st.at + (st.done_at - st.at)
                                            * (pg_temp.demo_u(c.id, 14) / {LATE_SHARE})
                               ELSE st.done_at + interval '2 hours'
                                    + (pg_temp.demo_u(c.id, 14) - {LATE_SHARE})
                                      / (1 - {LATE_SHARE}) * interval '70 hours' END))
                           ELSE '{{}}' END
                   -- The evidence the action records (workflow.NEEDS).
                   || CASE WHEN p.collector
                           THEN jsonb_build_object('collector',
                                    dc.names[1 + c.id % cardinality(dc.names)])
                           ELSE '{{}}' END
                   || CASE WHEN p.reply IS NOT NULL THEN jsonb_build_object('reply', p.reply)
                           ELSE '{{}}' END,
                   p.step
            FROM cases c JOIN demo_path p ON p.final = c.state
            CROSS JOIN LATERAL (
                SELECT c.created_at + (c.updated_at - c.created_at) * p.step / (c.version - 1)
                           AS at,
                       c.created_at + (c.updated_at - c.created_at) * p.done_step
                                      / (c.version - 1) AS done_at
            ) st
            CROSS JOIN demo_collector dc
            JOIN filing_conditions f ON f.id = c.filing_condition_id
            WHERE c.id BETWEEN :lo AND :hi
        ) e
        ORDER BY case_id, step
    """), {"lo": lo, "hi": hi})


def _photo(label: str, hue: int) -> bytes:
    img = Image.new("RGB", (320, 240), (60 + hue % 160, 90 + (hue * 7) % 120, 120))
    draw = ImageDraw.Draw(img)
    draw.rectangle((12, 12, 308, 228), outline=(255, 255, 255), width=3)
    draw.text((24, 24), label, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


def _insert_photos(session: Session, lo: int, hi: int) -> int:
    """One report photo per case, and one of each step whose action needs one (the
    newest ``MAX_PHOTO_CASES`` cases of a big demo)."""
    cats = session.execute(text("SELECT id, code FROM categories WHERE parent_id IS NOT NULL"))
    session.execute(text("""
        CREATE TEMP TABLE demo_photo (category_id int, data bytea, thumb bytea) ON COMMIT DROP
    """))
    rows = []
    for cat_id, code in cats:
        data = _photo(f"seatdesk demo {code}", cat_id)
        thumb_img = Image.open(io.BytesIO(data))
        thumb_img.thumbnail((160, 160))
        buf = io.BytesIO()
        thumb_img.save(buf, "JPEG", quality=70)
        rows.append({"c": cat_id, "d": data, "t": buf.getvalue()})
    session.execute(text("INSERT INTO demo_photo VALUES (:c, :d, :t)"), rows)
    result = session.execute(text("""
        INSERT INTO attachments (case_id, step, filename, content_type, size, data, thumbnail,
                                 taken_at, uploaded_by, uploaded_at)
        SELECT c.id, 'report', c.number || '.jpg', 'image/jpeg', octet_length(p.data),
               p.data, p.thumb, c.created_at, 'acceptor1', c.created_at
        FROM cases c JOIN demo_photo p ON p.category_id = c.category_id
        WHERE c.id BETWEEN :lo AND :hi
    """), {"lo": lo, "hi": hi})
    evidence = session.execute(text("""
        INSERT INTO attachments (case_id, step, filename, content_type, size, data, thumbnail,
                                 taken_at, uploaded_by, uploaded_at)
        SELECT c.id, p.photo_step, c.number || '-' || e.action || '.jpg', 'image/jpeg',
               octet_length(d.data), d.data, d.thumb, e.at, e.actor, e.at
        FROM case_events e JOIN cases c ON c.id = e.case_id
        JOIN demo_path p ON p.final = c.state AND p.action = e.action
                        AND p.from_state = e.from_state
        JOIN demo_photo d ON d.category_id = c.category_id
        WHERE c.id BETWEEN :lo AND :hi AND p.photo_step IS NOT NULL
    """), {"lo": lo, "hi": hi})
    return int(result.rowcount) + int(evidence.rowcount)  # type: ignore[attr-defined]


def _finish(session: Session, cases: int) -> None:
    # ON COMMIT DROP is not enough: a caller may run the demo twice in one transaction.
    session.execute(text("DROP TABLE demo_param, demo_choice, demo_path, demo_year, demo_photo, "
                         "demo_collector"))
    session.execute(text("DROP FUNCTION pg_temp.demo_u(bigint, int)"))
    session.execute(text("""
        INSERT INTO case_number_counters (year, last)
        SELECT substr(number, 1, 4)::smallint, max(substr(number, 5)::int)
        FROM cases GROUP BY 1
        ON CONFLICT (year) DO UPDATE SET last = excluded.last
    """))
    session.execute(
        text("SELECT setval(pg_get_serial_sequence('cases', 'id'), greatest(:n, 1))"),
        {"n": cases},
    )
