"""The ``seatdesk`` command as an administrator runs it, in a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress
from seatdesk.demo import DemoResult


def _run(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SEATDESK_LANG": "en", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "seatdesk.cli", *args],
        capture_output=True, text=True, env=full_env, input=stdin, timeout=120,
    )


def _url(server: ServerAddress, login: str | None = None, password: str | None = None) -> str:
    url = server.url if login is None else server.url.set(username=login, password=password)
    return url.render_as_string(hide_password=False)


def test_db_status_names_the_server_version_and_revision(server: ServerAddress) -> None:
    result = _run("db", "status", env={"SEATDESK_DATABASE_URL": _url(server)})
    assert result.returncode == 0, result.stderr
    assert "PostgreSQL 1" in result.stdout
    head = migrate.head_revision()
    assert f"{head} (head {head})" in result.stdout
    assert server.url.password not in result.stdout


def test_a_dead_server_is_one_sentence_and_exit_code_2() -> None:
    result = _run("db", "status",
                  env={"SEATDESK_DATABASE_URL": "postgresql://x:y@127.0.0.1:9/seatdesk"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Cannot reach the database server at 127.0.0.1:9" in lines[0]


def test_a_wrong_password_is_one_sentence_and_exit_code_2(server: ServerAddress) -> None:
    url = _url(server, "acceptor1", "wrong")
    result = _run("db", "status", env={"SEATDESK_DATABASE_URL": url})
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "User acceptor1 does not exist or the password is wrong."
    )
    assert "Traceback" not in result.stderr


def test_user_commands_as_an_admin_login(server: ServerAddress, seeded: DemoResult) -> None:
    login = f"cli{uuid.uuid4().hex[:8]}"
    env = {
        "SEATDESK_DATABASE_URL": _url(server),
        "SEATDESK_USER": "admin1",
        "SEATDESK_PASSWORD": seeded.passwords["admin1"],
    }
    added = _run("user", "add", login, "--role", "department", "--department", "HW",
                 "--password-stdin", env=env, stdin="S3cret-pw\n")
    assert added.returncode == 0, added.stderr
    status = _run("db", "status", env={"SEATDESK_DATABASE_URL": _url(server, login, "S3cret-pw")})
    assert status.returncode == 0 and f"connected as {login}" in " ".join(status.stdout.split())
    denied = _run("user", "disable", "leader1",
                  env={**env, "SEATDESK_USER": login, "SEATDESK_PASSWORD": "S3cret-pw"})
    assert denied.returncode == 1 and "may not" in denied.stderr
    disabled = _run("user", "disable", login, env=env)
    assert disabled.returncode == 0, disabled.stderr
    refused = _run("db", "status", env={"SEATDESK_DATABASE_URL": _url(server, login, "S3cret-pw")})
    assert refused.returncode == 2 and f"The account {login} is disabled." in refused.stderr
    listed = _run("user", "list", env=env)
    assert login in listed.stdout


def test_a_department_user_needs_its_department(server: ServerAddress, seeded: DemoResult) -> None:
    env = {"SEATDESK_DATABASE_URL": _url(server), "SEATDESK_USER": "admin1",
           "SEATDESK_PASSWORD": seeded.passwords["admin1"]}
    result = _run("user", "add", "dept_orphan", "--role", "department", "--password-stdin",
                  env=env, stdin="x\n")
    assert result.returncode == 1
    assert "Department: a department user needs --department" in result.stderr


def test_user_roles_passwd_and_the_log(server: ServerAddress, seeded: DemoResult) -> None:
    login = f"cli{uuid.uuid4().hex[:8]}"
    env = {"SEATDESK_DATABASE_URL": _url(server), "SEATDESK_USER": "admin1",
           "SEATDESK_PASSWORD": seeded.passwords["admin1"]}
    added = _run("user", "add", login, "--role", "acceptor", "--password-stdin", env=env,
                 stdin="First-Pass-1\n")
    assert added.returncode == 0, added.stderr
    weak = _run("user", "passwd", login, "--password-stdin", env=env, stdin="weakpass1\n")
    assert weak.returncode == 1
    assert "Password: must mix at least 3 of" in weak.stderr
    changed = _run("user", "roles", login, "--role", "inspector", "--role", "monitor", env=env)
    assert changed.returncode == 0, changed.stderr
    assert "inspector, monitor" in changed.stdout
    log = _run("user", "log", login, env=env)
    assert log.returncode == 0, log.stderr
    lines = [ln for ln in log.stdout.splitlines() if login in ln]
    assert len(lines) == 2 and "roles_changed" in lines[0] and "user_created" in lines[1]
    assert all("admin1" in ln for ln in lines)
    assert "First-Pass-1" not in log.stdout and "weakpass1" not in log.stdout
    denied = _run("user", "log", env={**env, "SEATDESK_USER": "leader1",
                                      "SEATDESK_PASSWORD": seeded.passwords["leader1"]})
    assert denied.returncode == 1 and "may not" in denied.stderr


def test_a_mistyped_command_is_one_sentence_and_exit_code_2() -> None:
    result = _run("calender", "show", "2027")
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "has no command `calender`; did you mean" in lines[0]
    assert lines[0].endswith("calendar`?")
    assert result.stdout == ""


def test_a_mistyped_sub_command_names_the_group_s_commands() -> None:
    result = _run("--lang", "zh", "user", "xyz")
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    commands = "add, disable, enable, list, log, passwd, roles"
    assert f"没有 `xyz` 命令；可用的命令有：{commands}。" in lines[0]


def test_a_centre_name_the_database_refuses_is_one_sentence(server: ServerAddress) -> None:
    # The accepted name is tested with the service (tests/core/test_evidence_security.py):
    # a name committed here would show in every later desk test's status bar.
    result = _run("db", "centre-name", "城" * 61, env={"SEATDESK_DATABASE_URL": _url(server)})
    assert result.returncode != 0
    assert "1 to 60 characters" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
