"""Sentences about seat users and their passwords."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "not_a_seat_user": (
        "The database user {login} is not a seatdesk seat user.",
        "数据库用户 {login} 不是本系统的坐席用户。",
    ),
    "not_a_desk_user": (
        "{login} is a service account (collectors' intake): it runs `seatdesk intake`, "
        "not the desk.",
        "{login} 是采集接入的服务账号，只用于 seatdesk intake，不能登录坐席桌面。",
    ),
    "login_failed": (
        "User {login} does not exist or the password is wrong.",
        "用户 {login} 不存在或密码错误。",
    ),
    "account_disabled": ("The account {login} is disabled.", "账号 {login} 已停用。"),
    "problem.bad_login": (
        "{value} is not a valid user name (lower-case letters, digits and _, starting "
        "with a letter, at most 40)",
        "{value} 不是有效的用户名（小写字母、数字和下划线，以字母开头，不超过40个字符）",
    ),
    "problem.exists": ("{value} already exists", "{value} 已存在"),
    "problem.password_characters": (
        "may hold only printable ASCII characters (letters, digits, symbols and spaces)",
        "只能包含可打印的ASCII字符（字母、数字、符号和空格）",
    ),
    "problem.password_too_short": (
        "must have at least {min_length} characters",
        "长度不能少于 {min_length} 位",
    ),
    "problem.password_too_long": (
        "may have at most {max_length} characters",
        "长度不能超过 {max_length} 位",
    ),
    "problem.password_few_classes": (
        "must mix at least {min_classes} of: lower-case letters, upper-case letters, digits, "
        "symbols",
        "须至少包含小写字母、大写字母、数字、符号中的 {min_classes} 类",
    ),
    "problem.password_contains_login": (
        "must not contain the user name",
        "不能包含用户名",
    ),
    "problem.password_not_scram": (
        "is not a well-formed SCRAM-SHA-256 verifier",
        "不是格式正确的 SCRAM-SHA-256 校验值",
    ),
    "problem.self": (
        "an administrator cannot do this to their own account",
        "管理员不能对自己的账号执行此操作",
    ),
    "problem.department_needs_code": (
        "a department user needs --department",
        "专业部门用户必须指定 --department",
    ),
}
