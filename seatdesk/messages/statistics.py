"""Statistics: the titles of the tables (``stats.table.<key>``) and their column headers
(``stats.col.<column key>``), as the dashboard, the exports and the report show them."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "stats.reading": ("Computing the statistics…", "正在计算统计数据…"),
    # ---- the department counters (seatdesk.services.stats_departments)
    "stats.table.departments": ("Department performance", "专业部门处置情况统计"),
    "stats.col.department": ("Department code", "部门编码"),
    "stats.col.department_name": ("Department", "专业部门"),
    "stats.col.dispatched": ("To handle", "应处置数"),
    "stats.col.handled": ("Handled", "处置数"),
    "stats.col.handled_on_time": ("Handled on time", "按期处置数"),
    "stats.col.handled_late": ("Handled late", "超期处置数"),
    "stats.col.overdue_open": ("Open and overdue", "超期待处置数"),
    "stats.col.returned": ("Returned", "回退数"),
    "stats.col.reworked": ("Reworks", "返工数"),
    "stats.col.extensions": ("Extensions", "延期数"),
    "stats.col.postponements": ("Postponements", "缓办数"),
    "stats.col.handling_rate": ("Handling rate", "处置率"),
    "stats.col.on_time_rate": ("On-time rate", "按期处置率"),
    "stats.col.rework_rate": ("Rework rate", "返工率"),
    "stats.col.extension_rate": ("Extension rate", "延期率"),
    "stats.col.overdue_open_rate": ("Open-overdue rate", "超期待处置率"),
    "stats.col.closure_rate": ("Closure rate", "结案率"),
    "stats.col.on_time_closure_rate": ("On-time closure rate", "按期结案率"),
    "stats.col.avg_handling_hours": ("Average handling time (working hours)",
                                     "平均处置用时（工作小时）"),
    "stats.col.score": ("Score", "综合评分"),
}
