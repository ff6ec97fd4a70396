"""The screenshot of the staff assessment widget (考核) for the README: ``docs/assessment.png``.

Fills a throw-away embedded database with the demo county (seed 7), records a few
entries of last month and this month as the demo inspector (through the database's
functions, as the desk would), asks the data for suggestions, and grabs the widget.

    python scripts/screenshot_assessment.py [--lang zh|en] [--out docs] [--cases 300]

Offscreen by default (``QT_QPA_PLATFORM=offscreen``); a CJK font (fonts-noto-cjk) must be
installed or the characters show as boxes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SEATDESK_LANG"] = args.lang

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from seatdesk.db import embedded, migrate
    from seatdesk.db.engine import connect, session_factory
    from seatdesk.demo import run_demo
    from seatdesk.domain.glossary import StaffKind
    from seatdesk.domain.statistics import Month
    from seatdesk.services import assessment
    from ui.desk import log_in, open_desk
    from ui.i18n import install_translators
    from ui.widgets.assessment_view import AssessmentView

    app = QApplication([sys.argv[0]])
    QCoreApplication.setApplicationName("seatdesk-screenshots")
    install_translators(app, args.lang)
    font = app.font()
    font.setFamilies(["Noto Sans CJK SC", *font.families()])
    app.setFont(font)

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    data_dir = Path(tempfile.mkdtemp(prefix="seatdesk-shots-"))
    address = embedded.start(data_dir, delete_on_exit=True)
    owner = connect(address)
    migrate.upgrade(owner)
    with session_factory(owner).begin() as s:
        demo = run_demo(s, seed=7, cases=args.cases, reset=True)
    today = date.today()
    this = Month.of(today)
    last = this.previous()
    u, c = StaffKind.USER, StaffKind.COLLECTOR
    collector = None
    with owner.connect() as conn:
        collector = conn.execute(text(
            "SELECT collector FROM collector_tasks WHERE collector IS NOT NULL "
            "ORDER BY sent_at DESC LIMIT 1")).scalar()
    collector = collector or "C-0001"
    entries = [
        (last, u, "acceptor1", "no_vest_helmet", 1, "巡查时未佩戴闪光背心"),
        (last, c, collector, "district_check", 3, "区级核查扣3分"),
        (this, u, "acceptor1", "district_check", 3, "区级业务核查扣3分"),
        (this, u, "dispatcher1", "city_check", 1, "市级检查扣1分，按两倍计"),
        (this, u, "dispatcher1", "public_praise", 1, "获区电视台表扬"),
        (this, u, "monitor1", "government_honour", 1, "获区政府表彰"),
        (this, c, collector, "media_exposure", 1, "责任网格问题被媒体曝光"),
        (this, c, collector, "district_check", 2, "区级核查扣2分"),
        (this, u, "leader1", "rectification_late", 1, "整改通知未按期完成"),
    ]
    with session_factory(owner).begin() as s:
        s.execute(text("SELECT set_config('seatdesk.act_as', 'inspector1', true)"))
        for month, kind, who, rule, count, reason in entries:
            day = min(today, date.fromordinal(month.next().first_day.toordinal() - 1))
            assessment.record(s, kind=kind, staff_id=who, rule=rule, count=count,
                              occurred_on=day, reason=reason)
        assessment.suggest(s, this)
    desk = open_desk(log_in(address, "inspector1", demo.passwords["inspector1"]))
    view = AssessmentView(desk)
    view.resize(1100, 720)
    view.show()
    view.set_month(this)
    settle(2500)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "assessment.png"
    view.grab().save(str(path))
    print(f"wrote {path}")
    desk.tasks.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
