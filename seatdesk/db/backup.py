"""Backing up and restoring a seatdesk database with PostgreSQL's own tools.

``backup`` runs ``pg_dump`` (custom format) as shipped with the embedded server
(pgserver's ``bin`` folder) into a temporary file beside the target and renames it into
place when it is complete, so a killed backup never leaves a half file under the name.
Beside the dump it writes ``FILE.roles`` (mode 0600): PostgreSQL's login and group roles
are the cluster's, not the database's, and ``pg_dump`` leaves them out; the file holds
this database's seat logins (with their scram verifiers, never a password), its group
roles, its owner and their memberships, so that a restore into a fresh data directory
leaves every seat able to log in with the password it had.

``restore`` never leaves a half-restored database: the archive is restored into a new
database beside the live one; only when that succeeded, and its data is not older than
the live one's (unless forced), do the two swap names in one transaction (``ALTER
DATABASE … RENAME`` is transactional). Killed during ``pg_restore``, the live database is
untouched and the half database is dropped by the next restore; killed after the swap,
the replaced database is dropped by the next restore. Roles missing from the cluster are
created first from ``FILE.roles``; roles that exist are left as they are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from seatdesk.db.engine import ServerAddress
from seatdesk.errors import Problem
from seatdesk.progress import NoProgress, Progress

#: The name of the roles file beside a dump: ``FILE`` + this suffix.
ROLES_SUFFIX = ".roles"
#: The prefixes of the databases a restore works in (leftovers of a killed restore).
RESTORING = "sdrestoring_"
REPLACED = "sdreplaced_"
#: A table every seatdesk dump holds (a dump without it is some other database's).
AUDIT_TABLE = "case_events"
_SWAP_TRIES = 5
#: PostgreSQL's own roles a database's owner is given (0008, 0010): the only ones a roles
#: file may grant, and only to a NOLOGIN role of its own.
OWNER_PG_ROLES = frozenset({"pg_read_all_stats", "pg_signal_backend"})


@dataclass(frozen=True, slots=True)
class Summary:
    """What a database holds, to compare a dump with the live one and to print."""

    cases: int
    events: int
    newest_event: datetime | None

    def newer_than(self, other: Summary) -> bool:
        """Does this database hold data that ``other`` lacks (a later event, or more)?"""
        if self.events > other.events:
            return True
        if self.newest_event is None:
            return False
        return other.newest_event is None or self.newest_event > other.newest_event


def tools_dir() -> Path:
    """The ``bin`` folder of the PostgreSQL that pgserver ships (pg_dump, pg_restore)."""
    with warnings.catch_warnings():
        # pgserver touches the runtime directory on import (see ``embedded``).
        warnings.simplefilter("ignore")
        import pgserver

    return Path(pgserver.__file__).parent / "pginstall" / "bin"


# ---- Backup


def backup(address: ServerAddress, file: Path, progress: Progress | None = None) -> Summary:
    """Dump the database at ``address`` into ``file`` (custom format) and its roles into
    ``file.roles``, both mode 0600; return what the dump holds. ``address`` must be
    able to read every table (the owner's, or a superuser's)."""
    progress = progress or NoProgress()
    file = file.expanduser().resolve()
    if file.is_dir():
        raise Problem("backup_target_folder", file=str(file))
    if not file.parent.is_dir():
        raise Problem("backup_no_folder", folder=str(file.parent))
    with _connection(address) as conn:
        summary = _summary(conn)
        tables = _scalar(conn, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND "
                               "relnamespace = 'public'::regnamespace")
        roles = _roles(conn)
    progress.start(int(tables) + 1)
    progress.status(file.name)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.part")
    roles_tmp = file.with_name(f".{file.name}{ROLES_SUFFIX}.{os.getpid()}.part")
    try:
        _run_tool(
            address, ["pg_dump", "--format=custom", "--verbose", f"--file={tmp}",
                      str(address.url.database)],
            progress, step=re.compile(r"dumping contents of table"), what=str(file),
        )
        # The dump holds the complainants' names and phones: the OS user's only (pg_dump
        # wrote it under umask 077, so it was never anyone else's, not even while written).
        tmp.chmod(0o600)
        # O_EXCL, O_NOFOLLOW: never through a file or a link another user left there.
        fd = os.open(roles_tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(roles, fh, ensure_ascii=False, indent=1)
        tmp.replace(file)
        roles_tmp.replace(file.with_name(file.name + ROLES_SUFFIX))
    finally:
        tmp.unlink(missing_ok=True)
        roles_tmp.unlink(missing_ok=True)
    progress.advance()
    return summary


def summary_of(address: ServerAddress) -> Summary:
    """What the database at ``address`` holds now (empty when it has no schema yet)."""
    with _connection(address) as conn:
        return _summary(conn)


def _summary(conn: Any) -> Summary:
    if _scalar(conn, "SELECT to_regclass('public.case_events') IS NULL"):
        return Summary(0, 0, None)
    with conn.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM cases), count(*), max(at) FROM case_events")
        cases, events, newest = cur.fetchone()
    return Summary(int(cases), int(events), newest)


def _roles(conn: Any) -> dict[str, Any]:
    """This database's roles (seat logins, groups, owner) and their memberships."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('public.database_roles') IS NOT NULL")
        if not cur.fetchone()[0]:
            return {"roles": [], "memberships": []}
        cur.execute("""
            WITH mine AS (
                SELECT login AS name FROM users
                UNION SELECT rolname FROM pg_roles, database_roles
                      WHERE starts_with(rolname, group_prefix)
                UNION SELECT owner_role FROM database_roles)
            SELECT a.rolname, a.rolcanlogin, a.rolinherit, a.rolcreaterole, a.rolpassword,
                   a.rolconnlimit, a.rolvaliduntil::text
            FROM pg_authid a JOIN mine ON mine.name = a.rolname
            WHERE NOT a.rolsuper ORDER BY a.rolcanlogin, a.rolname""")
        roles = [
            {"name": n, "login": lg, "inherit": inh, "createrole": cr, "password": pw,
             "connlimit": cl, "valid_until": vu}
            for n, lg, inh, cr, pw, cl, vu in cur.fetchall()
        ]
        names = [r["name"] for r in roles]
        cur.execute("""
            SELECT g.rolname, m.rolname, am.admin_option
            FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
            JOIN pg_roles m ON m.oid = am.member
            WHERE (g.rolname = ANY(%s) OR m.rolname = ANY(%s)) AND NOT m.rolsuper
            ORDER BY 1, 2""", (names, names))
        memberships = [{"role": g, "member": m, "admin": a} for g, m, a in cur.fetchall()]
    return {"roles": roles, "memberships": memberships}


# ---- Restore


def restore(
    address: ServerAddress, file: Path, *, force: bool = False, progress: Progress | None = None
) -> Summary:
    """Replace the database at ``address`` (whose login must be a superuser: the
    embedded server's owner) with the dump ``file``; return what it now holds.

    Refused, with nothing changed, when ``file`` is no seatdesk dump, when a role it
    needs is neither in the cluster nor in ``file.roles``, and (unless ``force``) when
    the live database holds newer data than the dump."""
    progress = progress or NoProgress()
    file = file.expanduser().resolve()
    entries = _archive_entries(file)
    roles = _read_roles(file)
    target = str(address.url.database)
    with _connection(address, database="postgres") as admin:
        _refuse_escalation(admin, file, roles)
        missing = _missing_owners(admin, entries, roles)
        if missing:
            raise Problem("restore_roles_missing", file=str(file), roles=", ".join(missing),
                          roles_file=str(file) + ROLES_SUFFIX)
        _drop_leftovers(admin)
        work = f"{RESTORING}{os.getpid()}_{int(time.time())}"
        progress.start(len(entries) + 2)
        progress.status(file.name)
        _create_roles(admin, roles)
        _execute(admin, sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                 .format(sql.Identifier(work)))
        try:
            _run_tool(
                address, ["pg_restore", "--verbose", "--exit-on-error", f"--dbname={work}",
                          str(file)],
                progress, step=re.compile(r"pg_restore: (creating|processing)"),
                what=str(file), database=work,
            )
            with _connection(address, database=work) as conn:
                restored = _summary(conn)
            live = summary_of(address)
            if not force and live.newer_than(restored):
                raise Problem(
                    "restore_newer", file=str(file), live_events=live.events,
                    live_newest=_when(live.newest_event), dump_events=restored.events,
                    dump_newest=_when(restored.newest_event),
                )
            grants = _database_grants(file, target)
            _swap(admin, target, work, grants)
        except BaseException:
            _terminate(admin, work)
            _execute(admin, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(work)))
            raise
        progress.advance()
        _drop_leftovers(admin)
    progress.advance()
    return summary_of(address)


def _when(at: datetime | None) -> str:
    return at.isoformat(sep=" ", timespec="seconds") if at else "—"


def _archive_entries(file: Path) -> list[str]:
    """The archive's table of contents; a file that is no seatdesk dump is refused."""
    if not file.is_file():
        raise Problem("backup_missing", file=str(file))
    done = subprocess.run(
        [str(tools_dir() / "pg_restore"), "--list", str(file)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise Problem("backup_unreadable", file=str(file), reason=_last_line(done.stderr))
    entries = [line for line in done.stdout.splitlines() if line and not line.startswith(";")]
    if not any(f" TABLE public {AUDIT_TABLE} " in line for line in entries):
        raise Problem("backup_not_seatdesk", file=str(file))
    return entries


def _read_roles(file: Path) -> dict[str, Any]:
    path = file.with_name(file.name + ROLES_SUFFIX)
    if not path.is_file():
        return {"roles": [], "memberships": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data.get("roles"), list) or not isinstance(data.get("memberships"),
                                                                    list):
            raise ValueError("no roles")
        return dict(data)
    except (ValueError, AttributeError, UnicodeDecodeError) as exc:
        raise Problem("backup_roles_unreadable", file=str(path)) from exc


def _refuse_escalation(admin: Any, file: Path, roles: dict[str, Any]) -> None:
    """Refuse a roles file that would give anybody more than a seatdesk backup holds:
    a login with CREATEROLE (only the NOLOGIN owner has it), or a membership in a role
    the file does not list, in a superuser or in one of PostgreSQL's own ``pg_`` roles.
    The restore runs as a superuser: a crafted ``FILE.roles`` must not make a login of
    its own a superuser, or able to run programs on the server."""
    listed = {r.get("name") for r in roles["roles"]}
    groups = {r.get("name") for r in roles["roles"] if not r.get("login")}
    with admin.cursor() as cur:
        cur.execute("SELECT rolname FROM pg_roles WHERE rolsuper OR starts_with(rolname, 'pg_')")
        mighty = {row[0] for row in cur.fetchall()}
    bad = [r.get("name") for r in roles["roles"]
           if not isinstance(r.get("name"), str) or r["name"] in mighty
           or r["name"].startswith("pg_") or (r.get("login") and r.get("createrole"))]
    for m in roles["memberships"]:
        granted, member = m.get("role"), m.get("member")
        if granted in OWNER_PG_ROLES:
            ok = member in groups  # the owner's own (0008, 0010), never a login's
        else:
            ok = granted in listed and member in listed and granted not in mighty
        if not ok:
            bad.append(granted)
    if bad:
        raise Problem("backup_roles_unreadable", file=str(file) + ROLES_SUFFIX)


def _missing_owners(admin: Any, entries: list[str], roles: dict[str, Any]) -> list[str]:
    """The owners the archive names that neither the cluster nor the roles file has."""
    owners = {line.rsplit(" ", 1)[-1] for line in entries if " TABLE public " in line
              or " FUNCTION public " in line}
    known = {r["name"] for r in roles["roles"]}
    with admin.cursor() as cur:
        cur.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (sorted(owners),))
        known |= {row[0] for row in cur.fetchall()}
    return sorted(owners - known)


def _create_roles(admin: Any, roles: dict[str, Any]) -> None:
    """Create the roles of the file that the cluster lacks; leave existing ones alone."""
    with admin.cursor() as cur:
        cur.execute("SELECT rolname FROM pg_roles")
        existing = {row[0] for row in cur.fetchall()}
        for role in roles["roles"]:
            if role["name"] in existing:
                continue
            options = [
                "LOGIN" if role.get("login") else "NOLOGIN",
                "INHERIT" if role.get("inherit", True) else "NOINHERIT",
                "CREATEROLE" if role.get("createrole") else "NOCREATEROLE",
            ]
            stmt = sql.SQL("CREATE ROLE {} " + " ".join(options)).format(
                sql.Identifier(role["name"]))
            if role.get("password"):
                stmt = sql.SQL("{} PASSWORD {}").format(stmt, sql.Literal(role["password"]))
            if role.get("connlimit", -1) not in (-1, None):
                stmt = sql.SQL("{} CONNECTION LIMIT {}").format(
                    stmt, sql.Literal(int(role["connlimit"])))
            if role.get("valid_until"):
                stmt = sql.SQL("{} VALID UNTIL {}").format(stmt, sql.Literal(role["valid_until"]))
            cur.execute(stmt)
            existing.add(role["name"])
        for m in roles["memberships"]:
            if m["role"] not in existing or m["member"] not in existing:
                continue
            cur.execute(
                sql.SQL("GRANT {} TO {}" + (" WITH ADMIN OPTION" if m.get("admin") else ""))
                .format(sql.Identifier(m["role"]), sql.Identifier(m["member"]))
            )


def _database_grants(file: Path, target: str) -> list[str]:
    """The archive's GRANT/REVOKE … ON DATABASE statements (CONNECT for the seats' groups,
    no CREATE for PUBLIC), which ``pg_restore`` only emits when it creates the database
    itself, rewritten for ``target``."""
    done = subprocess.run(
        [str(tools_dir() / "pg_restore"), "--create", "--schema-only", "--file=-", str(file)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise Problem("backup_unreadable", file=str(file), reason=_last_line(done.stderr))
    pattern = re.compile(r"^(GRANT|REVOKE) (.+) ON DATABASE (\S+) (TO|FROM) (.+);$")
    quoted = sql.Identifier(target).string
    out = []
    for line in done.stdout.splitlines():
        match = pattern.match(line)
        if match:
            verb, what, _db, direction, whom = match.groups()
            out.append(f"{verb} {what} ON DATABASE {quoted} {direction} {whom}")
    return out


def _swap(admin: Any, target: str, work: str, grants: list[str]) -> None:
    """Give ``work`` the name ``target`` in one transaction, ending the sessions on both;
    a desk that reconnects in between makes the rename fail, and it is tried again."""
    replaced = f"{REPLACED}{os.getpid()}_{int(time.time())}"
    exists = _scalar(admin, "SELECT count(*) FROM pg_database WHERE datname = %s", target)
    for attempt in range(_SWAP_TRIES):
        _terminate(admin, target)
        _terminate(admin, work)
        try:
            admin.autocommit = False
            with admin.cursor() as cur:
                if exists:
                    cur.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(target), sql.Identifier(replaced)))
                cur.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(work), sql.Identifier(target)))
                for grant in grants:
                    cur.execute(grant)
            admin.commit()
            return
        except psycopg2.errors.ObjectInUse:
            admin.rollback()
            if attempt == _SWAP_TRIES - 1:
                raise
            time.sleep(0.2)
        finally:
            admin.autocommit = True


def _drop_leftovers(admin: Any) -> None:
    """Drop what a killed restore left: a half-restored or a replaced database."""
    with admin.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s) "
                    "OR starts_with(datname, %s)", (RESTORING, REPLACED))
        names = [row[0] for row in cur.fetchall()]
    for name in names:
        # A restore running right now in another process is left alone.
        pid = name.removeprefix(RESTORING).removeprefix(REPLACED).split("_", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        _terminate(admin, name)
        _execute(admin, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate(admin: Any, database: str) -> None:
    _execute(admin, sql.SQL("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = {} AND pid <> pg_backend_pid()")
             .format(sql.Literal(database)))


# ---- Plumbing


def _libpq_env(address: ServerAddress, database: str | None = None) -> dict[str, str]:
    url = address.url
    host = url.host or url.query.get("host") or ""
    if isinstance(host, tuple):
        host = host[0]
    env = dict(os.environ)
    env.update({"PGHOST": str(host), "PGUSER": url.username or "",
                "PGDATABASE": database or str(url.database), "PGAPPNAME": "seatdesk backup"})
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return env


@contextmanager
def _connection(address: ServerAddress, database: str | None = None) -> Iterator[Any]:
    env = _libpq_env(address, database)
    try:
        conn = psycopg2.connect(
            host=env["PGHOST"] or None, port=env.get("PGPORT"), user=env["PGUSER"],
            password=env.get("PGPASSWORD"), dbname=env["PGDATABASE"],
            application_name="seatdesk backup",
        )
    except psycopg2.OperationalError as exc:
        raise Problem("backup_db_unreachable", where=address.where(),
                      reason=_last_line(str(exc))) from exc
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def _scalar(conn: Any, query: str, *params: Any) -> Any:
    with conn.cursor() as cur:
        cur.execute(query, params or None)
        return cur.fetchone()[0]


def _execute(conn: Any, query: sql.Composable) -> None:
    with conn.cursor() as cur:
        cur.execute(query)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1].removeprefix("pg_restore: error: ").removeprefix("pg_dump: error: ") \
        if lines else "?"


def _run_tool(
    address: ServerAddress, args: list[str], progress: Progress, *, step: re.Pattern[str],
    what: str, database: str | None = None,
) -> None:
    """Run a PostgreSQL tool, advancing ``progress`` on each line of its verbose output
    that ``step`` finds; a failure is one sentence with the tool's own last word."""
    tool = tools_dir() / args[0]
    proc = subprocess.Popen(
        [str(tool), *args[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, env=_libpq_env(address, database),
        umask=0o077,  # a dump being written is readable by no other OS user
    )
    assert proc.stderr is not None
    errors: list[str] = []
    for line in proc.stderr:
        if step.search(line):
            progress.advance()
        elif "error" in line or "FATAL" in line:
            errors.append(line)
    if proc.wait() != 0:
        raise Problem("backup_tool_failed", tool=args[0], file=what,
                      reason=_last_line("".join(errors) or f"exit code {proc.returncode}"))
