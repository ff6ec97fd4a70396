"""Sentences about backups and restores (``seatdesk backup``, ``seatdesk restore``, the
nightly backup job)."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "backup_missing": (
        "There is no backup file {file}.",
        "备份文件 {file} 不存在。",
    ),
    "backup_unreadable": (
        "{file} is not a backup seatdesk can read ({reason}); nothing was changed.",
        "{file} 不是可读取的备份文件（{reason}），数据库未作任何改动。",
    ),
    "backup_not_seatdesk": (
        "{file} is a PostgreSQL backup but not of a seatdesk database; nothing was changed.",
        "{file} 是 PostgreSQL 备份，但不是本系统数据库的备份，数据库未作任何改动。",
    ),
    "backup_roles_unreadable": (
        "The roles file {file} is damaged; nothing was changed.",
        "角色文件 {file} 已损坏，数据库未作任何改动。",
    ),
    "restore_roles_missing": (
        "The backup {file} needs the database roles {roles}, which this server lacks and "
        "{roles_file} (written beside every backup) does not hold; copy that file beside "
        "the backup and run the restore again.",
        "备份 {file} 需要数据库角色 {roles}，本服务器没有，{roles_file}（每次备份时写在备份旁）"
        "中也没有；请把该文件复制到备份旁后重新恢复。",
    ),
    "restore_newer": (
        "The database holds newer data than {file} ({live_events} events, the newest at "
        "{live_newest}, against {dump_events} and {dump_newest} in the backup); nothing "
        "was changed — add --force to replace it anyway.",
        "当前数据库的数据比 {file} 新（{live_events} 条事件，最新于 {live_newest}；备份中为 "
        "{dump_events} 条，最新于 {dump_newest}），数据库未作任何改动；如确需覆盖，请加 --force。",
    ),
    "backup_tool_failed": (
        "{tool} failed on {file}: {reason}; nothing was changed.",
        "{tool} 处理 {file} 时失败：{reason}，数据库未作任何改动。",
    ),
    "backup_db_unreachable": (
        "Cannot reach the database at {where} to back it up or restore it: {reason}.",
        "无法连接 {where} 的数据库以备份或恢复：{reason}。",
    ),
    "backup_target_folder": (
        "{file} is a folder; give the name of the backup file to write.",
        "{file} 是文件夹，请给出要写入的备份文件名。",
    ),
    "backup_no_folder": (
        "The folder {folder} does not exist; create it or choose another place for the "
        "backup.",
        "文件夹 {folder} 不存在，请先创建或另选备份位置。",
    ),
    "backup_shared_server": (
        "seatdesk backup and restore work on the embedded database; back up the shared "
        "server at {where} with its own tools (see docs/operations.md, 'Backups').",
        "seatdesk 的备份与恢复只用于内置数据库；共享服务器 {where} 请用其自身工具备份"
        "（见 docs/operations.md 的 “Backups” 一节）。",
    ),
    "backup_done": (
        "Backed up to {file}: {cases} cases, {events} events, the newest at {newest}.",
        "已备份到 {file}：案卷 {cases} 件，事件 {events} 条，最新事件于 {newest}。",
    ),
    "restore_done": (
        "Restored {file}: {cases} cases, {events} events, the newest at {newest}.",
        "已从 {file} 恢复：案卷 {cases} 件，事件 {events} 条，最新事件于 {newest}。",
    ),
}
