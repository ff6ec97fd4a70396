"""``seatdesk`` with arguments: which of the desktop and the tools a command line gets,
run through the launcher's ``main`` in this process (the desktop's ``run`` replaced by a
recorder, so no window opens and no event loop starts)."""

from __future__ import annotations

import pytest

import ui.app
from ui import launcher


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The argument lists the desktop would have been started with."""
    started: list[list[str]] = []

    def run(argv: list[str]) -> int:
        started.append(argv)
        return 0

    monkeypatch.setattr(ui.app, "run", run)
    monkeypatch.setenv("SEATDESK_LANG", "en")
    return started


def _stderr_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]


def test_a_mistyped_command_is_one_sentence_with_the_closest_command_and_exit_code_2(
    desktop: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert launcher.main(["grid", "export", "out.geojson"]) == 2
    assert _stderr_lines(capsys) == [
        "seatdesk: `seatdesk` has no command `grid`; did you mean `seatdesk grids`?"
    ]
    assert desktop == []


def test_an_unknown_word_names_the_commands_instead_of_opening_the_desktop(
    desktop: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert launcher.main(["qwzx"]) == 2
    lines = _stderr_lines(capsys)
    assert len(lines) == 1
    assert lines[0].startswith("seatdesk: `seatdesk` has no command `qwzx`; its commands are")
    assert "demo, grids" in lines[0]
    assert desktop == []


def test_a_mistyped_sub_command_after_the_language_option(
    desktop: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert launcher.main(["--lang", "zh", "user", "lsit"]) == 2
    assert _stderr_lines(capsys) == [
        "seatdesk: `seatdesk user` 没有 `lsit` 命令；您是否要输入 `seatdesk user list`？"
    ]
    assert desktop == []


@pytest.mark.parametrize(
    "argv",
    [[], ["--lang", "en"], ["--user", "acceptor1"], ["--lang=en", "--user=demo"],
     ["-platform", "offscreen"]],
)
def test_the_desktop_options_still_open_the_desktop(
    desktop: list[list[str]], argv: list[str]
) -> None:
    assert launcher.main(argv) == 0
    assert desktop == [argv]


def test_a_known_command_goes_to_the_tools(
    desktop: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert launcher.main(["--help"]) == 0
    assert launcher.main(["--lang", "en", "grids", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: seatdesk grids" in out and "locate" in out
    assert desktop == []
