"""Sentences of the intake of collectors' items (``seatdesk intake``): why an item was
rejected (the one sentence of its ``.error.txt``), and what a run did."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    # ---- why an item is rejected: one sentence each
    "intake.bad_json": (
        "The file is not JSON that can be read ({detail}).",
        "文件不是可读取的JSON（{detail}）。",
    ),
    "intake.not_an_item": (
        "The file holds no item: one JSON object is expected.",
        "文件中没有条目：应为一个JSON对象。",
    ),
    "intake.many_requests": (
        "The file holds {count} Open311 requests; put each in a file of its own.",
        "文件中有 {count} 条Open311请求，请每条单独一个文件。",
    ),
    "intake.unknown_type": (
        "The type {value} is none of report, verify_answer and check_answer.",
        "条目类型 {value} 不是 report、verify_answer、check_answer 之一。",
    ),
    "intake.no_collector": (
        "The item does not name its collector.", "条目未注明信息采集员。"
    ),
    "intake.no_description": (
        "The description of the problem is missing.", "缺少问题描述。"
    ),
    "intake.no_category": ("The item has no category code.", "条目缺少问题类别代码。"),
    "intake.unknown_category": (
        "The category code {value} is not in the catalogue.",
        "问题类别代码 {value} 不在类别目录中。",
    ),
    "intake.ambiguous_category": (
        "The category code {value} is both a component and an event class; give case_type "
        "(component or event).",
        "问题类别代码 {value} 既是部件也是事件类别，请用 case_type 注明（component 或 event）。",
    ),
    "intake.unknown_service": (
        "The Open311 service code {value} is mapped to no category; an administrator maps it "
        "with `seatdesk intake map`.",
        "Open311服务代码 {value} 未对应任何问题类别，请管理员用 `seatdesk intake map` 设置。",
    ),
    "intake.bad_coordinates": (
        "The location {longitude}, {latitude} is not a longitude (-180 to 180) and a latitude "
        "(-90 to 90).",
        "位置 {longitude}, {latitude} 不是有效的经度（-180至180）和纬度（-90至90）。",
    ),
    "intake.no_location": (
        "The item has neither a location nor an address.", "条目既无位置坐标也无地址。"
    ),
    "intake.bad_time": (
        "The time {value} is not a date and time that can be read.",
        "时间 {value} 不是可读取的日期时间。",
    ),
    "intake.key_taken": (
        "The item id {value} was already used for a different item: give this one its own id.",
        "条目编号 {value} 已被另一条目使用，请为此条目另起编号。",
    ),
    "intake.no_case_number": (
        "The answer does not name its case number.", "回复未注明案卷编号。"
    ),
    "intake.unknown_case": ("No case has the number {value}.", "没有编号为 {value} 的案卷。"),
    "intake.not_awaiting": (
        "Case {value} is {state}, not awaiting an {kind}.",
        "案卷 {value} 处于“{state}”状态，不在等待{kind}。",
    ),
    "intake.no_verdict": (
        "The answer gives no verdict: {allowed}.", "回复没有结论，应为：{allowed}。"
    ),
    "intake.no_reply": ("The collector's reply is missing.", "缺少采集员的答复。"),
    "intake.no_photo": (
        "An answer needs at least one photo of the scene.", "回复须附至少一张现场照片。"
    ),
    "intake.photo_missing": (
        "The photo {name} is not beside the item.", "照片 {name} 不在条目文件旁。"
    ),
    "intake.photo_name": (
        "The photo name {name} is not a plain file name beside the item.",
        "照片名 {name} 不是条目旁的文件名。",
    ),
    "intake.not_image": (
        "The photo {name} is not an image that can be read.", "照片 {name} 不是可读取的图片。"
    ),
    "intake.bad_base64": (
        "The photo {name} is not valid base64.", "照片 {name} 不是有效的base64编码。"
    ),
    "intake.bad_field": (
        "{field}: {problem}.", "{field}：{problem}。"
    ),
    # ---- what a run did
    "intake.summary": (
        "{accepted} taken in, {repeated} taken before, {rejected} rejected.",
        "接收 {accepted} 条，此前已接收 {repeated} 条，拒收 {rejected} 条。",
    ),
    "intake.watching": (
        "Watching {folder} (every {seconds} s); stop with Ctrl+C.",
        "正在监视 {folder}（每 {seconds} 秒），按 Ctrl+C 停止。",
    ),
    "intake.stopped": ("Stopped after the current item.", "已在当前条目后停止。"),
    "intake.no_folder": ("{folder} is not a folder.", "{folder} 不是文件夹。"),
    "intake.mapped": (
        "Open311 service {code} now files as {category}.",
        "Open311服务 {code} 现对应类别 {category}。",
    ),
    "intake.unmapped": (
        "Open311 service {code} is mapped to no category any more.",
        "Open311服务 {code} 已不再对应任何类别。",
    ),
    "intake.verdict.verify_answer.true": ("confirmed", "属实"),
    "intake.verdict.verify_answer.false": ("not confirmed", "不属实"),
    "intake.verdict.check_answer.true": ("resolved", "已处置到位"),
    "intake.verdict.check_answer.false": ("not resolved", "未处置到位"),
    "timeline.verdict": ("verdict: {verdict}", "结论：{verdict}"),
    "sheet.action.collector_answer": ("collector's answer", "采集员回复"),
}
