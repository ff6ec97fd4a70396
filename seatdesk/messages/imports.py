"""Sentences about importing complaints forwarded by the city platform
(seatdesk.services.complaint_import and ``seatdesk complaints import``)."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "import.encoding": (
        "{file} is neither UTF-8 nor GBK/GB18030 text; save it from Excel as “CSV UTF-8” "
        "or as .xlsx and import it again.",
        "{file} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本，请在 Excel 中另存为“CSV UTF-8”"
        "或 .xlsx 后重新导入。",
    ),
    "import.unreadable": (
        "{file} cannot be read as an Excel workbook (.xlsx).",
        "{file} 无法作为 Excel 工作簿（.xlsx）读取。",
    ),
    "import.format": (
        "{file} is neither an Excel workbook (.xlsx) nor a CSV file; save it as one of them.",
        "{file} 既不是 Excel 工作簿（.xlsx）也不是 CSV 文件，请另存为其中一种。",
    ),
    "import.no_header": (
        "No header row with the platform's column names (投诉内容, 受理时间 …) was found in "
        "the first rows of the file.",
        "文件开头几行中找不到含平台列名（投诉内容、受理时间等）的表头行。",
    ),
    "import.missing_columns": (
        "The file has no column for {columns}; name it in the mapping or add the column.",
        "文件缺少“{columns}”列，请在列映射中指定或在文件中补上该列。",
    ),
    "import.unknown_field": (
        "{field} is not a field of a complaint; the fields are: {fields}.",
        "{field} 不是投诉的字段，可用字段：{fields}。",
    ),
    "import.reading": ("Reading {file}…", "正在读取 {file}…"),
    "import.writing": ("Importing {count} complaints…", "正在导入 {count} 件投诉…"),
    "import.summary": (
        "{file}: {rows} rows, {good} good, {bad} with a problem.",
        "{file}：共 {rows} 行，{good} 行可导入，{bad} 行有问题。",
    ),
    "import.more_bad": (
        "{count} more rows with a problem are not listed here; "
        "`seatdesk complaints import FILE --dry-run --all-bad` lists them all.",
        "另有 {count} 行有问题未在此列出，可用 seatdesk complaints import 文件 --dry-run "
        "--all-bad 全部列出。",
    ),
    "import.bad_row": ("Row {row}: {reason}", "第 {row} 行：{reason}"),
    "import.columns": ("Columns: {columns}", "列映射：{columns}"),
    "import.unused": ("Columns not imported: {columns}", "未导入的列：{columns}"),
    "import.done": (
        "{created} complaints imported, {present} already present, {bad} rows left out.",
        "已导入 {created} 件投诉，{present} 件此前已导入，{bad} 行未导入。",
    ),
    "import.dry_run": ("Dry run: nothing was imported.", "仅检查，未导入任何内容。"),
    "import.nothing": (
        "Nothing in {file} can be imported.", "{file} 中没有可导入的行。"
    ),
    "import.confirm": (
        "Import {count} complaints?", "导入 {count} 件投诉？"
    ),
    "import.cancelled": ("Import cancelled: nothing was written.", "已取消导入，未写入任何内容。"),
    "import.mapping_saved": (
        "Mapping {name} saved.", "列映射“{name}”已保存。"
    ),
    "import.bad_map": (
        "{value} is not FIELD=HEADER (for example content=诉求内容).",
        "{value} 不是“字段=列名”的形式（例如 content=诉求内容）。",
    ),
}
