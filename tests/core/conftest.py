"""Fixtures of the core tests: the demo county loaded once, each test in a transaction
that is rolled back, and seats taken with ``SET ROLE`` so the database's own privileges,
row-level security and audit triggers apply exactly as for a real login."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import psycopg2.extensions
import pytest
from PIL import Image
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult, run_demo
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, RejectReason, Role, Source, State
from seatdesk.services import actions, cases, catalogue
from seatdesk.services.actions import ActionInput
from seatdesk.services.common import CaseId
from seatdesk.services.photos import Photo

DEMO_SEED = 7
DEMO_CASES = 300

#: The demo login that holds each seat role (department: the SZ liaison seat).
LOGIN = {
    Role.ACCEPTOR: "acceptor1",
    Role.SHIFT_LEADER: "leader1",
    Role.DISPATCHER: "dispatcher1",
    Role.INSPECTOR: "inspector1",
    Role.MONITOR: "monitor1",
    Role.DEPARTMENT: "dept_sz",
    Role.ADMIN: "admin1",
    Role.INTAKE: "intake1",
}
DEPARTMENT = "SZ"


#: One demo per server and test session, whichever conftest asks first (tests/ui
#: imports this fixture, which makes it a second fixture of the same name): the demo
#: shows the passwords of the accounts it creates only once.
_SEEDED: dict[str, DemoResult] = {}


@pytest.fixture(scope="session")
def seeded(owner_engine: Engine) -> DemoResult:
    key = owner_engine.url.render_as_string(hide_password=False)
    if key not in _SEEDED:
        with session_factory(owner_engine).begin() as s:
            _SEEDED[key] = run_demo(s, seed=DEMO_SEED, cases=DEMO_CASES, reset=True)
    return _SEEDED[key]


@pytest.fixture(scope="module")
def seats(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[Role, Engine]]:
    """An engine of each seat role's demo login (``LOGIN``, the intake service's too):
    raw SQL over a real login, as a seat operator with psql would send it."""
    made = {r: connect(server.for_login(login, seeded.passwords[login]))
            for r, login in LOGIN.items()}
    yield made
    for engine in made.values():
        engine.dispose()


def png(color: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


class Desk:
    """A test's view of the database: one session, any seat."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextmanager
    def as_(self, who: Role | str) -> Iterator[Session]:
        """Act as a seat: its privileges and row-level security (SET ROLE), and its name
        in the database's functions (which a superuser session may name with the GUC
        ``seatdesk.act_as``). A refusal inside rolls back to a savepoint, so the test's
        transaction goes on, as a desk's next transaction would."""
        login = LOGIN[who] if isinstance(who, Role) else who
        nested = self.session.begin_nested()
        self.session.execute(text(f'SET ROLE "{login}"'))
        self.session.execute(text("SELECT set_config('seatdesk.act_as', :l, false)"), {"l": login})
        try:
            yield self.session
        except BaseException:
            nested.rollback()
            raise
        else:
            # A refusal caught inside the block (pytest.raises) leaves the transaction
            # aborted: give the savepoint back instead of releasing it.
            dbapi = self.session.connection().connection.dbapi_connection
            if dbapi.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INERROR:
                nested.rollback()
            else:
                nested.commit()
        finally:
            self.session.execute(text("RESET ROLE"))
            self.session.execute(text("RESET seatdesk.act_as"))

    def scalar(self, sql: str, **params: Any) -> Any:
        return self.session.execute(text(sql), params).scalar()

    def version(self, case_id: CaseId) -> int:
        return int(self.scalar("SELECT version FROM cases WHERE id = :i", i=case_id))

    def state(self, case_id: CaseId) -> State:
        return State(self.scalar("SELECT state FROM cases WHERE id = :i", i=case_id))

    def now(self) -> datetime:
        return self.session.execute(select(func.now())).scalar_one()  # type: ignore[no-any-return]

    # ---- making cases

    def category(self, case_type: str = "component", code: str = "0101") -> tuple[int, int]:
        """(minor class id, its first filing condition id)."""
        cat = self.scalar(
            "SELECT id FROM categories WHERE case_type = :t AND code = :c", t=case_type, c=code
        )
        cond = catalogue.filing_conditions(self.session, cat)[0]
        return cat, cond.id

    def new_case(self, *, with_photo: bool = True, **overrides: Any) -> CaseId:
        cat, cond = self.category()
        values: dict[str, Any] = {
            "source": Source.HOTLINE_12319,
            "category_id": cat,
            "filing_condition_id": cond,
            "description": "解放路88号门前上水井盖缺失",
            "address": "平阳县昆阳镇解放路88号",
            "longitude": 120.5605,
            "latitude": 27.6602,
        }
        values.update(overrides)
        with self.as_(Role.ACCEPTOR) as s:
            case_id, _ = cases.create_case(
                s, cases.NewCase(**values), [Photo(png(), "scene.png")] if with_photo else []
            )
        return case_id

    def perform(
        self,
        who: Role | str,
        action: Action,
        case_id: CaseId,
        *,
        expected_version: int | None = None,
        **overrides: Any,
    ) -> Any:
        """Take ``action`` as ``who`` through its wired service call, with valid default
        input (evidence included) and ``overrides`` of ``ActionInput``'s fields."""
        given = replace(self.default_input(action), **overrides)
        version = self.version(case_id) if expected_version is None else expected_version
        with self.as_(who) as s:
            return actions.perform(
                s, action, case_id=case_id, expected_version=version, given=given
            )

    def default_args(self, action: Action, case_id: CaseId) -> dict[str, Any]:
        """``perform``'s keyword arguments for ``action`` on the case as it is now."""
        return {"case_id": case_id, "expected_version": self.version(case_id)}

    def default_input(self, action: Action) -> ActionInput:
        """What ``action`` needs, filled with valid values."""
        note = "测试说明"
        photo = (Photo(png((90, 120, 60)), "evidence.png"),)
        extra: dict[Action, ActionInput] = {
            Action.REQUEST_VERIFY: ActionInput(collector="采集员张三"),
            Action.VERIFY_PASS: ActionInput(reply="现场属实", photos=photo),
            Action.VERIFY_FAIL: ActionInput(reply="现场未见问题", photos=photo),
            Action.REJECT: ActionInput(reason=RejectReason.DUPLICATE),
            Action.SEND_BACK: ActionInput(note=note),
            Action.DISPATCH: ActionInput(department=DEPARTMENT),
            Action.REPORT_DONE: ActionInput(note="已更换井盖", photos=photo),
            Action.REQUEST_CHECK: ActionInput(collector="采集员李四"),
            Action.CHECK_PASS: ActionInput(reply="已处置到位", photos=photo),
            Action.CHECK_FAIL: ActionInput(reply="井盖仍缺失", photos=photo),
            Action.REQUEST_EXTENSION: ActionInput(note=note),
            Action.REQUEST_RETURN: ActionInput(note="不属于本部门"),
            Action.REQUEST_POSTPONEMENT: ActionInput(
                resume_on=date.today() + timedelta(days=10), note=note
            ),
            Action.DENY: ActionInput(note=note),
            Action.REWORK: ActionInput(note=note),
            Action.URGE: ActionInput(note="请尽快处置"),
            Action.VOID: ActionInput(note=note),
        }
        if action is Action.MERGE:
            return ActionInput(original_id=self.new_case())
        return extra.get(action, ActionInput())

    def drive(self, case_id: CaseId, target: State) -> None:
        """Take a case from ``reported`` to ``target`` along the table's shortest path."""
        for action, _from, _to, role in workflow.shortest_paths()[target]:
            self.perform(role, action, case_id)
        assert self.state(case_id) == target

    def case_in(self, target: State) -> CaseId:
        if target is State.MERGED:
            case_id = self.new_case()
            self.perform(Role.ACCEPTOR, Action.MERGE, case_id)
            return case_id
        case_id = self.new_case()
        self.drive(case_id, target)
        return case_id


@pytest.fixture
def desk(owner_engine: Engine, seeded: DemoResult) -> Iterator[Desk]:
    """A session in an outer transaction that is rolled back after the test."""
    conn = owner_engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    try:
        yield Desk(session)
    finally:
        session.close()
        outer.rollback()
        conn.close()


@pytest.fixture
def fresh_monitor(owner_engine: Engine, server: ServerAddress, seeded: DemoResult
                  ) -> Iterator[Engine]:
    """A monitor login of this test alone (committed), as its own engine: a reveal of
    personal data shows it only after its audit has COMMITTED (migration 0019), and the
    login's own limit of reads is not shared with other tests."""
    from seatdesk.services import users

    login = f"pm{uuid.uuid4().hex[:10]}"
    password = f"Pw-{uuid.uuid4().hex[:12]}9"
    with session_factory(owner_engine).begin() as s:
        s.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"),
                  {"l": LOGIN[Role.ADMIN]})
        users.add_user(s, login=login, password=password, roles=[Role.MONITOR])
    engine = connect(server.for_login(login, password))
    try:
        yield engine
    finally:
        engine.dispose()
