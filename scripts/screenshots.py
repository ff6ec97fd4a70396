"""Screenshots of the seat panels for the README, taken in a real X session (Xvfb).

Fills a throw-away embedded database with the demo county (seed 7), logs in as the
demo acceptor, shift leader and dispatcher, opens a case in each panel (the map dock
centred on it) and one action dialog, and writes ``docs/*.png``. Chinese by default; a
CJK font (Debian's fonts-noto-cjk) must be installed or the characters show as boxes.

    python scripts/screenshots.py [--lang zh|en] [--out docs] [--cases 3000]

Without a DISPLAY it starts itself again under ``xvfb-run``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rerun_under_xvfb() -> int | None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return None
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("no DISPLAY and no xvfb-run: install xvfb (apt-get install xvfb xauth)")
        return 2
    cmd = [xvfb, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, *sys.argv]
    return subprocess.run(cmd, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument(
        "--only", choices=("all", "cases", "monitor", "inspector", "collectors", "admin"),
        default="all",
        help="the case panels, the 12319 monitor panel, the inspector's panel (its "
        "dashboard too), the admin's collectors and their coverage map, the admin "
        "panel's tabs, or all",
    )
    args = parser.parse_args()
    rerun = _rerun_under_xvfb()
    if rerun is not None:
        return rerun

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from sqlalchemy import text

    from seatdesk.db import embedded, migrate
    from seatdesk.db.engine import connect, session_factory
    from seatdesk.demo import run_demo
    from seatdesk.domain.glossary import Action, Role
    from ui.desk import log_in, open_desk
    from ui.dialogs.login_dialog import LoginDialog
    from ui.i18n import install_translators
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager
    from ui.widgets.case_queue import user_settings

    app = QApplication([sys.argv[0]])
    QCoreApplication.setApplicationName("seatdesk-screenshots")
    install_translators(app, args.lang)
    font = app.font()
    font.setFamilies(["Noto Sans CJK SC", *font.families()])
    app.setFont(font)
    user_settings().clear()

    def wait(condition: Callable[[], bool], timeout_ms: int = 15_000) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(lambda: condition() and loop.quit())
        QTimer.singleShot(timeout_ms, loop.quit)
        timer.start()
        loop.exec()
        timer.stop()

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(widget: QWidget, name: str) -> None:
        settle()
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    args.out.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="seatdesk-shots-"))
    print(f"demo database in {data_dir} ({args.cases} cases)…")
    address = embedded.start(data_dir, delete_on_exit=True)
    owner = connect(address)
    migrate.upgrade(owner)
    with session_factory(owner).begin() as s:
        demo = run_demo(s, seed=7, cases=args.cases, reset=True)
    with owner.connect() as conn:
        # A case in each queue that has photos, so the detail shows thumbnails.
        def case_in(states: tuple[str, ...]) -> str:
            return str(
                conn.execute(
                    text(
                        "SELECT c.number FROM cases c WHERE c.state = ANY(:s) AND EXISTS "
                        "(SELECT 1 FROM attachments a WHERE a.case_id = c.id) "
                        "ORDER BY c.number LIMIT 1"
                    ),
                    {"s": list(states)},
                ).scalar_one()
            )

        picks = {
            Role.ACCEPTOR: ("verification", case_in(("verified",))),
            Role.SHIFT_LEADER: ("register", case_in(("pre_registered",))),
            Role.DISPATCHER: ("register", case_in(("registered",))),
        }

    windows = []
    if args.only in ("all", "monitor"):
        windows.append(
            _monitor_shots(owner, address, demo.passwords["monitor1"], wait, settle, shoot)
        )
    seats = [(Role.ACCEPTOR, "acceptor1"), (Role.SHIFT_LEADER, "leader1"),
             (Role.DISPATCHER, "dispatcher1")]
    if args.only in ("all", "inspector"):
        windows.append(
            _inspector_shots(owner, address, demo.passwords["inspector1"], wait, settle, shoot)
        )
    if args.only in ("all", "collectors"):
        from scripts.screenshot_collectors import collector_shots

        windows.append(
            collector_shots(owner, address, demo.passwords["admin1"], wait, settle, shoot)
        )
    if args.only in ("all", "admin"):
        from scripts.screenshot_admin import admin_shots

        windows.append(admin_shots(owner, address, demo.passwords["admin1"], wait, settle, shoot))
    if args.only in ("monitor", "inspector", "collectors", "admin"):
        seats = []
    if args.only in ("all", "cases"):
        login_dialog = LoginDialog(TaskManager(), start=lambda: address, user="acceptor1")
        login_dialog.show()
        wait(lambda: address.location() in login_dialog.database_label.toolTip())
        shoot(login_dialog, "login")
        login_dialog.close()

    for role, login in seats:
        desk = open_desk(log_in(address, login, demo.passwords[login]))
        window = MainWindow(desk)
        drawn: list[str] = []
        if window.map_pane.available():
            window.map_pane.view.sig_drawn.connect(lambda kind, *_r, d=drawn: d.append(kind))
        window.resize(1280, 720)  # the smallest screen a seat works on: nothing may be cut
        window.show()
        windows.append(window)
        wait(lambda w=window: w.live)
        if window.map_pane.available():
            wait(lambda d=drawn: "grids" in d and "cases" in d, 30_000)
        panel = window.show_panel(role)
        queue_name, number = picks[role]
        queue = panel.show_queue(queue_name)
        wait(lambda q=queue: q.model.rowCount() > 0)
        queue.text_filter.setText(number)
        wait(lambda q=queue, n=number: q.model.row_of_number(n) == 0)
        queue.text_filter.clear()  # show the whole queue, the case still selected below
        wait(lambda q=queue: q.model.rowCount() > 1)
        row = queue.model.row_of_number(number)
        if row >= 0:
            queue.table.selectRow(row)
        else:
            panel.detail.show_case(queue.model.case_at(0).id)  # type: ignore[union-attr]
        wait(lambda p=panel: p.detail.timeline.count() > 0)
        settle(1200)  # the map flies to the selected case
        shoot(window, f"panel_{role.value}")
        if role is Role.ACCEPTOR:
            _acceptor_extras(window, panel, queue, wait, shoot)
        if role is Role.SHIFT_LEADER:
            panel.tabs.setCurrentWidget(panel.overview)  # type: ignore[attr-defined]
            wait(lambda p=panel: p.overview.seats_table.rowCount() > 0)  # type: ignore[attr-defined]
            shoot(window, "panel_shift_leader_overview")
        if role is Role.DISPATCHER:
            panel.detail.trigger(Action.DISPATCH)
            from ui.dialogs.dispatch_dialog import DispatchDialog

            dialogs = [w for w in app.topLevelWidgets() if isinstance(w, DispatchDialog)]
            if dialogs:
                dialog = dialogs[0]
                wait(lambda d=dialog: d.department.currentData() is not None)
                shoot(dialog, "dialog_dispatch")
                dialog.reject()
    for window in windows:
        window.close()
    owner.dispose()
    # The server removes its cluster when this process leaves (delete_on_exit); taking
    # the folder away first left the server running with no folder to stop it from.
    return 0


def _monitor_shots(
    owner: Any, address: Any, password: str, wait: Any, settle: Any, shoot: Any
) -> Any:
    """The 12319 monitor panel with complaints in every queue (one linked to a
    dispatched case, its progress beside the queue) and the phone form mid-call, with
    the open cases nearby and the caller's earlier complaints."""
    from datetime import timedelta

    from sqlalchemy import text

    from seatdesk.db.engine import session_factory
    from seatdesk.domain.glossary import ComplaintChannel, ReplyMethod, Role
    from seatdesk.services import complaints
    from seatdesk.services.complaint_queues import ComplaintQueue
    from seatdesk.services.complaints import NewComplaint
    from ui.desk import log_in, open_desk
    from ui.main_window import MainWindow

    with session_factory(owner).begin() as s:
        case = s.execute(text(
            "SELECT id, number, longitude, latitude, category_id, address FROM cases "
            "WHERE state = 'dispatched' AND longitude IS NOT NULL ORDER BY number LIMIT 1"
        )).one()
        s.execute(text('SET LOCAL ROLE "monitor1"'))
        s.execute(text("SELECT set_config('seatdesk.act_as', 'monitor1', true)"))
        now = s.execute(text("SELECT now()")).scalar_one()
        caller = "13857712345"

        def new(content: str, days_ago: float = 0, **fields: Any) -> Any:
            values: dict[str, Any] = {
                "channel": ComplaintChannel.HOTLINE_12319, "content": content,
                "received_at": now - timedelta(days=days_ago), "address": case.address,
                "complainant_phone": "139" + str(abs(hash(content)))[:8],
                "complainant": "市民",
            }
            values.update(fields)
            complaint_id, _ = complaints.create_complaint(s, NewComplaint(**values))
            return complaint_id

        linked = new("门口井盖松动，车辆经过响声很大，请尽快处理", 1, complainant_phone=caller,
                     complainant="王先生", longitude=case.longitude, latitude=case.latitude,
                     category_id=case.category_id)
        complaints.link_complaint(s, complaint_id=linked, expected_version=1,
                                  case_id=case.id)
        new("人行道上共享单车乱停放，影响通行", 0.1)
        new("夜间施工噪音扰民，晚上十一点还在作业", 1.5,
            channel=ComplaintChannel.MAYORS_MAILBOX)
        new("小区垃圾桶满溢无人清运，气味难闻", 0.5, channel=ComplaintChannel.ONLINE_PLATFORM)
        for content, days, agency in (("路口红绿灯故障，早高峰拥堵", 6, "县交警大队"),
                                      ("自来水管爆裂，路面积水", 2.2, "县自来水公司"),
                                      ("小区电梯停运三天", 0.3, "县市场监督管理局")):
            forwarded = new(content, days)
            complaints.forward_complaint(s, complaint_id=forwarded, expected_version=1,
                                         agency=agency, note="非城管职责，已转办")
        replied = new("公园路灯不亮已修复", 4)
        complaints.forward_complaint(s, complaint_id=replied, expected_version=1,
                                     agency="县供电公司")
        complaints.reply_complaint(s, complaint_id=replied, expected_version=2,
                                   reply="已转供电公司修复，感谢监督", how=ReplyMethod.PHONE)

    desk = open_desk(log_in(address, "monitor1", password))
    window = MainWindow(desk)
    window.resize(1280, 720)
    window.show()
    wait(lambda: window.live)
    panel = window.show_panel(Role.MONITOR)
    awaiting = panel.show_queue(ComplaintQueue.AWAITING_REPLY)
    wait(lambda: awaiting.model.rowCount() >= 3)
    everything = panel.show_queue(ComplaintQueue.ALL)
    wait(lambda: everything.model.row_of(linked) >= 0)
    everything.select(linked)
    wait(lambda: panel.detail.progress is not None)
    settle(1500)  # the map flies to the case
    shoot(window, "panel_monitor")

    dialog = panel.phone_dialog()
    dialog.show()
    dialog.content.setPlainText("解放路口井盖又响了，上次打过电话还没修好")
    dialog.address.setText(case.address)
    dialog.has_location.setChecked(True)
    dialog.longitude.setValue(case.longitude + 0.0003)
    dialog.latitude.setValue(case.latitude)
    dialog.phone.setText(caller)
    dialog.complainant.setText("王先生")
    chosen = next(c for c in desk.reference.categories if c.id == case.category_id)
    dialog.category.choose(chosen)
    dialog.look_up()
    wait(lambda: dialog.nearby.count() > 0 and dialog.earlier.count() > 0)
    dialog.nearby.setCurrentRow(0)
    dialog.nearby.setFocus()
    shoot(dialog, "dialog_phone_complaint")
    dialog.done(0)
    return window


def _inspector_shots(
    owner: Any, address: Any, password: str, wait: Any, settle: Any, shoot: Any
) -> Any:
    """The inspector's panel: the late cases of the department with the most overdue
    (the demo's deadlines swept two days ahead, so that the lights are on), one chosen
    with its detail; then last month's callback sample, drawn."""
    from datetime import date, timedelta

    from sqlalchemy import text

    from seatdesk.db.engine import session_factory
    from seatdesk.domain.glossary import ComplaintChannel, Role
    from seatdesk.services import complaints
    from seatdesk.services.complaints import NewComplaint
    from ui.desk import log_in, open_desk
    from ui.main_window import MainWindow
    from ui.widgets.callback_sample_view import last_month

    start, end = last_month(date.today())
    with session_factory(owner).begin() as s:
        s.execute(text("SELECT seatdesk_sweep_deadlines_at(now() + interval '2 days')"))
        s.execute(text('SET LOCAL ROLE "monitor1"'))
        s.execute(text("SELECT set_config('seatdesk.act_as', 'monitor1', true)"))
        made = []
        for i, content in enumerate((
            "人行道井盖缺失", "占道经营影响通行", "垃圾清运不及时", "路灯不亮",
            "绿化带堆放建筑垃圾", "夜间施工噪音", "小广告乱贴", "积水未排",
            "共享单车乱停放", "店外晾晒", "油烟扰民", "违章搭建", "道路破损",
            "广告牌松动", "排水沟堵塞", "树木倒伏", "护栏损坏", "渣土撒漏",
            "公厕无人保洁", "路名牌缺失", "消防通道堵塞", "违规停车",
        )):
            complaint_id, _ = complaints.create_complaint(s, NewComplaint(
                channel=list(ComplaintChannel)[i % 4], content=content,
                complainant=("张", "李", "王", "赵")[i % 4] + "先生",
                complainant_phone=f"1380577{i:04d}"))
            made.append(complaint_id)
        s.execute(text("RESET ROLE"))
        s.execute(text(
            "UPDATE complaints SET state = 'replied', reply_text = '已处理并答复', "
            "reply_method = 'phone', replied_at = (:d)::timestamp AT TIME ZONE "
            "'Asia/Shanghai' + (id % 20) * interval '1 day' + interval '10 hours' "
            "WHERE id = ANY(:ids)"), {"d": start, "ids": made})

    desk = open_desk(log_in(address, "inspector1", password))
    window = MainWindow(desk)
    window.resize(1280, 720)
    window.show()
    wait(lambda: window.live)
    panel = window.show_panel(Role.INSPECTOR)
    view = panel.show_supervision()  # type: ignore[attr-defined]
    wait(lambda: bool(view.counts))
    busiest = max((d for d in view.counts if d.code), key=lambda d: d.overdue)
    view.show_department(busiest.code)
    wait(lambda: view.model.rowCount() > 0)
    view.table.selectRow(0)
    wait(lambda: panel.detail.timeline.count() > 0)
    settle(1200)
    shoot(window, "panel_inspector")
    samples = panel.show_samples()  # type: ignore[attr-defined]
    samples.set_period(start, end)
    wait(lambda: samples.draw_button.isEnabled())
    samples.draw()
    wait(lambda: samples.sample is not None)
    shoot(window, "panel_inspector_sample")
    dashboard = panel.dashboard  # type: ignore[attr-defined]
    panel.tabs.setCurrentWidget(dashboard)  # type: ignore[attr-defined]
    from ui.widgets.stats_filter_bar import Period

    # The 30 days to today: a month's trend, and the open cases overdue now (the demo's
    # open cases run on clocks set around today, so none was overdue a month ago).
    last = date.today()
    first = last - timedelta(days=29)
    dashboard.filter_bar.set_period(Period.CUSTOM, first, last)
    wait(lambda: dashboard.stats_filter is not None
         and dashboard.stats_filter.start.date() == first and bool(dashboard.tables))
    settle(1500)
    shoot(window, "panel_inspector_dashboard")
    return window


def _acceptor_extras(window: Any, panel: Any, queue: Any, wait: Any, shoot: Any) -> None:
    """The new-case form mid-call (ranked category search, coordinates outside every
    grid), a filtered queue with its strip, and the shortcut sheet (F1)."""
    dialog = panel.new_case_dialog()
    dialog.show()
    dialog.has_location.setChecked(True)
    dialog.longitude.setValue(121.9)
    dialog.latitude.setValue(28.9)
    dialog.description.setPlainText("路灯不亮，晚上行人看不清路面")
    dialog.address.setText("人民路与解放路交叉口")
    dialog.category.setFocus()
    dialog.category.setText("路灯")
    dialog.category.textEdited.emit("路灯")
    wait(lambda: dialog.location_note.isVisible() and dialog.category.popup().isVisible())
    shoot(dialog, "dialog_new_case")
    dialog.category.popup().hide()
    dialog.done(0)  # closed without the question; the screenshots' settings are scratch
    before = queue.count
    queue.status_filter.setCurrentIndex(queue.status_filter.count() - 1)  # overdue
    wait(lambda: queue.filter_strip.isVisible() and queue.count != before
         and queue.model.rowCount() > 0)
    shoot(window, "queue_filtered")
    queue.clear_filters()
    sheet = window.show_shortcuts()
    wait(lambda: sheet.isVisible())
    shoot(sheet, "shortcuts")
    sheet.close()


if __name__ == "__main__":
    sys.exit(main())
