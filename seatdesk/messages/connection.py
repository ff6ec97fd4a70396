"""Sentences about reaching the database and its schema."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "db_unreachable": (
        "Cannot reach the database server at {where}: {reason}.",
        "无法连接数据库服务器 {where}：{reason}。",
    ),
    # The embedded server: its socket folder is no place a seat knows (it is in the
    # detail, for a tooltip or the log).
    "db_unreachable_here": (
        "Cannot reach the database on this computer: {reason}.",
        "无法连接本机数据库：{reason}。",
    ),
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
    # ---- Why a connection failed or was lost (``seatdesk.db.engine.connection_cause``):
    # one sentence a seat operator reads in the reconnect banner and the login window;
    # libpq's own text is kept for the log.
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
}
