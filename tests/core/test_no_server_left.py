"""A test run leaves no PostgreSQL server behind: the embedded server the tests start
(``tests/conftest.py``'s ``start_embedded``) is stopped, and its folder removed, when
the process that started it exits."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import psutil  # pgserver's own dependency

ROOT = Path(__file__).resolve().parents[2]


def _postgres_serving(folder: Path) -> list[int]:
    """The pids of the postgres processes whose command line names ``folder``."""
    pids = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if any(str(folder) in part for part in cmdline) and "postgres" in " ".join(cmdline):
            pids.append(proc.pid)
    return pids


def test_the_embedded_test_server_is_gone_when_the_process_exits() -> None:
    # Beside the test session's own server, not in pytest's tmp_path: pgserver runs the
    # server as its own system user when the tests run as root, and pytest's folders are
    # private to their owner.
    data_dir = Path(tempfile.mkdtemp(prefix="seatdesk-test-"))
    code = textwrap.dedent(f"""
        from pathlib import Path
        from sqlalchemy import create_engine, text
        from tests.conftest import start_embedded

        address = start_embedded(Path({str(data_dir)!r}))
        conn = create_engine(address.url).connect()  # still open at exit, as in a run
        print(conn.execute(text("SELECT pg_backend_pid()")).scalar_one(), flush=True)
    """)
    try:
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().isdigit()  # the server did run
        assert _postgres_serving(data_dir) == []
        assert not data_dir.exists()
    finally:
        for pid in _postgres_serving(data_dir):  # the failure's server, not someone else's
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(pid).terminate()
        shutil.rmtree(data_dir, ignore_errors=True)


def test_the_server_is_stopped_even_when_another_user_of_it_was_killed() -> None:
    """A process that joined the server and was killed (SIGKILL: the restore test's
    ``seatdesk restore`` killed midway) stays on pgserver's list of its users, which would
    keep pgserver from stopping it: the process that started it stops it all the same."""
    data_dir = Path(tempfile.mkdtemp(prefix="seatdesk-test-"))
    joiner = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from seatdesk.db import embedded

        embedded.start(Path({str(data_dir)!r}))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    code = textwrap.dedent(f"""
        import subprocess, sys
        from pathlib import Path
        from tests.conftest import start_embedded

        start_embedded(Path({str(data_dir)!r}))
        killed = subprocess.run([sys.executable, "-c", {joiner!r}])
        print(killed.returncode, flush=True)
    """)
    try:
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "-9"  # the joiner was killed, as in the test
        assert _postgres_serving(data_dir) == []
        assert not data_dir.exists()
    finally:
        for pid in _postgres_serving(data_dir):
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(pid).terminate()
        shutil.rmtree(data_dir, ignore_errors=True)
