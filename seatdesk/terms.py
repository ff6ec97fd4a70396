"""The names people read for the domain words, in English and Chinese: the one table.

Every member of every glossary enum (roles, states, actions, sources, urgency, deadline
status, units, stages, photo steps, reject reasons, action fields) has its two names
here, so the desk, the CLI, the Excel exports and the monthly report say the same words
without Qt. ``term(value)`` answers in the language the person chose
(``seatdesk.messages.language()``); a new enum member gets its row here, and
``tests/core/test_terms.py`` fails until it has one.

The names of action fields are the field names of the validation messages
(``field.<name>`` in ``seatdesk.messages.fields``): the database names a refused field
by the same word, so they are kept there once and read from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from seatdesk import messages
from seatdesk.domain.glossary import (
    Action,
    ActionField,
    AssessmentAction,
    AttachmentStep,
    CaseEventAction,
    CaseType,
    CollectorAction,
    ComplaintAction,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    DepartmentAction,
    IntakeKind,
    PrivacyAction,
    RejectReason,
    ReplyMethod,
    Role,
    RuleSection,
    RuleUnit,
    Satisfaction,
    SettingsAction,
    Source,
    StaffKind,
    Stage,
    State,
    SupervisionAction,
    TimeUnit,
    Urgency,
)

#: Every enum whose members people read.
GLOSSARY_ENUMS: tuple[type[Enum], ...] = (
    Role,
    State,
    Action,
    Source,
    CaseType,
    Urgency,
    DeadlineStatus,
    TimeUnit,
    Stage,
    AttachmentStep,
    RejectReason,
    ActionField,
    ComplaintAction,
    ComplaintChannel,
    ComplaintState,
    ReplyMethod,
    Satisfaction,
    CaseEventAction,
    PrivacyAction,
    SettingsAction,
    CollectorAction,
    IntakeKind,
    SupervisionAction,
    DepartmentAction,
    AssessmentAction,
    StaffKind,
    RuleSection,
    RuleUnit,
)

#: (member, (English, 中文)).
# Rows, not a dict literal: the glossary's enums are StrEnums, so State.HANDLING and
# Stage.HANDLING ("handling") are equal and hash alike; a literal would keep one value.
_ROWS: tuple[tuple[Enum, tuple[str, str]], ...] = (
    # ---- Roles (坐席岗位)
    (Role.ACCEPTOR, ("acceptor", "受理员")),
    (Role.SHIFT_LEADER, ("shift leader", "值班长")),
    (Role.DISPATCHER, ("dispatcher", "派遣员")),
    (Role.INSPECTOR, ("inspector", "督查员")),
    (Role.MONITOR, ("12319 monitor", "12319舆情监控")),
    (Role.DEPARTMENT, ("department", "专业部门")),
    (Role.ADMIN, ("administrator", "系统管理员")),
    (Role.INTAKE, ("collector intake", "采集接入")),
    # ---- States of a case
    (State.REPORTED, ("reported", "待受理")),
    (State.VERIFYING, ("verifying", "核实中")),
    (State.VERIFIED, ("verified", "已核实")),
    (State.UNVERIFIED, ("not verified", "核实不属实")),
    (State.PRE_REGISTERED, ("pre-registered", "已预立案")),
    (State.REGISTERED, ("registered", "已立案")),
    (State.DISPATCHED, ("dispatched", "已派遣")),
    (State.HANDLING, ("handling", "处置中")),
    (State.HANDLED, ("handled", "已处置")),
    (State.CHECKING, ("checking", "核查中")),
    (State.CHECK_PASSED, ("check passed", "核查通过")),
    (State.CHECK_FAILED, ("check failed", "核查未通过")),
    (State.RETURN_REQUESTED, ("return requested", "回退待审批")),
    (State.RETURNED, ("returned", "已回退")),
    (State.EXTENSION_REQUESTED, ("extension requested", "延期待审批")),
    (State.POSTPONEMENT_REQUESTED, ("postponement requested", "缓办待审批")),
    (State.POSTPONED, ("postponed", "缓办中")),
    (State.CLOSED, ("closed", "已结案")),
    (State.REJECTED, ("rejected", "不予立案")),
    (State.VOIDED, ("voided", "已作废")),
    (State.MERGED, ("merged", "已合并")),
    # ---- Actions
    (Action.REQUEST_VERIFY, ("send to verify", "发起核实")),
    (Action.VERIFY_PASS, ("verified true", "核实属实")),
    (Action.VERIFY_FAIL, ("verified untrue", "核实不属实")),
    (Action.PRE_REGISTER, ("pre-register", "预立案")),
    (Action.REJECT, ("reject", "不予立案")),
    (Action.REGISTER, ("register", "立案")),
    (Action.SEND_BACK, ("send back", "退回受理员")),
    (Action.DISPATCH, ("dispatch", "派遣")),
    (Action.START_HANDLING, ("start handling", "开始处置")),
    (Action.REPORT_DONE, ("report done", "处置反馈")),
    (Action.REQUEST_CHECK, ("send to check", "发起核查")),
    (Action.CHECK_PASS, ("check passed", "核查通过")),
    (Action.CHECK_FAIL, ("check failed", "核查未通过")),
    (Action.CLOSE, ("close", "结案")),
    (Action.REWORK, ("rework", "返工")),
    (Action.REQUEST_EXTENSION, ("request extension", "申请延期")),
    (Action.REQUEST_RETURN, ("request return", "申请回退")),
    (Action.REQUEST_POSTPONEMENT, ("request postponement", "申请缓办")),
    (Action.APPROVE, ("approve", "批准")),
    (Action.DENY, ("deny", "不批准")),
    (Action.RESUME, ("resume", "恢复处置")),
    (Action.URGE, ("urge", "督办")),
    (Action.VOID, ("void", "作废")),
    (Action.MERGE, ("merge", "合并")),
    # ---- Sources (问题来源)
    (Source.COLLECTOR, ("field collector", "信息采集员")),
    (Source.HOTLINE_12319, ("12319 hotline", "12319热线")),
    (Source.MAYOR_MAILBOX, ("mayor's mailbox", "市长信箱")),
    (Source.ONLINE, ("online", "网络平台")),
    (Source.MEDIA, ("media", "媒体曝光")),
    (Source.WALK_IN, ("visit or call", "来访来电")),
    (Source.INSPECTION, ("leaders' inspection", "领导督查")),
    (Source.CITY_PLATFORM, ("city platform", "市平台转办")),
    # ---- Kinds, urgency, deadline status
    (CaseType.COMPONENT, ("component", "部件")),
    (CaseType.EVENT, ("event", "事件")),
    (Urgency.ORDINARY, ("ordinary", "一般")),
    (Urgency.URGENT, ("urgent", "紧急")),
    (DeadlineStatus.NORMAL, ("normal", "正常")),
    (DeadlineStatus.WARNING, ("warning", "临期（黄灯）")),
    (DeadlineStatus.OVERDUE, ("overdue", "超期（红灯）")),
    # ---- Units of a time limit
    (TimeUnit.EMERGENCY_HOURS, ("emergency hours", "紧急工作时")),
    (TimeUnit.WORKING_HOURS, ("working hours", "工作时")),
    (TimeUnit.WORKING_DAYS, ("working days", "工作日")),
    (TimeUnit.NATURAL_DAYS, ("natural days", "自然日")),
    (TimeUnit.NATURAL_HOURS, ("natural hours", "小时")),
    # ---- Stages (each runs against a clock)
    (Stage.VERIFY, ("verify", "核实")),
    (Stage.REGISTER, ("register", "立案")),
    (Stage.DISPATCH, ("dispatch", "派遣")),
    (Stage.HANDLING, ("handling", "处置")),
    (Stage.CHECK, ("check", "核查")),
    (Stage.CLOSE, ("close", "结案")),
    # ---- The step a photo belongs to
    (AttachmentStep.REPORT, ("report", "上报")),
    (AttachmentStep.VERIFY, ("verify", "核实")),
    (AttachmentStep.HANDLING, ("handling", "处置")),
    (AttachmentStep.CHECK, ("check", "核查")),
    # ---- Reasons to refuse a report (不予立案)
    (RejectReason.OUT_OF_SCOPE, ("not a city management matter", "不属于城管范围")),
    (RejectReason.DUPLICATE, ("duplicate report", "重复上报")),
    (RejectReason.FALSE_REPORT, ("false report", "虚假上报")),
    (RejectReason.INSUFFICIENT_INFORMATION, ("not enough information", "信息不全")),
    # ---- Complaints (群众投诉)
    (ComplaintChannel.HOTLINE_12319, ("12319 hotline", "12319热线")),
    (ComplaintChannel.MAYORS_MAILBOX, ("mayor's mailbox", "市长信箱")),
    (ComplaintChannel.ONLINE_PLATFORM, ("online platform or forum", "网络平台")),
    (ComplaintChannel.MEDIA, ("media", "媒体")),
    (ComplaintChannel.CITY_PLATFORM, ("forwarded by the city platform", "市平台转办")),
    (ComplaintChannel.WALK_IN, ("walk-in", "来访")),
    (ComplaintState.NEW, ("new", "新投诉")),
    (ComplaintState.LINKED, ("in a case", "已立案/关联")),
    (ComplaintState.FORWARDED, ("forwarded", "已转办")),
    (ComplaintState.AWAITING_REPLY, ("awaiting reply", "待答复")),
    (ComplaintState.REPLIED, ("replied", "已答复")),
    (ComplaintState.CALLED_BACK, ("called back", "已回访")),
    (ComplaintAction.CREATE, ("record a complaint", "登记投诉")),
    (ComplaintAction.TO_CASE, ("open a case", "立案")),
    (ComplaintAction.LINK, ("link to a case", "关联案卷")),
    (ComplaintAction.FORWARD, ("forward", "转办")),
    (ComplaintAction.REPLY, ("reply", "答复")),
    (ComplaintAction.CALLBACK, ("call back", "回访")),
    (ComplaintAction.CASE_ENDED, ("the case ended", "案卷办结")),
    (ComplaintAction.CASE_MERGED, ("the case was merged", "案卷合并")),
    (ComplaintAction.REOPEN, ("case reopened after a dissatisfied callback", "不满意重办")),
    (CaseEventAction.REOPEN_FOR_COMPLAINT,
     ("reopen for a dissatisfied complainant", "投诉不满意重办")),
    (CaseEventAction.DEPARTMENT_MERGED,
     ("moved by a department merge", "部门合并移交")),
    (DepartmentAction.ADD, ("add a department", "新增部门")),
    (DepartmentAction.RENAME, ("rename a department", "部门更名")),
    (DepartmentAction.MERGE, ("merge departments", "合并部门")),
    (DepartmentAction.SET_ACTIVE, ("deactivate or reactivate a department", "停用或启用部门")),
    (PrivacyAction.REVEAL_CONTACTS, ("reveal the complainant's contacts", "查看投诉人联系方式")),
    (PrivacyAction.FIND_BY_PHONE, ("find complaints by phone", "按来电号码查询投诉")),
    (SupervisionAction.URGE_DEPARTMENT, ("urge a department's overdue cases", "部门批量督办")),
    (SupervisionAction.DRAW_SAMPLE, ("draw the callback sample", "随机回访抽查")),
    (CollectorAction.SAVE_COLLECTOR, ("save a collector", "登记信息采集员")),
    (CollectorAction.BIND_GRIDS, ("bind responsibility grids", "划定责任网格")),
    (CollectorAction.UNBIND_GRIDS, ("unbind responsibility grids", "解除责任网格")),
    (CollectorAction.SET_DENSITY, ("set a patrol density", "设定巡查密度")),
    (CollectorAction.SET_GRID_TYPE, ("set the type of grids", "设定网格类型")),
    (AssessmentAction.RECORD, ("record an assessment entry", "录入考核")),
    (AssessmentAction.REVERSE, ("reverse an assessment entry", "冲销考核记录")),
    (AssessmentAction.SUGGEST, ("suggest assessment entries", "生成考核建议")),
    (AssessmentAction.DECIDE, ("decide an assessment suggestion", "处理考核建议")),
    (AssessmentAction.RANKING, ("read the assessment ranking", "查看考核排名")),
    (AssessmentAction.SETTINGS, ("change the assessment settings", "修改考核设置")),
    (StaffKind.USER, ("seat user", "坐席人员")),
    (StaffKind.COLLECTOR, ("collector", "信息采集员")),
    (RuleSection.BUDGET, ("budget", "预算")),
    (RuleSection.SAFETY, ("safety", "安全")),
    (RuleSection.BUSINESS, ("business", "业务分值")),
    (RuleSection.OVERALL, ("overall", "综合分值")),
    (RuleSection.BONUS, ("additions", "加分")),
    (RuleUnit.EACH, ("per occurrence", "每次")),
    (RuleUnit.POINT, ("per point deducted", "每扣1分")),
    (RuleUnit.TEN_YUAN, ("per ten yuan", "每十元")),
    (SettingsAction.STATISTICS_SETTINGS,
     ("change the statistics settings", "修改统计设置")),
    (ReplyMethod.PHONE, ("phone", "电话")),
    (ReplyMethod.PLATFORM, ("platform", "平台")),
    (ReplyMethod.SMS, ("SMS", "短信")),
    (Satisfaction.SATISFIED, ("satisfied", "满意")),
    (Satisfaction.BASICALLY_SATISFIED, ("basically satisfied", "基本满意")),
    (Satisfaction.DISSATISFIED, ("dissatisfied", "不满意")),
    # ---- What the intake takes in (采集接入)
    (IntakeKind.REPORT, ("collector's report", "采集员上报")),
    (IntakeKind.VERIFY_ANSWER, ("answer to a verification", "核实回复")),
    (IntakeKind.CHECK_ANSWER, ("answer to a check", "核查回复")),
)
_TERMS: dict[tuple[type[Enum], str], tuple[str, str]] = {
    (type(member), str(member.value)): names for member, names in _ROWS
}


def field_name(field: ActionField) -> str:
    """The validation messages' name of an action field (``original_id`` → ``original``):
    what the database names when it refuses the field."""
    return field.value.removesuffix("_id")


def terms_of(value: Enum) -> tuple[str, str]:
    """(English, 中文) of a glossary member; ``KeyError`` for a member nobody named."""
    if isinstance(value, ActionField):
        return messages.templates(f"field.{field_name(value)}")
    return _TERMS[(type(value), str(value.value))]


def term(value: Enum | None, lang: str | None = None) -> str:
    """The person's word for a domain enum member, in ``lang`` (``zh`` or ``en``; by
    default the language the person chose). Empty for None."""
    if value is None:
        return ""
    en, zh = terms_of(value)
    return en if (lang or messages.language()) == "en" else zh


def join(words: Iterable[str], lang: str | None = None) -> str:
    """Words as a list in running text: ``受理员、值班长`` / ``acceptor, shift leader``."""
    sep = ", " if (lang or messages.language()) == "en" else "、"
    return sep.join(words)



def approximate_count(n: int, lang: str | None = None) -> str:
    """An estimated count as a seat reads it, to two significant digits: ``约 12万`` /
    ``about 120,000``. Exact counts need no words: ``str(n)``."""
    rounded = round(n, 2 - len(str(n)))
    if (lang or messages.language()) == "en":
        return f"about {rounded:,}"
    shown = f"{rounded / 10_000:g}万" if n >= 10_000 else f"{rounded}"
    return f"约 {shown}"
