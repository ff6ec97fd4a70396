"""The desk's own background work: the scheduler and the calendar warning."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from seatdesk import scheduler as jobs
from seatdesk.services import deadlines
from ui.background import BackgroundJobs
from ui.desk import Desk


def test_the_desk_schedules_the_sweep_and_warns_about_an_unknown_year(
    qtbot: QtBot, desk_for: Callable[[str], Desk]
) -> None:
    desk = desk_for("inspector1")
    background = BackgroundJobs(desk)
    with desk.tasks.session() as s, s.begin():
        missing = deadlines.missing_calendar_years(s)
    warnings: list[str] = []
    background.sig_calendar_warning.connect(warnings.append)
    try:
        background.start()
        if missing:  # in late 2026 the package does not know 2027 yet
            qtbot.waitUntil(lambda: bool(warnings), timeout=15_000)
            assert str(missing[0]) in warnings[0]
        qtbot.waitUntil(lambda: background._scheduler is not None, timeout=15_000)
        scheduled = {job.id for job in background._scheduler.get_jobs()}
        assert scheduled == {jobs.SWEEP_JOB, jobs.MONTHLY_REPORT_JOB}
        # The job itself, as the scheduler runs it: a seat may sweep.
        assert jobs.sweep_job(desk.tasks._sessions) >= 0  # type: ignore[arg-type]
    finally:
        background.shutdown()
