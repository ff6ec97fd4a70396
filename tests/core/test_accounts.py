"""Passwords, sessions and audited user management (issue 9, items 8 and 9), tried
over real logins where it matters, and with raw SQL where a hostile admin would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.db.secret_channel import call_with_secret
from seatdesk.demo import DemoResult
from seatdesk.domain import passwords
from seatdesk.domain.glossary import Role
from seatdesk.domain.passwords import PasswordRule
from seatdesk.errors import ConnectionProblem, NotFound, PermissionDenied, ValidationError
from seatdesk.services import users
from seatdesk.services.users import UserAction
from tests.core.conftest import Desk

STRONG = "Harbour-Lamp-42"

# ---- The policy, in Python


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Ab1!xyz", PasswordRule.TOO_SHORT),
        ("abcdefgh", PasswordRule.FEW_CLASSES),
        ("abcdefg1", PasswordRule.FEW_CLASSES),
        ("ABCDEFG!", PasswordRule.FEW_CLASSES),
        ("abcDEF12", None),
        ("abc!def1", None),
        ("ABC 12 de", None),
        ("xMonitor1!", PasswordRule.CONTAINS_LOGIN),
        ("xMONITOR1!y", PasswordRule.CONTAINS_LOGIN),
        ("密码Abc12345", PasswordRule.CHARACTERS),
        ("Abc1234\t5", PasswordRule.CHARACTERS),
        ("Ab1!" * 33, PasswordRule.TOO_LONG),
        ("Ab1!" * 32, None),
    ],
)
def test_the_policy_names_the_rule_a_password_breaks(
    password: str, rule: PasswordRule | None
) -> None:
    assert passwords.problem(password, "monitor") == rule


def test_generated_passwords_satisfy_the_policy_and_differ() -> None:
    made = {passwords.generate("admin1") for _ in range(200)}
    assert len(made) == 200
    assert all(passwords.problem(p, "admin1") is None for p in made)


def _random_passwords(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "aZ9!~ bQx7#É密\t" + "abcdefghijklmnopqrstuvwxyz"[:8] + "ABCDEFG" + "0123"
    out = ["", "acceptor1xY!", "ACCEPTOR1xy!", "xx" + "Ab1!" * 40]
    for _ in range(n):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))))
    return out


def test_the_database_policy_is_the_python_policy(owner_engine: Engine) -> None:
    candidates = _random_passwords(3000, seed=9)
    with owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT p, seatdesk_password_problem('acceptor1', p) FROM unnest(:ps) p"),
            {"ps": candidates},
        ).all()
    assert len(rows) == len(candidates)
    disagree = [
        (p, db, passwords.problem(p, "acceptor1"))
        for p, db in rows
        if db != (r.value if (r := passwords.problem(p, "acceptor1")) else None)
    ]
    assert not disagree, disagree[:5]
    assert {db for _, db in rows} == {r.value for r in PasswordRule} | {None}


# ---- Real logins


def _login(server: ServerAddress, seeded: DemoResult, login: str) -> Engine:
    return connect(server.for_login(login, seeded.passwords[login]))


@pytest.fixture
def admin(server: ServerAddress, seeded: DemoResult) -> Iterator[Engine]:
    engine = _login(server, seeded, "admin1")
    yield engine
    engine.dispose()


def _new_user(admin: Engine, role: Role = Role.ACCEPTOR, password: str = STRONG) -> str:
    """A committed new seat login (login roles outlive the test database: unique names)."""
    login = f"t{uuid.uuid4().hex[:10]}"
    with session_factory(admin).begin() as s:
        users.add_user(s, login=login, password=password, roles=[role])
    return login


def _raw_refusal(engine: Engine, sql: str, **params: object) -> DBAPIError:
    with engine.connect() as conn, pytest.raises(DBAPIError) as err:
        conn.execute(text(sql), params)
    return err.value


def _rolpassword(desk: Desk, login: str) -> str:
    return str(desk.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = :n", n=login))


def _scram_of(password: str, verifier: str) -> str:
    """The verifier libpq would compute for ``password`` with ``verifier``'s salt."""
    head = verifier.rsplit("$", 1)[0]
    iterations, salt_b64 = head.split("$", 1)[1].split(":")
    salt = base64.b64decode(salt_b64)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, int(iterations))
    client = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    stored = hashlib.sha256(client).digest()

    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode()

    return f"SCRAM-SHA-256${iterations}:{salt_b64}${b64(stored)}:{b64(server)}"


def test_the_database_derives_the_verifier_libpq_would(
    admin: Engine, server: ServerAddress, desk: Desk
) -> None:
    login = _new_user(admin)
    stored = _rolpassword(desk, login)
    assert stored.startswith("SCRAM-SHA-256$4096:") and STRONG not in stored
    assert desk.scalar("SELECT seatdesk_scram_verifier_ok(:v)", v=stored)
    assert _scram_of(STRONG, stored) == stored
    connect(server.for_login(login, STRONG)).dispose()
    with pytest.raises(ConnectionProblem):
        connect(server.for_login(login, STRONG + "x"))


def test_weak_passwords_are_refused_by_the_service(admin: Engine) -> None:
    login = f"t{uuid.uuid4().hex[:10]}"
    for password, rule in [
        ("Ab1!", PasswordRule.TOO_SHORT),
        ("lowercaseonly", PasswordRule.FEW_CLASSES),
        (f"X{login}9", PasswordRule.CONTAINS_LOGIN),
    ]:
        with session_factory(admin).begin() as s, pytest.raises(ValidationError) as err:
            users.add_user(s, login=login, password=password, roles=[Role.ACCEPTOR])
        assert (err.value.field, err.value.problem) == ("password", rule.value)
    with session_factory(admin).begin() as s, pytest.raises(ValidationError) as err:
        users.set_password(s, login="acceptor1", password="password")
    assert err.value.problem == PasswordRule.FEW_CLASSES.value
    with admin.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :n"),
                            {"n": login}).scalar() == 0


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("xQ7!", "password_too_short"),
        ("abcdefghij", "password_few_classes"),
        ("Xacceptor1!", "password_contains_login"),
        ("Ab1!Ab1!密", "password_characters"),
    ],
)
def test_weak_passwords_are_refused_by_raw_sql_as_admin1(
    admin: Engine, password: str, rule: str
) -> None:
    err = _raw_refusal(admin, "SELECT seatdesk_set_password('acceptor1', :p)", p=password)
    assert err.orig.pgcode == "22023"  # type: ignore[union-attr]
    assert err.orig.diag.constraint_name == rule  # type: ignore[union-attr]
    assert password not in str(err.orig)
    login = f"t{uuid.uuid4().hex[:10]}"
    err = _raw_refusal(
        admin, "SELECT seatdesk_create_user(:l, :p, 'x', ARRAY['acceptor'], NULL)",
        l=login, p=password.replace("acceptor1", login),
    )
    assert err.orig.diag.constraint_name == rule  # type: ignore[union-attr]


def test_a_string_like_a_verifier_is_a_password_never_a_stored_verifier(
    admin: Engine, server: ServerAddress, desk: Desk
) -> None:
    """0002 stored 'SCRAM-SHA-256$…' strings as they were: PostgreSQL took a malformed
    one as a plaintext password. Now every password is hashed by the function."""
    login = _new_user(admin)
    fake = "SCRAM-SHA-256$4096:c2FsdA==$AAAA:BBBB"
    with admin.begin() as conn:
        conn.execute(text("SELECT seatdesk_set_password(:l, :p)"), {"l": login, "p": fake})
    stored = _rolpassword(desk, login)
    assert stored != fake and _scram_of(fake, stored) == stored
    connect(server.for_login(login, fake)).dispose()


@pytest.mark.parametrize(
    "verifier",
    [
        "SCRAM-SHA-256$",
        "SCRAM-SHA-256$4096:c2FsdA==$AAAA:BBBB",
        "SCRAM-SHA-256$4096:c2FsdA==$" + "A" * 43 + "=:" + "B" * 43 + "=x",
        "SCRAM-SHA-256$1000:c2FsdA==$" + "A" * 43 + "=:" + "B" * 43 + "=",
        "SCRAM-SHA-256$4096:$" + "A" * 43 + "=:" + "B" * 43 + "=",
        "SCRAM-SHA-256$4096:c2FsdA=$" + "A" * 43 + "=:" + "B" * 43 + "=",
        "SCRAM-SHA-256$4096:c2FsdA==$" + "A" * 42 + "==:" + "B" * 43 + "=",
        "scram-sha-256$4096:c2FsdA==$" + "A" * 43 + "=:" + "B" * 43 + "=",
        "md5" + "0" * 32,
        "plaintext",
    ],
)
def test_malformed_verifiers_are_refused_by_raw_sql(desk: Desk, verifier: str) -> None:
    assert desk.scalar("SELECT seatdesk_scram_verifier_ok(:v)", v=verifier) is False
    with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
        desk.session.execute(text("SELECT seatdesk_store_verifier('acceptor1', :v)"),
                             {"v": verifier})
    assert err.value.orig.diag.constraint_name == "password_not_scram"  # type: ignore[union-attr]
    good = "SCRAM-SHA-256$4096:c2FsdA==$" + "A" * 43 + "=:" + "B" * 43 + "="
    assert desk.scalar("SELECT seatdesk_scram_verifier_ok(:v)", v=good) is True


def test_no_seat_calls_the_internal_password_functions(admin: Engine) -> None:
    good = "SCRAM-SHA-256$4096:c2FsdA==$" + "A" * 43 + "=:" + "B" * 43 + "="
    for sql in (
        "SELECT seatdesk_store_verifier('acceptor1', :v)",
        "SELECT seatdesk_scram_verifier(:v)",
        "SELECT seatdesk_log_user_event('disabled', 'acceptor1', '{}')",
    ):
        err = _raw_refusal(admin, sql, v=good)
        assert err.orig.pgcode == "42501", sql  # type: ignore[union-attr]


def test_a_seat_sets_its_own_password_but_not_anothers(
    admin: Engine, server: ServerAddress
) -> None:
    login = _new_user(admin)
    seat = connect(server.for_login(login, STRONG))
    try:
        with session_factory(seat).begin() as s, pytest.raises(PermissionDenied):
            users.set_password(s, login="leader1", password="Other-Pass-9")
        with session_factory(seat).begin() as s:
            users.set_password(s, login=login, password="Brand-New-77")
    finally:
        seat.dispose()
    connect(server.for_login(login, "Brand-New-77")).dispose()
    with session_factory(admin).begin() as s:
        log = users.audit_log(s, login=login)
    assert [(e.action, e.actor) for e in log[:2]] == [
        (UserAction.PASSWORD_CHANGED, login), (UserAction.USER_CREATED, "admin1")
    ]


# ---- Roles


def test_an_admin_changes_roles_and_the_database_follows(
    admin: Engine, server: ServerAddress
) -> None:
    login = _new_user(admin)
    with session_factory(admin).begin() as s:
        users.set_roles(s, login=login, roles=[Role.DEPARTMENT, Role.INSPECTOR],
                        department="HW")
    seat = connect(server.for_login(login, STRONG))
    try:
        with seat.connect() as conn:
            held = conn.execute(text(
                "SELECT array_agg(r ORDER BY r) FROM unnest(CAST(:rs AS text[])) r "
                "WHERE pg_has_role(current_user, seatdesk_group(r), 'MEMBER')"
            ), {"rs": [r.value for r in Role]}).scalar()
        assert held == ["department", "inspector"]
        with session_factory(seat).begin() as s:
            info = {u.login: u for u in users.list_users(s)}[login]
        assert info.roles == {Role.DEPARTMENT, Role.INSPECTOR} and info.department == "HW"
        with session_factory(seat).begin() as s, pytest.raises(PermissionDenied):
            users.set_roles(s, login=login, roles=[Role.ADMIN])
    finally:
        seat.dispose()
    with session_factory(admin).begin() as s:
        entry = users.audit_log(s, login=login, limit=1)[0]
    assert entry.action is UserAction.ROLES_CHANGED and entry.actor == "admin1"
    assert entry.detail == {
        "from": {"roles": ["acceptor"], "department": None},
        "to": {"roles": ["department", "inspector"], "department": "HW"},
    }


def test_role_changes_are_checked(admin: Engine) -> None:
    login = _new_user(admin)
    with session_factory(admin).begin() as s:
        with pytest.raises(ValidationError) as err:
            users.set_roles(s, login=login, roles=[Role.DEPARTMENT])
        assert err.value.field == "department"
        with pytest.raises(ValidationError) as err:
            users.set_roles(s, login=login, roles=[])
        assert err.value.field == "roles"
        with pytest.raises(ValidationError) as err:
            users.set_roles(s, login="admin1", roles=[Role.ACCEPTOR])
        assert err.value.problem == "self"
        with pytest.raises(NotFound):
            users.set_roles(s, login="nobody_at_all", roles=[Role.ACCEPTOR])
    # The database refuses the same with raw SQL.
    for sql, field in [
        (f"SELECT seatdesk_set_roles('{login}', ARRAY['department'], NULL)", "department"),
        (f"SELECT seatdesk_set_roles('{login}', ARRAY['root'], NULL)", "roles"),
        ("SELECT seatdesk_set_roles('admin1', ARRAY['acceptor'], NULL)", "roles"),
    ]:
        err = _raw_refusal(admin, sql)
        assert err.orig.diag.column_name == field, sql  # type: ignore[union-attr]


# ---- Disabling ends the sessions


def test_disabling_a_user_ends_its_open_session(
    admin: Engine, server: ServerAddress
) -> None:
    login = _new_user(admin, Role.DISPATCHER)
    seat = connect(server.for_login(login, STRONG), pool_size=1)
    try:
        held = seat.connect()
        assert held.execute(text("SELECT current_user")).scalar() == login
        held.rollback()
        with session_factory(admin).begin() as s:
            users.set_active(s, login=login, active=False)
            # Not before the commit: a disable that rolls back ends nothing.
            assert held.execute(text("SELECT 1")).scalar() == 1
            held.rollback()
        assert _dies_within(held, seconds=5)
        held.invalidate()
        held.close()
        with pytest.raises(ConnectionProblem) as err:
            connect(server.for_login(login, STRONG))
        assert err.value.key == "account_disabled"
    finally:
        seat.dispose()


def _dies_within(conn: Connection, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn.execute(text("SELECT 1"))
            conn.rollback()
        except OperationalError:
            return True
        time.sleep(0.05)
    return False


def test_an_admin_cannot_disable_themselves(admin: Engine) -> None:
    with session_factory(admin).begin() as s, pytest.raises(ValidationError) as err:
        users.set_active(s, login="admin1", active=False)
    assert (err.value.field, err.value.problem) == ("login", "self")


# ---- The audit log of user management


def test_every_user_change_leaves_an_audit_row_without_secrets(
    admin: Engine, desk: Desk
) -> None:
    login = _new_user(admin, Role.MONITOR)
    first_verifier = _rolpassword(desk, login)
    with session_factory(admin).begin() as s:
        users.set_roles(s, login=login, roles=[Role.MONITOR, Role.INSPECTOR])
        users.set_password(s, login=login, password="Second-Pass-8")
        users.set_active(s, login=login, active=False)
        users.set_active(s, login=login, active=True)
    with session_factory(admin).begin() as s:
        log = users.audit_log(s, login=login)
    assert [e.action for e in reversed(log)] == [
        UserAction.USER_CREATED, UserAction.ROLES_CHANGED, UserAction.PASSWORD_RESET,
        UserAction.DISABLED, UserAction.ENABLED,
    ]
    assert {e.actor for e in log} == {"admin1"}
    assert log[0].at >= log[-1].at
    assert log[-1].detail["roles"] == ["monitor"]
    everything = json.dumps(
        [list(r) for r in desk.session.execute(text("SELECT * FROM user_events")).all()],
        default=str,
    )
    for secret in (STRONG, "Second-Pass-8", first_verifier, _rolpassword(desk, login)):
        assert secret not in everything
    assert "SCRAM" not in everything


@pytest.mark.parametrize("role", list(Role))
def test_no_seat_writes_the_user_log(desk: Desk, role: Role) -> None:
    desk.session.execute(text(
        "SELECT seatdesk_log_user_event('disabled', 'acceptor1', '{}')"
    ))  # the owner writes one row, through the function
    statements = [
        "INSERT INTO user_events (actor, action, login) VALUES ('x', 'disabled', 'leader1')",
        "INSERT INTO user_events (id, actor, action, login) "
        "OVERRIDING SYSTEM VALUE VALUES (999999, 'x', 'disabled', 'leader1')",
        "UPDATE user_events SET actor = 'someone_else'",
        "DELETE FROM user_events",
        "TRUNCATE user_events",
    ]
    with desk.as_(role):
        for sql in statements:
            with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
                desk.session.execute(text(sql))
            assert err.value.orig.pgcode == "42501", sql  # type: ignore[union-attr]
        readable = role is Role.ADMIN
        if readable:
            assert desk.scalar("SELECT count(*) FROM user_events") >= 1
        else:
            with pytest.raises(DBAPIError), desk.session.begin_nested():
                desk.session.execute(text("SELECT count(*) FROM user_events"))


def test_not_even_the_owner_rewrites_the_user_log(desk: Desk) -> None:
    desk.session.execute(text(
        "SELECT seatdesk_log_user_event('disabled', 'acceptor1', '{}')"
    ))
    for sql in ("UPDATE user_events SET actor = 'x'", "DELETE FROM user_events",
                "TRUNCATE user_events"):
        with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
            desk.session.execute(text(sql))
        assert "append-only" in str(err.value.orig)
    with pytest.raises(DBAPIError), desk.session.begin_nested():
        desk.session.execute(text(
            "INSERT INTO user_events (id, actor, action, login) "
            "VALUES (1, 'x', 'disabled', 'leader1')"
        ))


def test_only_an_admin_reads_the_user_log(desk: Desk) -> None:
    with desk.as_(Role.SHIFT_LEADER) as s, pytest.raises(PermissionDenied):
        users.audit_log(s)


# ---- No secret reaches the server log


class _ServerLog:
    """The server's log, read on this machine when it is here, else through the server
    itself (``pg_read_binary_file``, open to the superuser the tests connect as): so the
    check runs against a remote test server too, never skipped."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        data = Path(desk.scalar("SHOW data_directory"))
        # pgserver's <pgdata>/log; the CI server's server.log beside its data directory;
        # the logging collector's current file.
        candidates = [data / "log", data.parent / "server.log"]
        current = desk.scalar("SELECT pg_current_logfile()")
        if current:
            candidates.insert(0, data / current)
        self.local = next((p for p in candidates if _readable(p)), None)
        self.remote = None if self.local else next(
            (str(p) for p in candidates if self._remote_size(str(p)) is not None), None
        )

    def found(self) -> bool:
        return self.local is not None or self.remote is not None

    def size(self) -> int:
        if self.local is not None:
            return self.local.stat().st_size
        size = self._remote_size(str(self.remote))
        assert size is not None
        return size

    def read_from(self, offset: int) -> str:
        if self.local is not None:
            return self.local.read_bytes()[offset:].decode(errors="replace")
        data = self._desk.scalar("SELECT pg_read_binary_file(:p, :o, 100000000)",
                                 p=self.remote, o=offset)
        return bytes(data).decode(errors="replace")

    def _remote_size(self, path: str) -> int | None:
        with self._desk.session.begin_nested() as nested:
            try:
                return int(self._desk.scalar("SELECT (pg_stat_file(:p)).size", p=path))
            except DBAPIError:
                nested.rollback()
                return None


def _readable(path: Path) -> bool:
    try:
        return path.is_file() and path.read_bytes() is not None
    except OSError:
        return False


def test_no_password_reaches_the_server_log(
    desk: Desk, admin: Engine, server: ServerAddress
) -> None:
    log = _ServerLog(desk)
    assert log.found(), (
        "the server's log was found neither on this machine nor through the server "
        "(log to a file: logging_collector = on, or pg_ctl -l beside the data directory)"
    )
    # The embedded server logs no failed statement at all (QUIET_LOG: a complaint's
    # failed insert would log its name and phone). A shared server may log them: do so
    # for the admin's sessions here, so the control below shows the log would hold the
    # statement, and the secrets still are not in it.
    owner = connect(server)
    try:
        with owner.connect() as conn:
            conn.execute(text("ALTER ROLE admin1 SET log_min_error_statement = 'error'"))
            conn.commit()
        admin.dispose()
        _no_password_in_the_log(log, desk, admin, server)
    finally:
        with owner.connect() as conn:
            conn.execute(text("ALTER ROLE admin1 RESET log_min_error_statement"))
            conn.commit()
        owner.dispose()
        admin.dispose()


def _no_password_in_the_log(
    log: _ServerLog, desk: Desk, admin: Engine, server: ServerAddress
) -> None:
    login = _new_user(admin)
    weak = f"weak{uuid.uuid4().hex[:6]}"  # lower case and digits: refused by the database
    good = f"Good-{uuid.uuid4().hex[:6]}-Pw"
    control = f"control{uuid.uuid4().hex[:8]}"  # as weak, sent the careless way
    before = log.size()
    with session_factory(admin).begin() as s:
        # A failing call: past the service's own check, straight to the function.
        with pytest.raises(DBAPIError) as err:
            call_with_secret(s, "SELECT seatdesk_set_password(:login, :secret)",
                             {"login": login}, weak)
        assert err.value.orig.diag.constraint_name == "password_few_classes"  # type: ignore[union-attr]
        users.set_password(s, login=login, password=good)  # a succeeding one
    connect(server.for_login(login, good)).dispose()
    # The control: a failing statement with a secret in its text does reach the log,
    # so the log read below is the one the server writes.
    with admin.connect() as conn, pytest.raises(DBAPIError):
        conn.execute(text("SELECT seatdesk_set_password(:l, :p)"),
                     {"l": login, "p": control})
    deadline = time.monotonic() + 5
    written = ""
    while control not in written and time.monotonic() < deadline:
        time.sleep(0.1)
        written = log.read_from(before)
    assert control in written, "the control statement was not logged: wrong log file?"
    assert "password_few_classes" in written or "password is refused" in written
    for secret in (weak, good):
        assert secret not in written
        assert secret.encode().hex() not in written
    verifier = _rolpassword(desk, login)
    assert verifier.split("$")[-1].split(":")[0] not in written
