"""Sentences of the collectors' register, their grids, the coverage and the collector
reports (migration 0031, ``seatdesk collectors``)."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    # ---- the fields the database functions name
    "field.collector_id": ("Collector ID", "采集员编号"),
    "field.collector_name": ("Collector's name", "采集员姓名"),
    "field.staff_number": ("Staff number", "工号"),
    "field.collector_phone": ("Collector's phone", "采集员电话"),
    "field.device_id": ("Device (采集器) ID", "采集器编号"),
    "field.grids": ("Grids", "单元网格"),
    "field.grid_type": ("Grid type", "网格类型"),
    "field.grid_type_name": ("Grid type name", "网格类型名称"),
    "field.visits_per_day": ("Visits per day", "每日巡查次数"),
    "field.days": ("Days", "天数"),
    # ---- the workbook
    "stats.table.collector_report": ("Collectors", "信息采集员"),
    "stats.table.grid_coverage": ("Grid coverage", "网格巡查覆盖"),
    "stats.col.collector_name": ("Name", "姓名"),
    "stats.col.collector_tasks": ("Tasks", "核实核查任务数"),
    "stats.col.collector_tasks_on_time": ("Tasks on time", "按时完成任务数"),
    "stats.col.collector_grids": ("Grids held", "责任网格数"),
    "stats.col.collector_grids_covered": ("Grids covered", "达标网格数"),
    "stats.col.collector_coverage": ("Coverage", "覆盖率"),
    "stats.col.grid_type": ("Grid type", "网格类型"),
    "stats.col.visits_required": ("Visits required", "应巡查次数"),
    "stats.col.visits": ("Visits", "实际巡查次数"),
    "stats.col.covered": ("Covered", "是否达标"),
    "collectors.yes": ("yes", "是"),
    "collectors.no": ("no", "否"),
    "collectors.report_title.week": ("Collectors' weekly report {period}",
                                     "信息采集工作周报 {period}"),
    "collectors.report_title.month": ("Collectors' monthly report {period}",
                                      "信息采集工作月报 {period}"),
    "collectors.progress.collectors": ("Counting the collectors' work…", "统计采集员工作量…"),
    "collectors.progress.coverage": ("Counting the grids' visits…", "统计网格巡查次数…"),
    # ---- the command line
    "collectors.written": ("Collector report written: {path}", "采集员报表已导出：{path}"),
    "collectors.saved": ("Collector {id} saved.", "信息采集员 {id} 已保存。"),
    "collectors.one_period": ("Give exactly one of --week and --month.",
                              "请指定 --week 或 --month 之一。"),
    "collectors.bad_week": ("{value} is not a week in the form 2026-W48.",
                            "{value} 不是形如 2026-W48 的周。"),
    "collectors.none": ("No collectors registered.", "尚未登记信息采集员。"),
    "collectors.inactive": ("inactive", "停用"),
}
