"""Sentences about the departments the admin keeps, and the last admin (migration 0029)."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "field.code": ("Code", "代码"),
    "field.name": ("Name", "名称"),
    "field.contact": ("Contact", "联系方式"),
    "field.target": ("Target department", "并入部门"),
    "field.active": ("Active", "启用"),
    "problem.bad_code": (
        "{value} is not a valid code (letters, digits, _ . -, starting with a letter or "
        "digit, at most 20)",
        "{value} 不是有效的代码（字母、数字、_ . -，以字母或数字开头，不超过20个字符）",
    ),
    "problem.inactive": ("{value} is deactivated", "{value} 已停用"),
    "problem.same_department": (
        "{value} cannot be merged into itself", "{value} 不能并入自身"
    ),
    "problem.last_admin": (
        "this is the last active administrator: nobody could manage users without one",
        "这是最后一个在用的系统管理员，停用后将无人能管理用户",
    ),
}
