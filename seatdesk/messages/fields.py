"""The names of the fields a validation error names, and the general problems."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "field.description": ("Description", "问题描述"),
    "field.location": ("Location", "位置"),
    "field.category": ("Category", "问题类别"),
    "field.filing_condition": ("Filing condition", "立案条件"),
    "field.photo": ("Photo", "照片"),
    "field.reason": ("Reason", "原因"),
    "field.department": ("Department", "处置部门"),
    "field.deadline": ("Deadline", "处置时限"),
    "field.resume_on": ("Resume date", "恢复日期"),
    "field.original": ("Original case", "原案卷"),
    "field.login": ("User name", "用户名"),
    "field.password": ("Password", "密码"),
    "field.roles": ("Roles", "岗位"),
    "field.note": ("Note", "备注"),
    "field.longitude": ("Longitude", "经度"),
    "field.latitude": ("Latitude", "纬度"),
    "field.source": ("Source", "问题来源"),
    "field.attachment": ("Attachment", "附件"),
    "field.address": ("Address", "地址"),
    "field.reporter": ("Reporter", "反映人"),
    "field.reporter_phone": ("Reporter's phone", "联系电话"),
    "field.urgency": ("Urgency", "紧急程度"),
    "field.collector": ("Collector", "信息采集员"),
    "field.reply": ("Collector's reply", "采集员答复"),
    # ---- complaints (migration 0013)
    "field.channel": ("Channel", "投诉渠道"),
    "field.content": ("Complaint", "投诉内容"),
    "field.external_ref": ("External reference", "外部编号"),
    "field.complainant": ("Complainant", "投诉人"),
    "field.complainant_phone": ("Complainant's phone", "投诉人电话"),
    "field.complaint": ("Complaint", "投诉"),
    "field.received_at": ("Received", "受理时间"),
    "field.case_id": ("Case", "案卷"),
    "field.agency": ("Agency", "转办单位"),
    # ---- supervision (migration 0024)
    "field.period": ("Period", "统计期间"),
    "field.callback_sample_share": ("Callback sample share", "回访抽查比例"),
    "field.reply_text": ("Reply", "答复内容"),
    "field.reply_method": ("Reply by", "答复方式"),
    "field.reached": ("Reached", "是否联系上"),
    "field.satisfaction": ("Satisfaction", "满意度"),
    # ---- personal data and reopening (migration 0014)
    "field.purpose": ("Purpose", "查看事由"),
    # ---- privacy hardening (migration 0019)
    "field.reveal_request": ("Request to read personal data", "个人信息查看申请"),
    "field.callback": ("Callback", "回访"),
    # ---- complaint import (migration 0016)
    "field.mapping": ("Column mapping", "列映射"),
    # ---- the intake of collectors' items (migration 0017)
    "field.item_key": ("Item id", "条目编号"),
    "field.kind": ("Item type", "条目类型"),
    "field.case_number": ("Case number", "案卷编号"),
    "field.case_type": ("Case type", "案卷类型"),
    "field.service_code": ("Open311 service code", "Open311服务代码"),
    "field.verdict": ("Collector's verdict", "采集员结论"),
    "field.time": ("Time", "时间"),
    # ---- the monthly report written once (migration 0025)
    "field.month": ("Month", "月份"),
    "field.day": ("Day", "日期"),
    "field.file_name": ("File name", "文件名"),
    # ---- the statistics settings (migration 0022)
    "field.statistics": ("Statistics settings", "统计设置"),
    "problem.required": ("is required", "不能为空"),
    "problem.action_photo": (
        "at least one photo must come with this action",
        "此操作须附至少一张照片",
    ),
    "problem.unknown": ("{value} is not known", "{value} 不存在"),
    "problem.not_image": ("the file is not an image that can be read", "文件不是可读取的图片"),
    "problem.too_large": ("the file is larger than {limit} MB", "文件超过 {limit} MB"),
    "problem.too_long": ("is longer than {limit} characters", "超过 {limit} 个字"),
    "problem.too_many": (
        "more than {limit} at once or on one case", "一次或一个案卷超过 {limit} 张"
    ),
    "problem.bad_time": ("{value} is not a plausible time", "{value} 不是合理的时间"),
    "problem.out_of_range": ("{value} is out of range", "{value} 超出范围"),
    "problem.overlaps": (
        "{value} overlaps the sample already drawn for {other}",
        "{value} 与已抽取的 {other} 样本重叠",
    ),
    "problem.in_past": ("{value} is in the past", "{value} 早于当前时间"),
    "problem.malformed": ("cannot be read", "无法读取"),
    "problem.wrong_type": ("{value} must be a {expected}", "{value} 须为 {expected} 类型"),
    "problem.in_future": ("{value} is in the future", "{value} 晚于当前时间"),
    "problem.duplicate": (
        "{value} is already complaint {complaint_id}", "{value} 已登记为投诉 {complaint_id}"
    ),
    "problem.not_reached": (
        "a complainant not reached gives no satisfaction", "未联系上投诉人，不能记录满意度"
    ),
    "problem.not_dissatisfied": (
        "the callback was not dissatisfied: only a dissatisfied complainant reopens the case",
        "回访结果不是不满意，不能重办案卷",
    ),
    "problem.too_many_at_once": ("more than {limit} at once", "一次超过 {limit} 条"),
    "problem.not_a_phone": (
        "{value} is not a phone number (a mobile, or a landline with its area code)",
        "{value} 不是有效的电话号码（应为手机号或带区号的固定电话）",
    ),
    "problem.not_a_time": ("{value} is not a date and time", "{value} 不是可识别的日期时间"),
    "problem.ambiguous": (
        "{value} is both a component and an event class: say which (部件 or 事件)",
        "{value} 既是部件类别也是事件类别，请注明是部件还是事件",
    ),
    "problem.not_mapped": ("{value} is mapped to no category", "{value} 未对应任何问题类别"),
    "problem.taken": ("{value} is already used by another item", "{value} 已被另一条目使用"),
    "problem.not_awaiting": ("{value} is not awaiting this answer", "{value} 不在等待此回复"),
    "problem.not_committed": (
        "was not recorded yet: the request must be committed before anything is shown",
        "尚未记录：申请提交后才能查看",
    ),
    "problem.expired": (
        "is older than {minutes} minutes: ask again", "已超过 {minutes} 分钟，请重新申请"
    ),
    "problem.isolation": (
        "cannot be made in a transaction of isolation {value}; use read committed",
        "不能在隔离级别为 {value} 的事务中提出，请使用 read committed",
    ),
    "problem.control_character": (
        "may not contain line breaks or other control characters", "不能包含换行等控制字符"
    ),
    "problem.before_last_close": (
        "the callback of complaint {value} was made before the case was last closed: "
        "it does not judge the latest handling",
        "投诉 {value} 的回访早于案卷最近一次办结，不能据此重办",
    ),
    "problem.not_first_day": (
        "{value} is not the first day of a month", "{value} 不是某月的第一天"
    ),
    "problem.not_over": ("{value} has not ended yet", "{value} 尚未结束"),
    "problem.not_begun": ("{value} has not begun yet", "{value} 尚未开始"),
    "problem.backup_not_claimed": (
        "the backup of {value} is not this workstation's to finish: {claimed_by} holds it "
        "({state})",
        "{value} 的备份不由本工作站完成：现由 {claimed_by} 负责（{state}）",
    ),
    "problem.not_claimed": (
        "the report of {value} is not this workstation's to finish: {claimed_by} holds it "
        "({state})",
        "{value} 的月报不由本工作站完成：现由 {claimed_by} 负责（{state}）",
    ),
    "problem.not_under": (
        "filing condition {value} does not belong to the chosen category",
        "立案条件 {value} 不属于所选类别",
    ),
}
