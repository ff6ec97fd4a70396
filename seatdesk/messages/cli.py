"""The command line itself: a word that is no command."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    "cli.unknown_command": (
        "`{program}` has no command `{word}`; did you mean `{program} {match}`?",
        "`{program}` 没有 `{word}` 命令；您是否要输入 `{program} {match}`？",
    ),
    "cli.unknown_command_list": (
        "`{program}` has no command `{word}`; its commands are {commands}.",
        "`{program}` 没有 `{word}` 命令；可用的命令有：{commands}。",
    ),
}
