"""The sentences of the centre's rules as the admin edits them (migration 0030): the
fields its functions name, the standard sheet's preview, the calendar banner."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "field.class_name": ("Class name", "类别名称"),
    "field.class_code": ("Class code", "类别代码"),
    "field.major_class": ("Major class", "大类"),
    "field.closing_condition": ("Closing condition", "结案条件"),
    "field.limit_amount": ("Time limit", "处置时限"),
    "field.limit_unit": ("Time limit unit", "时限单位"),
    "field.supervising_department": ("Supervising department", "主管部门"),
    "field.stage": ("Stage", "环节"),
    "field.standard": ("Standard sheet", "立结案标准"),
    "field.standard_row": ("A row of the standard sheet", "立结案标准的一行"),
    "field.office_hours": ("Office hours", "办公时间"),
    "field.warning_share": ("Warning threshold", "预警阈值"),
    "problem.malformed_major": (
        "{value} is not a major class code (two digits)", "{value} 不是大类代码（两位数字）"
    ),
    "problem.malformed_minor": (
        "{value} is not a minor class code of {major} (four digits starting with {major})",
        "{value} 不是大类 {major} 的小类代码（以 {major} 开头的四位数字）",
    ),
    "problem.not_a_period": (
        "{value} (weekday {weekday}) is not a period such as 08:30-12:00",
        "{value}（星期{weekday}）不是形如 08:30-12:00 的时段",
    ),
    "problem.unknown_class": ("row {row}: the class {value} is not in the catalogue",
                              "第 {row} 行：类别 {value} 不在目录中"),
    "problem.too_many_conditions": ("row {row}: a class has at most {limit} filing conditions",
                                    "第 {row} 行：一个小类最多 {limit} 条立案条件"),
    # ---- the standard sheet's preview: one sentence per bad row
    "rules.field_change": ("{field}: {old} → {new}", "{field}：{old} → {new}"),
    "rules.row_limit": ("row {row}: {reason}", "第 {row} 行：时限无法读取（{reason}）"),
    "rules.row_no_condition": ("row {row}: the filing condition (立案条件) is empty",
                               "第 {row} 行：立案条件为空"),
    "rules.row_unknown_class": ("row {row}: the class {major}/{minor} is not in the catalogue",
                                "第 {row} 行：类别 {major}/{minor} 不在目录中"),
    "rules.row_class_unnamed": (
        "row {row}: the class {major}/{minor} is not in the catalogue and the sheet gives "
        "no name for it",
        "第 {row} 行：类别 {major}/{minor} 不在目录中，表中也没有它的名称"),
    "rules.row_unknown_department": ("row {row}: the department {name} is not known",
                                     "第 {row} 行：部门 {name} 不存在"),
    "rules.row_too_many": ("row {row}: a class has at most 8 filing conditions",
                           "第 {row} 行：一个小类最多 8 条立案条件"),
    "rules.standard_has_bad_rows": (
        "The standard sheet has {count} bad rows; nothing was applied.",
        "立结案标准有 {count} 行有误，未作任何更改。",
    ),
    # ---- the calendar banner of an admin's login
    "rules.calendar_next_missing": (
        "The holiday schedule of {year} has not been entered: from 1 January its days "
        "count as plain weekdays. Import it in the calendar tab.",
        "{year} 年的节假日安排尚未录入：自 1 月 1 日起将按普通周一至周五计算工作日。"
        "请在“工作日历”中导入。",
    ),
    "rules.calendar_this_missing": (
        "The holiday schedule of {year} has not been entered: its days count as plain "
        "weekdays. Import it in the calendar tab.",
        "{year} 年的节假日安排尚未录入：工作日暂按普通周一至周五计算。请在“工作日历”中导入。",
    ),
    # ---- the rules audit's field names (rules.describe_event)
    "rules.audit_field.case_type": ("type", "类型"),
    "rules.audit_field.code": ("code", "代码"),
    "rules.audit_field.name": ("name", "名称"),
    "rules.audit_field.active": ("active", "启用"),
    "rules.audit_field.seq": ("no.", "序号"),
    "rules.audit_field.description": ("filing condition", "立案条件"),
    "rules.audit_field.limit_amount": ("limit", "时限"),
    "rules.audit_field.limit_unit": ("unit", "单位"),
    "rules.audit_field.handling_department_code": ("department", "处置部门"),
    "rules.audit_field.supervising_department_code": ("supervising department", "主管部门"),
    "rules.audit_field.stage": ("stage", "环节"),
    "rules.audit_field.urgency": ("urgency", "紧急程度"),
    "rules.audit_field.amount": ("limit", "时限"),
    "rules.audit_field.unit": ("unit", "单位"),
    "rules.audit_field.service_code": ("service code", "服务代码"),
    "rules.audit_field.category_id": ("class", "类别"),
    "rules.audit_field.day": ("day", "日期"),
    "rules.audit_field.working": ("working", "上班"),
    "rules.audit_field.local": ("local", "本地"),
    "rules.audit_field.year": ("year", "年份"),
    "rules.audit_field.note": ("note", "备注"),
    "rules.audit_field.start_date": ("from", "启用日期"),
    "rules.audit_field.end_date": ("until", "停用日期"),
    "rules.audit_field.key": ("setting", "设置项"),
    "rules.audit_field.value": ("value", "值"),
}
