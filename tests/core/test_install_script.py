"""``scripts/install_system_packages.sh``, the README's first command and CI's apt step:
its one list, and its sentence on a system without apt-get. (Installing is not tried
here: it needs root and the network.)"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install_system_packages.sh"
BASH = shutil.which("bash") or "/bin/bash"


def _run(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = None if path is None else {"PATH": path}
    return subprocess.run([BASH, str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, timeout=60)


def test_the_list_holds_what_qt_6_and_the_chinese_interface_need() -> None:
    desktop = _run("--list")
    assert desktop.returncode == 0, desktop.stderr
    names = desktop.stdout.split()
    for needed in ("libxcb-cursor0", "libegl1", "libxkbcommon-x11-0", "fonts-noto-cjk",
                   "libnss3", "python3-venv"):
        assert needed in names
    assert "postgresql" not in names and len(names) == len(set(names))
    ci = _run("--list", "--test-servers").stdout.split()
    assert set(ci) - set(names) == {"postgresql", "xvfb", "xauth"}


def test_the_report_tools_are_their_own_group() -> None:
    """LibreOffice and poppler only where workbooks become PDF and PNG (CI, docs): a
    workstation does not need them."""
    desktop = set(_run("--list").stdout.split())
    tools = set(_run("--list", "--report-tools").stdout.split()) - desktop
    assert tools == {"libreoffice-calc-nogui", "poppler-utils"}
    ci = _run("--list", "--test-servers", "--report-tools").stdout.split()
    assert set(ci) - desktop == {"postgresql", "xvfb", "xauth", *tools}
    assert len(ci) == len(set(ci))


def test_a_system_without_apt_get_gets_one_sentence_and_exit_code_1(tmp_path: Path) -> None:
    result = _run(path=str(tmp_path))  # a PATH with no apt-get and no dpkg-query
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("install_system_packages: this system has no apt-get")
    assert "libxcb-cursor0" in lines[0]
    assert result.stdout == ""


def test_an_unknown_option_is_refused() -> None:
    result = _run("--ci")
    assert result.returncode == 1
    assert "unknown option --ci" in result.stderr
