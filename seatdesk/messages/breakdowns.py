"""The statistics by day, category, area, source, seat user, collector and seat role,
and the indices (seatdesk.services.stats_breakdowns, stats_seats, stats_indices):
their titles (``stats.table.<key>``), their column headers (``stats.col.<key>``) and the
indices' names (``stats.index.<key>``).

``stats.col.closure_rate`` is the department statistics' (messages/statistics.py): the
tables here reuse it without defining it again.
"""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # ---- tables
    "stats.table.trend": ("Cases over time", "案件趋势"),
    "stats.table.trend_monthly": ("Cases per month", "案件月度趋势"),
    "stats.table.categories": ("Cases per category", "分类案件统计"),
    "stats.table.grids": ("Cases per grid", "单元网格案件统计"),
    "stats.table.streets": ("Cases per street", "街道（乡镇）案件统计"),
    "stats.table.communities": ("Cases per community", "社区案件统计"),
    "stats.table.hot_grids": ("Hot-spot grids", "高发网格"),
    "stats.table.sources": ("Cases per source and channel", "问题来源及渠道统计"),
    "stats.table.users": ("Seat users", "坐席人员工作量统计"),
    "stats.table.collectors": ("Field collectors", "信息采集员考核统计"),
    "stats.table.acceptors": ("Acceptors", "受理员考核统计"),
    "stats.table.shift_leaders": ("Shift leaders", "值班长考核统计"),
    "stats.table.dispatchers": ("Dispatchers", "派遣员考核统计"),
    "stats.table.indices": ("Evaluation indices", "评价指数"),
    # ---- columns
    "stats.col.day": ("Day", "日期"),
    "stats.col.month": ("Month", "月份"),
    "stats.col.reported": ("Reported", "上报数"),
    "stats.col.registered": ("Registered", "立案数"),
    "stats.col.closed": ("Closed", "结案数"),
    "stats.col.category_code": ("Category code", "类别代码"),
    "stats.col.category_name": ("Category", "问题类别"),
    "stats.col.case_type": ("Type", "案件类型"),
    "stats.col.area": ("Area code", "区域代码"),
    "stats.col.area_name": ("Area", "区域名称"),
    "stats.col.grid": ("Grid code", "网格编码"),
    "stats.col.grid_name": ("Grid", "网格名称"),
    "stats.col.source": ("Source", "问题来源"),
    "stats.col.channel": ("Channel", "投诉渠道"),
    "stats.col.user": ("Login", "账号"),
    "stats.col.user_name": ("Name", "姓名"),
    "stats.col.actions": ("Actions", "操作数"),
    "stats.col.avg_hours_to_register": ("Report to register (h)", "上报至立案平均时长（小时）"),
    "stats.col.avg_hours_to_dispatch": (
        "Register to dispatch (h)", "立案至派遣平均时长（小时）"
    ),
    "stats.col.steps_on_time": ("Steps on time", "按时办理数"),
    "stats.col.steps_late": ("Steps late", "超时办理数"),
    "stats.col.accepted": ("Accepted", "受理数"),
    "stats.col.accepted_on_time": ("Accepted on time", "按时受理数"),
    "stats.col.not_registered": ("Not registered", "不予立案数"),
    "stats.col.registered_on_time": ("Registered on time", "按时立案数"),
    "stats.col.closed_on_time": ("Closed on time", "按时结案数"),
    "stats.col.dispatch_due": ("To dispatch", "应派遣数"),
    "stats.col.dispatches": ("Dispatched", "派遣数"),
    "stats.col.dispatches_on_time": ("Dispatched on time", "按时派遣数"),
    "stats.col.dispatches_accurate": ("Dispatched accurately", "准确派遣数"),
    "stats.col.collector": ("Collector", "信息采集员"),
    "stats.col.reports": ("Reports", "上报数"),
    "stats.col.valid_reports": ("Valid reports", "有效上报数"),
    "stats.col.verify_due": ("Verifications due", "应核实数"),
    "stats.col.verify_done": ("Verified", "核实数"),
    "stats.col.verify_on_time": ("Verified on time", "按时核实数"),
    "stats.col.check_due": ("Checks due", "应核查数"),
    "stats.col.check_done": ("Checked", "核查数"),
    "stats.col.check_on_time": ("Checked on time", "按时核查数"),
    "stats.col.index_key": ("Index code", "指数代码"),
    "stats.col.index_name": ("Index", "指数名称"),
    "stats.col.value": ("Value", "数值"),
    # ---- the indices
    "stats.index.effective_closure_rate": ("Effective closure rate", "有效结案率"),
    "stats.index.operation_index": ("Operation index S", "运行指数 S"),
    "stats.index.complaint_part": ("Complaints (result part)", "投诉指标"),
    "stats.index.backlog_change_rate": ("Backlog change rate", "存量变化率"),
    "stats.index.result_indicator": ("Result indicator", "结果指标"),
    "stats.index.efficiency_index": ("Efficiency index N", "效能指数 N"),
    "stats.index.missed_report_rate": ("Missed-report rate", "漏报率"),
    "stats.index.coverage_rate": ("Coverage rate", "覆盖率"),
    "stats.index.timely_response_rate": ("Timely response rate", "及时响应率"),
    "stats.index.error_rate": ("Error rate", "错误率"),
}
