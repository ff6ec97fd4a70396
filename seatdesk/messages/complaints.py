"""Sentences about complaints (群众投诉): steps refused, stale complaints."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    # ---- `seatdesk complaints` (migration 0014: masked unless revealed)
    "cli.complaints.number": ("Number", "投诉编号"),
    "cli.complaints.channel": ("Channel", "渠道"),
    "cli.complaints.received": ("Received", "受理时间"),
    "cli.complaints.state": ("State", "状态"),
    "cli.complaints.complainant": ("Complainant", "投诉人"),
    "cli.complaints.phone": ("Phone", "电话"),
    "cli.complaints.case": ("Case", "关联案卷"),
    "cli.complaints.content": ("Complaint", "投诉内容"),
    "cli.complaints.address": ("Address", "地址"),
    "cli.complaints.reply_due": ("Reply due", "答复时限"),
    "cli.complaints.callback": ("Callback", "回访"),
    "cli.complaints.none": ("No complaint.", "没有投诉。"),
    "cli.complaints.not_found": ("There is no complaint {number}.", "没有编号为 {number} 的投诉。"),
    "cli.complaints.masked": (
        "Name and phone are masked; a monitor or an admin may add --reveal (the read is "
        "recorded).",
        "姓名、电话已脱敏；舆情监控员或系统管理员可加 --reveal 查看（查看将被记录）。",
    ),
    "cli.complaints.revealed": (
        "Name and phone in full: this read is recorded.", "完整姓名、电话：本次查看已记录。"
    ),
    "cli.complaints.reveal_purpose": ("command line: complaints show", "命令行查看投诉"),
    "cli.complaints.exported": (
        "{rows} complaints written to {path}.", "已将 {rows} 件投诉写入 {path}。"
    ),
    "rate_limited": (
        "You have reached the limit to {action} ({limit} in {minutes} minutes, look-ups or "
        "complaints shown); wait a few minutes and try again.",
        "“{action}”已达上限（每 {minutes} 分钟 {limit} 次查询或件投诉），请稍后再试。",
    ),
    "invalid_complaint_transition": (
        "A complaint that is {state} cannot be given the step {action}.",
        "处于“{state}”状态的投诉不能执行“{action}”。",
    ),
    "stale_complaint": (
        "Complaint {number} was changed by {changed_by} at {changed_at}; reload it and try "
        "again.",
        "投诉 {number} 已被 {changed_by} 于 {changed_at} 修改，请重新载入后再操作。",
    ),
}
