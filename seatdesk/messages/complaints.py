"""Sentences about complaints (群众投诉): steps refused, stale complaints."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
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
