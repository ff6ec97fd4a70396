"""Sentences about time limits, the working calendar and the time-limit standard."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "no_handling_limit": (
        "The case has no filing condition, so it has no handling time limit.",
        "案卷没有立案条件，无法确定处置时限。",
    ),
    "no_stage_limit": (
        "The time-limit standard has no limit for the {stage} stage of {urgency} cases.",
        "时限标准中没有{urgency}案卷“{stage}”环节的时限。",
    ),
    "calendar_missing": (
        "The working calendar has no holiday schedule for {years}; plain weekdays are "
        "counted until an administrator enters it (seatdesk calendar import).",
        "工作日历缺少 {years} 年的节假日安排，暂按周一至周五计算；请管理员导入"
        "（seatdesk calendar import）。",
    ),
    "calendar_file_bad": (
        "{path} has bad rows, nothing was imported: {problems}.",
        "{path} 有错误的行，未导入任何数据：{problems}。",
    ),
    "calendar_file_empty": ("{path} holds no days to import.", "{path} 中没有可导入的日期。"),
    "calendar_file_unreadable": (
        "{path} cannot be read as a CSV or xlsx file: {reason}.",
        "无法将 {path} 读取为 CSV 或 xlsx 文件：{reason}。",
    ),
    "standard_unreadable": (
        "{path} cannot be read as an Excel workbook ({reason}).",
        "无法将 {path} 读取为 Excel 工作簿（{reason}）。",
    ),
    "standard_header": (
        "{path} does not have the columns of a time-limit standard: {expected}.",
        "{path} 的列与立结案标准不符，应为：{expected}。",
    ),
    "standard_imported": (
        "{file}: {classes} classes added, filing conditions {added} added, {changed} "
        "changed, {unchanged} unchanged.",
        "{file}：新增类别 {classes} 个，立案条件新增 {added} 条、修改 {changed} 条、"
        "未变 {unchanged} 条。",
    ),
    "standard_checked": (
        "{file} would add {classes} classes and {added} filing conditions, change {changed}, "
        "leave {unchanged} unchanged; {bad} bad rows. Nothing was written.",
        "{file} 将新增类别 {classes} 个、立案条件 {added} 条，修改 {changed} 条，"
        "未变 {unchanged} 条；有误的行 {bad} 行。未写入任何数据。",
    ),
    "standard_bad_rows": (
        "The standard {path} has bad rows, nothing was imported: {problems}.",
        "立结案标准 {path} 有错误的行，未导入任何数据：{problems}。",
    ),
    "standard_empty": ("{path} holds no filing conditions.", "{path} 中没有立案条件。"),
    "problem.too_many_extensions": (
        "a case may be extended at most {limit} times",
        "一件案卷最多延期 {limit} 次",
    ),
    "problem.already_overdue": (
        "the case is already overdue; an extension must be asked before the deadline",
        "案卷已超期，须在期限届满前申请延期",
    ),
    # How long until a deadline, as a queue shows it.
    "time_left.days": ("{days}d {hours}h", "{days}天{hours}小时"),
    "time_left.hours": ("{hours}h {minutes}m", "{hours}小时{minutes}分"),
    "time_left.minutes": ("{minutes}m", "{minutes}分钟"),
}
