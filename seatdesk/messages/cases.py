"""Sentences about cases and their actions: refusals of the workflow, stale cases."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "invalid_transition": (
        "A case in state {state} cannot be given the action {action}.",
        "处于“{state}”状态的案卷不能执行“{action}”。",
    ),
    "permission_denied": (
        "Your roles ({roles}) may not {action}; it needs one of: {allowed}.",
        "您的岗位（{roles}）无权执行“{action}”，需要以下岗位之一：{allowed}。",
    ),
    "stale_case": (
        "Case {number} was changed by {changed_by} at {changed_at}; reload it and try again.",
        "案卷 {number} 已被 {changed_by} 于 {changed_at} 修改，请重新载入后再操作。",
    ),
    "not_found": (
        "No {what} {key} exists, or you may not see it.",
        "{what} {key} 不存在或无权查看。",
    ),
    "validation": ("{field}: {problem}", "{field}：{problem}"),
    "case_busy": (
        "Another seat is changing this case right now and has held it too long; try again "
        "in a moment.",
        "另一个坐席正在处理该案卷且长时间未完成，请稍后再试。",
    ),
    "problem.photo_required": (
        "at least one photo is needed to file a case (photo, description and location "
        "must be complete)",
        "立案至少需要一张照片（照片、描述、位置须齐全）",
    ),
    "problem.same_case": ("a case cannot be merged into itself", "案卷不能与自身合并"),
    "problem.not_open": ("case {value} is not open", "案卷 {value} 不在办理中"),
    # The evidence an action recorded, as the timeline shows it.
    "timeline.collector": ("collector: {name}", "信息采集员：{name}"),
    "timeline.reply": ("reply: {reply}", "采集员答复：{reply}"),
    "timeline.separator": ("; ", "；"),
    "timeline.complaint": ("complaint {number}", "投诉 {number}"),
}
