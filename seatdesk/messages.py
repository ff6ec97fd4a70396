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
    "case_busy": (
        "Another seat is changing this case right now and has held it too long; try again "
        "in a moment.",
        "另一个坐席正在处理该案卷且长时间未完成，请稍后再试。",
    ),
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
    "standard_bad_rows": (
        "The standard {path} has bad rows, nothing was imported: {problems}.",
        "立结案标准 {path} 有错误的行，未导入任何数据：{problems}。",
    ),
    "standard_empty": ("{path} holds no filing conditions.", "{path} 中没有立案条件。"),
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
    "field.address": ("Address", "地址"),
    "field.reporter": ("Reporter", "反映人"),
    "field.reporter_phone": ("Reporter's phone", "联系电话"),
    "field.urgency": ("Urgency", "紧急程度"),
    "problem.required": ("is required", "不能为空"),
    "problem.photo_required": (
        "at least one photo is needed to file a case (photo, description and location "
        "must be complete)",
        "立案至少需要一张照片（照片、描述、位置须齐全）",
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
    "problem.too_many_extensions": (
        "a case may be extended at most {limit} times",
        "一件案卷最多延期 {limit} 次",
    ),
    "problem.already_overdue": (
        "the case is already overdue; an extension must be asked before the deadline",
        "案卷已超期，须在期限届满前申请延期",
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


# ---- Unit grids (seatdesk.domain.grids, seatdesk.services.grids, `seatdesk grids`)
_CATALOG.update({
    "grid.no_code": (
        "Feature {index} has no grid code (property `code`, 15 digits).",
        "第 {index} 个要素没有网格编码（属性 code，15位数字）。",
    ),
    "grid.code_format": (
        "Grid code {code} is not 15 digits (6 county + 3 street + 3 community + 3 sequence).",
        "网格编码 {code} 不是15位数字（6位县级区划 + 3位街道 + 3位社区 + 3位顺序码）。",
    ),
    "grid.code_16": (
        "Grid code {code} has 16 digits (a 4-digit sequence); it is stored as the standard "
        "15-digit code {short}.",
        "网格编码 {code} 为16位（4位顺序码），按15位标准编码 {short} 保存。",
    ),
    "grid.code_16_too_long": (
        "Grid code {code} has 16 digits and its sequence {sequence} does not fit the 3 digits "
        "of the standard 15-digit code.",
        "网格编码 {code} 为16位，其顺序码 {sequence} 超出15位标准编码的3位顺序码。",
    ),
    "grid.code_sequence_zero": (
        "Grid code {code} has the sequence 000; sequences start at 001.",
        "网格编码 {code} 的顺序码为000，顺序码应从001开始。",
    ),
    "grid.community_mismatch": (
        "Grid {code}: its code does not begin with its {level} code {given}.",
        "网格 {code}：编码的前几位与其{level}编码 {given} 不一致。",
    ),
    "grid.level.community": ("community", "社区（村）"),
    "grid.level.street": ("street", "街道（乡镇）"),
    "grid.level.county": ("county", "县级区划"),
    "grid.community_format": (
        "Community code {code} is not 12 digits (6 county + 3 street + 3 community).",
        "社区编码 {code} 不是12位数字（6位县级区划 + 3位街道 + 3位社区）。",
    ),
    "grid.duplicate": (
        "Grid {code} appears {count} times in the file.",
        "网格 {code} 在文件中出现了 {count} 次。",
    ),
    "grid.no_geometry": ("Grid {code} has no geometry.", "网格 {code} 没有几何图形。"),
    "grid.not_polygon": (
        "Grid {code}: the geometry is a {kind}, not a polygon.",
        "网格 {code}：几何类型为 {kind}，不是多边形。",
    ),
    "grid.multipart": (
        "Grid {code}: the geometry has {parts} separate parts; a grid is one closed polygon.",
        "网格 {code}：几何图形由 {parts} 个分离部分组成，单元网格应为一个闭合多边形。",
    ),
    "grid.bad_coordinates": (
        "Grid {code}: its coordinates are not pairs of numbers.",
        "网格 {code}：坐标不是成对的数字。",
    ),
    "grid.too_few_points": (
        "Grid {code}: the boundary has {count} points, too few for a polygon with an area.",
        "网格 {code}：边界只有 {count} 个点，不足以构成有面积的多边形。",
    ),
    "grid.not_closed": (
        "Grid {code}: the boundary is not closed (it starts at {first} and ends at {last}).",
        "网格 {code}：边界不闭合（起点 {first}，终点 {last}）。",
    ),
    "grid.not_degrees": (
        "Grid {code}: the point {point} is not a longitude/latitude in degrees; give the "
        "file's coordinate system with --crs (for example EPSG:4528).",
        "网格 {code}：点 {point} 不是经纬度（度）；请用 --crs 指明文件的坐标系（如 EPSG:4528）。",
    ),
    "grid.self_intersection": (
        "Grid {code}: the boundary crosses itself at {where}.",
        "网格 {code}：边界在 {where} 处自相交。",
    ),
    "grid.invalid_polygon": (
        "Grid {code}: the polygon is not valid ({reason}).",
        "网格 {code}：多边形无效（{reason}）。",
    ),
    "grid.bad_date": (
        "Grid {code}: the {which} {value} is not a date (YYYYMMDD).",
        "网格 {code}：{which} {value} 不是日期（YYYYMMDD）。",
    ),
    "grid.which.start_date": ("start date", "起始日期"),
    "grid.which.end_date": ("end date", "终止日期"),
    "grid.dates_order": (
        "Grid {code}: the end date {end} is before the start date {start}.",
        "网格 {code}：终止日期 {end} 早于起始日期 {start}。",
    ),
    "grid.overlap": (
        "Grids {code} and {other} overlap by {area} m² around {where}.",
        "网格 {code} 与 {other} 在 {where} 附近重叠 {area} 平方米。",
    ),
    "grid.gap": (
        "Community {code} has a gap of {area} m² around {where} that none of its grids "
        "covers (next to {near}).",
        "社区 {code} 在 {where} 附近有 {area} 平方米的空隙未被任何网格覆盖（邻近 {near}）。",
    ),
    "grid.outside_community": (
        "Grid {code} lies outside its community {community}: it touches none of the "
        "community's other grids.",
        "网格 {code} 位于其所属社区 {community} 之外：与该社区其他网格均不相连。",
    ),
    "grid.outside_boundary": (
        "Grid {code} reaches {area} m² outside the boundary of its community {community}.",
        "网格 {code} 有 {area} 平方米超出其所属社区 {community} 的边界。",
    ),
    "grid.changed_boundary": (
        "Grid {code} already exists with a different boundary; a changed grid gets a new "
        "code and the old one ends (use `seatdesk grids replace`, or give the old code an "
        "end date and the new boundary a new code).",
        "网格 {code} 已存在且边界不同；网格变更后须停用原编码并重新编码（使用 "
        "`seatdesk grids replace`，或为原编码填写终止日期、为新边界赋新编码）。",
    ),
    "grid.code_retired": (
        "Grid code {code} ended on {end}; a retired code is never used again.",
        "网格编码 {code} 已于 {end} 停用，停用的编码不得再次使用。",
    ),
    "grid.numbering": (
        "Community {code}: the sequence numbers do not run west to east, north to south "
        "(grid {first} would be number {position}); the codes are kept as they are.",
        "社区 {code}：顺序码未按自西向东、自北向南编排（网格 {first} 应为第 {position} "
        "个）；编码保持不变。",
    ),
    "grid.area_differs": (
        "Grid {code}: the file gives an area of {given} m², the boundary measures {computed} "
        "m²; the measured area is stored.",
        "网格 {code}：文件中面积为 {given} 平方米，按边界计算为 {computed} 平方米；"
        "保存计算面积。",
    ),
    "grid.community_full": (
        "Community {code} has no sequence numbers left for {count} new grids.",
        "社区 {code} 的顺序码已不足以编排 {count} 个新网格。",
    ),
    "grid.empty_file": ("{file} holds no grids.", "{file} 中没有任何网格。"),
    "grid.not_geojson": (
        "{file} is not a GeoJSON file ({reason}).",
        "{file} 不是 GeoJSON 文件（{reason}）。",
    ),
    "grid.bad_shapefile": (
        "{file} is not a readable zipped shapefile ({reason}).",
        "{file} 不是可读取的 Shapefile 压缩包（{reason}）。",
    ),
    "grid.bad_crs": (
        "The coordinate system {crs} is not known.",
        "无法识别坐标系 {crs}。",
    ),
    "grid.refused": (
        "{count} problems in the grids; nothing was imported.",
        "网格数据有 {count} 处问题，未导入任何数据。",
    ),
    "grid.not_found": ("No grid {code} exists.", "网格 {code} 不存在。"),
    "grid.already_retired": (
        "Grid {code} already ended on {end}.",
        "网格 {code} 已于 {end} 停用。",
    ),
    "grid.retired": ("Grid {code} ends on {end}.", "网格 {code} 于 {end} 停用。"),
    "grid.end_before_start": (
        "Grid {code} starts on {start}; it cannot end on {end}.",
        "网格 {code} 起始于 {start}，不能在 {end} 停用。",
    ),
    "grid.outside_every_grid": (
        "The location {lon}, {lat} lies outside every unit grid; the case is kept and listed "
        "among the cases to place.",
        "位置 {lon}, {lat} 不在任何单元网格内；案卷照常保存，并列入待定位案卷。",
    ),
    "grid.checked": (
        "{file}: {count} grids checked, no problems; nothing was imported (--check).",
        "{file}：已检查 {count} 个网格，未发现问题；未导入（--check）。",
    ),
    "grid.imported": (
        "{file}: {added} grids added, {retired} ended, {renamed} renamed, {unchanged} "
        "unchanged; {placed} cases placed in a grid.",
        "{file}：新增网格 {added} 个，停用 {retired} 个，更名 {renamed} 个，未变 {unchanged} "
        "个；{placed} 件案卷已定位到网格。",
    ),
    "grid.exported": (
        "{file}: {count} grids exported.",
        "{file}：已导出 {count} 个网格。",
    ),
    "grid.replaced": (
        "Grid {code} ends on {on}; its new grids: {new}.",
        "网格 {code} 于 {on} 停用；新网格：{new}。",
    ),
})

# ---- The desk's window (issue 10, items 6/7/11): why a connection failed or was lost,
# in one sentence a seat operator reads in the reconnect banner and the login window
# (``seatdesk.db.engine.connection_cause``; libpq's own text is kept for the log).
_CATALOG.update({
    "connection.refused": (
        "the database server is not running or refuses connections",
        "数据库服务器未运行或拒绝连接",
    ),
    "connection.timeout": (
        "the database server did not answer within 5 seconds",
        "数据库服务器在 5 秒内没有应答",
    ),
    "connection.unknown_host": (
        "the database server's host name cannot be found",
        "找不到数据库服务器的主机名",
    ),
    "connection.login": (
        "the database no longer accepts this account",
        "数据库不再接受此账号登录",
    ),
    "connection.closed": (
        "the database server closed the connection",
        "数据库服务器断开了连接",
    ),
    "connection.other": (
        "the network or the database server failed",
        "网络或数据库服务器出现故障",
    ),
})
