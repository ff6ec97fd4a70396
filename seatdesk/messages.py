"""The sentences the core shows to people, in Chinese and English.

Error messages, CLI output and export headers come from here, so the CLI and the
exports speak Chinese without Qt. Templates use named placeholders only; the language
is chosen at display time (``SEATDESK_LANG``, default Chinese), never at import time.
"""

from __future__ import annotations

import os
from typing import Any

_CATALOG: dict[str, tuple[str, str]] = {
    # key: (English, 中文)
    "invalid_transition": (
        "A case in state {state} cannot be given the action {action}.",
        "处于“{state}”状态的案卷不能执行“{action}”。",
    ),
    "permission_denied": (
        "Your roles ({roles}) may not {action}; it needs one of: {allowed}.",
        "您的岗位（{roles}）无权执行“{action}”，需要以下岗位之一：{allowed}。",
    ),
    "not_a_seat_user": (
        "The database user {login} is not a seatdesk seat user.",
        "数据库用户 {login} 不是本系统的坐席用户。",
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
    "db_unreachable": (
        "Cannot reach the database server at {where}: {reason}.",
        "无法连接数据库服务器 {where}：{reason}。",
    ),
    "login_failed": (
        "User {login} does not exist or the password is wrong.",
        "用户 {login} 不存在或密码错误。",
    ),
    "account_disabled": ("The account {login} is disabled.", "账号 {login} 已停用。"),
    "no_database": (
        "The database {database} does not exist on the server at {where}.",
        "服务器 {where} 上不存在数据库 {database}。",
    ),
    "schema_missing": (
        "The database at {where} has no seatdesk schema yet; run `seatdesk db upgrade`.",
        "{where} 的数据库尚未建立本系统的表结构，请运行 `seatdesk db upgrade`。",
    ),
    "schema_old": (
        "The database at {where} is at revision {current}, this seatdesk needs {head}; "
        "run `seatdesk db upgrade`.",
        "{where} 的数据库版本为 {current}，本程序需要 {head}，请运行 `seatdesk db upgrade`。",
    ),
    "db_error": ("The database refused the request: {reason}.", "数据库拒绝了该操作：{reason}。"),
    "demo_not_empty": (
        "The database already holds {count} cases; seatdesk demo only fills an empty "
        "database (add --reset to wipe it first).",
        "数据库中已有 {count} 件案卷；演示数据只能写入空库（加 --reset 先清空）。",
    ),
    "embedded_failed": (
        "The embedded database server in {path} could not start: {reason}.",
        "内置数据库服务器（{path}）无法启动：{reason}。",
    ),
    # Field names used in validation messages.
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
    "problem.required": ("is required", "不能为空"),
    "problem.photo_required": (
        "at least one photo is needed to file a case (photo, description and location "
        "must be complete)",
        "立案至少需要一张照片（照片、描述、位置须齐全）",
    ),
    "problem.unknown": ("{value} is not known", "{value} 不存在"),
    "problem.not_image": ("the file is not an image that can be read", "文件不是可读取的图片"),
    "problem.too_large": ("the file is larger than {limit} MB", "文件超过 {limit} MB"),
    "problem.out_of_range": ("{value} is out of range", "{value} 超出范围"),
    "problem.in_past": ("{value} is in the past", "{value} 早于当前时间"),
    "problem.not_under": (
        "filing condition {value} does not belong to the chosen category",
        "立案条件 {value} 不属于所选类别",
    ),
    "problem.bad_login": (
        "{value} is not a valid user name (lower-case letters, digits and _, starting "
        "with a letter, at most 40)",
        "{value} 不是有效的用户名（小写字母、数字和下划线，以字母开头，不超过40个字符）",
    ),
    "problem.exists": ("{value} already exists", "{value} 已存在"),
    "problem.department_needs_code": (
        "a department user needs --department",
        "专业部门用户必须指定 --department",
    ),
    "problem.same_case": ("a case cannot be merged into itself", "案卷不能与自身合并"),
    "problem.not_open": ("case {value} is not open", "案卷 {value} 不在办理中"),
}


def language() -> str:
    """``zh`` or ``en``, from ``SEATDESK_LANG`` (default Chinese, as the centre speaks)."""
    lang = os.environ.get("SEATDESK_LANG", "zh").lower()
    return "en" if lang.startswith("en") else "zh"


def t(key: str, **values: Any) -> str:
    """The sentence ``key`` in the current language, with its placeholders filled."""
    en, zh = _CATALOG[key]
    template = en if language() == "en" else zh
    return template.format(**values)


def keys() -> frozenset[str]:
    return frozenset(_CATALOG)


def templates(key: str) -> tuple[str, str]:
    return _CATALOG[key]
