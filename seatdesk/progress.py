"""The small protocol long work reports through: a rich bar in the CLI, a dialog in the
app, a stub in the tests."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int) -> None:
        """Announce how many steps the work has."""

    def advance(self, steps: int = 1) -> None: ...

    def status(self, text: str) -> None: ...

    def cancelled(self) -> bool: ...


class NoProgress:
    """Progress that shows nothing and never cancels."""

    def start(self, total: int) -> None:
        del total

    def advance(self, steps: int = 1) -> None:
        del steps

    def status(self, text: str) -> None:
        del text

    def cancelled(self) -> bool:
        return False


class Cancelled(Exception):
    """The person asked to stop; the transaction is rolled back."""
