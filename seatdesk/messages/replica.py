"""Sentences about the read replica that serves the heavy readers (``seatdesk.db.reporting``)."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "replica.in_use": (
        "Statistics read from the replica at {where}.",
        "统计数据读自只读副本 {where}。",
    ),
    "replica.unreachable": (
        "The replica at {where} cannot be reached: statistics read from the main server "
        "for now (retried in {retry} s).",
        "无法连接只读副本 {where}：统计暂时读自主服务器（{retry} 秒后重试）。",
    ),
    "replica.lagging": (
        "The replica at {where} is {lag} s behind (more than {limit} s): statistics read "
        "from the main server for now (retried in {retry} s).",
        "只读副本 {where} 落后 {lag} 秒（超过 {limit} 秒）：统计暂时读自主服务器"
        "（{retry} 秒后重试）。",
    ),
}
