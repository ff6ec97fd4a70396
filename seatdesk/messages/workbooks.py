"""Statistics workbooks, the detailed case list and the monthly report
(seatdesk.services.workbooks, seatdesk.services.case_list,
seatdesk.services.monthly_report). The titles and headers of the statistics themselves
are ``stats.table.<key>`` and ``stats.col.<key>``, in the statistics' own areas."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # ---- Any statistics workbook
    "workbook.title": ("Statistics", "统计报表"),
    "workbook.written": ("Statistics written: {path}", "统计报表已导出：{path}"),
    "workbook.period": ("Period: {start} to {end}", "统计时段：{start} 至 {end}"),
    "workbook.filters": ("Filters: {filters}", "筛选条件：{filters}"),
    "workbook.filter.department": ("department {value}", "处置部门 {value}"),
    "workbook.filter.category_id": ("category {value}", "问题类别 {value}"),
    "workbook.filter.grid": ("grid {value}", "单元网格 {value}"),
    "workbook.filter.street": ("street {value}", "街道 {value}"),
    "workbook.filter.community": ("community {value}", "社区 {value}"),
    "workbook.filter.source": ("source {value}", "问题来源 {value}"),
    "workbook.live": ("figures as of {when}", "数据截至 {when}（实时）"),
    "workbook.as_of": (
        "figures as of {when} (summary table, {age} old)",
        "数据截至 {when}（汇总表，{age}前更新）",
    ),
    "workbook.age.minutes": ("{minutes} min", "{minutes} 分钟"),
    "workbook.age.hours": ("{hours} h", "{hours} 小时"),
    "workbook.writing": ("Writing {table}…", "正在写入{table}…"),
    "workbook.saving": ("Saving the workbook…", "正在保存工作簿…"),
    "workbook.chart.on_time_rate": ("On-time rate per department", "各部门按期处置率"),
    "workbook.chart.categories": ("Cases per category", "各类别案件数"),
    "workbook.chart.trend": ("Cases over time", "案件数量趋势"),
    "workbook.empty": ("(no rows)", "（无数据）"),
    "workbook.yes": ("yes", "是"),
    "workbook.no": ("no", "否"),
    # ---- The detailed case list
    "caselist.sheet_title": ("Case list", "案件明细"),
    "caselist.title": ("Detailed case list", "案件明细表"),
    "caselist.counting": ("Counting the cases…", "正在统计案件…"),
    "caselist.writing": ("Exporting {count} cases…", "正在导出 {count} 件案件…"),
    "caselist.masked": (
        "reporters' phones masked", "反映人电话已脱敏"
    ),
    "caselist.header.number": ("Case number", "案卷编号"),
    "caselist.header.source": ("Source", "问题来源"),
    "caselist.header.category": ("Category", "问题类别"),
    "caselist.header.grid": ("Unit grid", "单元网格"),
    "caselist.header.street": ("Street", "街道"),
    "caselist.header.community": ("Community", "社区"),
    "caselist.header.department": ("Department", "处置部门"),
    "caselist.header.state": ("State", "案卷状态"),
    "caselist.header.reported_at": ("Reported", "上报时间"),
    "caselist.header.registered_at": ("Registered", "立案时间"),
    "caselist.header.dispatched_at": ("Dispatched", "派遣时间"),
    "caselist.header.handled_at": ("Handled", "处置反馈时间"),
    "caselist.header.closed_at": ("Closed", "结案时间"),
    "caselist.header.deadline": ("Handling deadline", "处置时限"),
    "caselist.header.on_time": ("Handled on time", "按期处置"),
    "caselist.header.overdue": ("Overdue", "超期"),
    "caselist.header.reworks": ("Reworks", "返工次数"),
    "caselist.header.reporter_phone": ("Reporter's phone", "反映人电话"),
    # ---- The monthly report (智慧城市运营监控与数据分析报告)
    "report.title": (
        "Smart city operations monitoring and data analysis report",
        "智慧城市运营监控与数据分析报告",
    ),
    "report.summary_sheet": ("Summary", "报告概要"),
    "report.centre": ("Centre", "监督指挥中心"),
    "report.no_centre": ("(centre name not set)", "（未设置中心名称）"),
    "report.month": ("Month", "报告月份"),
    "report.month_value": ("{year}, month {month}", "{year}年{month}月"),
    "report.generated": ("Generated", "生成时间"),
    "report.indices": ("Indices", "考核指数"),
    "report.index": ("Index", "指数"),
    "report.this_month": ("This month", "本月"),
    "report.previous_month": ("Previous month", "上月"),
    "report.change": ("Change", "环比变化"),
    "report.headline": ("Headline figures", "主要数据"),
    "report.figure": ("Figure", "项目"),
    "report.value": ("Value", "数值"),
    "report.details": (
        "Detail sheets follow: {sheets}", "后附明细表：{sheets}"
    ),
    "report.reading": ("Computing the statistics of {month}…", "正在计算 {month} 的统计数据…"),
    "report.no_tables": (
        "No statistics are registered for the report: nothing to write "
        "(seatdesk.services.monthly_report.default_source).",
        "尚未登记任何统计表，无法生成报告（seatdesk.services.monthly_report.default_source）。",
    ),
    "report.bad_month": (
        "Not a month in the form YYYY-MM: {value}", "月份应写作 YYYY-MM（如 2026-11）：{value}"
    ),
    "report.bad_period": (
        "The period ends ({last}) before it starts ({first}).",
        "统计时段的结束日（{last}）早于开始日（{first}）。",
    ),
    "report.written": ("Report written: {path}", "报告已生成：{path}"),
    "caselist.written": ("{rows} cases written to {path}", "已导出 {rows} 件案件：{path}"),
}
