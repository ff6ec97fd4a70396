"""The domain words of seatdesk, in English for code.

Every enum value is also the text stored in the database, so renaming a member is a
migration, not a refactoring. Their names for people (Chinese and English) are in one
table, ``seatdesk.terms``; a new member gets its terms there (a test checks every one).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A seat role. Each is also a PostgreSQL group role of the database, named by the
    database's ``seatdesk_group(role)`` (``seatdesk_<value>`` in the database named
    seatdesk)."""

    ACCEPTOR = "acceptor"
    SHIFT_LEADER = "shift_leader"
    DISPATCHER = "dispatcher"
    INSPECTOR = "inspector"
    MONITOR = "monitor"
    DEPARTMENT = "department"
    ADMIN = "admin"
    #: The headless intake service (``seatdesk intake``): it creates collectors' reports
    #: and records their answers to verify/check tasks, and nothing else.
    INTAKE = "intake"


#: Roles whose logins are services, not people at a seat: they have no desk (the intake
#: writes through ``seatdesk intake`` and reads nothing a desk would show).
HEADLESS_ROLES: frozenset[Role] = frozenset({Role.INTAKE})


class State(StrEnum):
    """Where a case stands in the loop

    信息收集 → 案卷建立 → 任务派遣 → 任务处理 → 处理反馈 → 核查结案.
    """

    REPORTED = "reported"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    PRE_REGISTERED = "pre_registered"
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    HANDLING = "handling"
    HANDLED = "handled"
    CHECKING = "checking"
    CHECK_PASSED = "check_passed"
    CHECK_FAILED = "check_failed"
    RETURN_REQUESTED = "return_requested"
    RETURNED = "returned"
    EXTENSION_REQUESTED = "extension_requested"
    POSTPONEMENT_REQUESTED = "postponement_requested"
    POSTPONED = "postponed"
    CLOSED = "closed"
    REJECTED = "rejected"
    VOIDED = "voided"
    MERGED = "merged"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.VOIDED, State.MERGED})


class Action(StrEnum):
    """A step a seat takes on a case; each is one service function."""

    REQUEST_VERIFY = "request_verify"
    VERIFY_PASS = "verify_pass"
    VERIFY_FAIL = "verify_fail"
    PRE_REGISTER = "pre_register"
    REJECT = "reject"
    REGISTER = "register"
    SEND_BACK = "send_back"
    DISPATCH = "dispatch"
    START_HANDLING = "start_handling"
    REPORT_DONE = "report_done"
    REQUEST_CHECK = "request_check"
    CHECK_PASS = "check_pass"
    CHECK_FAIL = "check_fail"
    CLOSE = "close"
    REWORK = "rework"
    REQUEST_EXTENSION = "request_extension"
    REQUEST_RETURN = "request_return"
    REQUEST_POSTPONEMENT = "request_postponement"
    APPROVE = "approve"
    DENY = "deny"
    RESUME = "resume"
    URGE = "urge"
    VOID = "void"
    MERGE = "merge"


#: The action that opens a case; it is not a transition of the table because the case
#: does not exist yet, but it is audited like one.
CREATE_ACTION = "create"
#: Audited events that are not transitions: the scheduler's deadline flags, the
#: recomputation of deadlines after a calendar change, and a collector's answer to a
#: verify/check task taken in by the intake (the acceptor then decides with it). They
#: never change the state nor the case's version.
FLAG_ACTION = "flag"
RECOMPUTE_ACTION = "deadline_recomputed"
ANSWER_ACTION = "collector_answer"
SYSTEM_ACTIONS = frozenset({FLAG_ACTION, RECOMPUTE_ACTION, ANSWER_ACTION})
#: The actor of what the database does by itself (the sweep's flags), whoever's desk
#: happened to run it.
SYSTEM_ACTOR = "system"


class Source(StrEnum):
    """Where a report came from (问题来源)."""

    COLLECTOR = "collector"
    HOTLINE_12319 = "hotline_12319"
    MAYOR_MAILBOX = "mayor_mailbox"
    ONLINE = "online"
    MEDIA = "media"
    WALK_IN = "walk_in"
    INSPECTION = "inspection"
    CITY_PLATFORM = "city_platform"


class CaseType(StrEnum):
    COMPONENT = "component"  # 部件
    EVENT = "event"  # 事件


class Urgency(StrEnum):
    ORDINARY = "ordinary"  # 一般
    URGENT = "urgent"  # 紧急


class DeadlineStatus(StrEnum):
    NORMAL = "normal"  # 正常
    WARNING = "warning"  # 黄灯
    OVERDUE = "overdue"  # 红灯


class TimeUnit(StrEnum):
    """Units of a time limit; see seatdesk.domain.deadlines for the arithmetic."""

    EMERGENCY_HOURS = "emergency_hours"  # 紧急工作时: round the clock
    WORKING_HOURS = "working_hours"  # 工作时
    WORKING_DAYS = "working_days"  # 工作日
    NATURAL_DAYS = "natural_days"  # 自然日
    NATURAL_HOURS = "natural_hours"  # the centre's own stage limits


class Stage(StrEnum):
    """The stages of a case that run against a clock.

    The centre's own stages (verify, register, dispatch, check, close) take their limits
    from the ``time_limits`` table; handling takes the limit of the case's filing
    condition (立案条件).
    """

    VERIFY = "verify"  # 核实
    REGISTER = "register"  # 受理立案
    DISPATCH = "dispatch"  # 派遣
    HANDLING = "handling"  # 处置
    CHECK = "check"  # 核查
    CLOSE = "close"  # 结案


#: The stages whose limits are the centre's own (the time_limits table).
CENTRE_STAGES = (Stage.VERIFY, Stage.REGISTER, Stage.DISPATCH, Stage.CHECK, Stage.CLOSE)


class AttachmentStep(StrEnum):
    REPORT = "report"
    VERIFY = "verify"
    HANDLING = "handling"
    CHECK = "check"


class RejectReason(StrEnum):
    """The reasons a report may be refused (不予立案)."""

    OUT_OF_SCOPE = "out_of_scope"  # 不属于城管范围
    DUPLICATE = "duplicate"  # 重复上报
    FALSE_REPORT = "false_report"  # 虚假上报
    INSUFFICIENT_INFORMATION = "insufficient_information"  # 信息不全


class ActionField(StrEnum):
    """What an action's call carries besides its note and photos (the requirement table
    in ``seatdesk.domain.workflow`` says which action needs which). The value is the key
    of the argument the database function reads."""

    DEPARTMENT = "department"  # 处置部门
    REASON = "reason"  # 不予立案原因
    RESUME_ON = "resume_on"  # 恢复日期
    ORIGINAL = "original_id"  # 原案卷
    FILING_CONDITION = "filing_condition_id"  # 立案条件
    COLLECTOR = "collector"  # 核实/核查的信息采集员
    REPLY = "reply"  # 采集员的答复


class ComplaintChannel(StrEnum):
    """How a complaint (群众投诉) reached the centre; ``COMPLAINT_SOURCE`` in
    ``seatdesk.domain.complaints`` gives the case source of each."""

    HOTLINE_12319 = "hotline_12319"  # 12319热线
    MAYORS_MAILBOX = "mayors_mailbox"  # 市长信箱
    ONLINE_PLATFORM = "online_platform"  # 网络平台/论坛
    MEDIA = "media"  # 媒体
    CITY_PLATFORM = "city_platform"  # 市平台转办
    WALK_IN = "walk_in"  # 来访


class ComplaintState(StrEnum):
    """Where a complaint stands: new, then a case (linked) or another agency's
    (forwarded); the linked case closed (awaiting_reply); replied; called back."""

    NEW = "new"
    LINKED = "linked"
    FORWARDED = "forwarded"
    AWAITING_REPLY = "awaiting_reply"
    REPLIED = "replied"
    CALLED_BACK = "called_back"


class ComplaintAction(StrEnum):
    """A step of a complaint, as its audit event and a refusal name it."""

    CREATE = "create"  # 登记
    TO_CASE = "to_case"  # 立案
    LINK = "link"  # 关联案卷
    FORWARD = "forward"  # 转办
    REPLY = "reply"  # 答复
    CALLBACK = "callback"  # 回访
    CASE_ENDED = "case_ended"  # the system: the linked case ended
    CASE_MERGED = "case_merged"  # the system: the linked case was merged
    REOPEN = "reopen"  # 不满意重办: the shift leader reopened its case (migration 0014)


class CaseEventAction(StrEnum):
    """A case event that is not a step of the workflow table: a closed case reopened to
    rework (返工) by the shift leader after a 不满意 callback of one of its complaints
    (``seatdesk_reopen_for_complaint``, migration 0014). ``closed`` stays final in the
    table; ``seatdesk.domain.workflow.REOPEN`` says where the reopened case goes."""

    REOPEN_FOR_COMPLAINT = "reopen_for_complaint"  # 投诉不满意重办
    # An admin merged the case's department into another (migration 0029): the open
    # case follows to the target; its state does not change.
    DEPARTMENT_MERGED = "department_merged"  # 部门合并移交


class PrivacyAction(StrEnum):
    """Reading a complainant's personal data (migration 0014): only the monitor and the
    admin may, and each reveal is audited in ``personal_data_reads``, committed before
    anything is shown, and limited per person (migration 0019)."""

    REVEAL_CONTACTS = "reveal_contacts"  # 查看投诉人联系方式
    FIND_BY_PHONE = "find_by_phone"  # 按来电号码查询投诉


class SupervisionAction(StrEnum):
    """What the inspector (督查员) does beyond the workflow table (migration 0024): urge
    every overdue case of one department at once, and draw the callback sample."""

    URGE_DEPARTMENT = "urge_department"  # 部门批量督办
    DRAW_SAMPLE = "draw_sample"  # 随机回访抽查


class DepartmentAction(StrEnum):
    """What the admin does to the departments (migration 0029)."""

    ADD = "add"  # 新增部门
    RENAME = "rename"  # 部门更名
    MERGE = "merge"  # 部门合并
    SET_ACTIVE = "set_active"  # 停用或启用部门


class CollectorAction(StrEnum):
    """What the administrator does to the collectors' register, their responsibility
    grids and the patrol densities (migration 0031)."""

    SAVE_COLLECTOR = "save_collector"  # 登记/修改信息采集员
    BIND_GRIDS = "bind_grids"  # 划定责任网格
    UNBIND_GRIDS = "unbind_grids"  # 解除责任网格
    SET_DENSITY = "set_density"  # 设定巡查密度
    SET_GRID_TYPE = "set_grid_type"  # 设定网格类型
class AssessmentAction(StrEnum):
    """What a manager does in the staff assessment (考核, migration 0032)."""

    RECORD = "record"  # 录入考核
    REVERSE = "reverse"  # 冲销考核记录
    SUGGEST = "suggest"  # 生成考核建议
    DECIDE = "decide"  # 处理考核建议
    RANKING = "ranking"  # 查看考核排名
    SETTINGS = "settings"  # 修改考核设置


class StaffKind(StrEnum):
    """Who is assessed (考核, migration 0032): a seat user (by login) or a field
    collector (by the collector id the intake uses)."""

    USER = "user"
    COLLECTOR = "collector"


class RuleSection(StrEnum):
    """The document's headings: 预算, 安全, 业务分值, 综合分值, 加分."""

    BUDGET = "budget"
    SAFETY = "safety"
    BUSINESS = "business"
    OVERALL = "overall"
    BONUS = "bonus"


class RuleUnit(StrEnum):
    """What one count of a rule is: an occurrence, a point deducted by a check, or ten
    yuan over the budget."""

    EACH = "each"
    POINT = "point"
    TEN_YUAN = "ten_yuan"


class SettingsAction(StrEnum):
    """Changing a centre-wide setting through a function of its own (migration 0022: the
    statistics settings, by an admin or an inspector)."""

    STATISTICS_SETTINGS = "statistics_settings"  # 修改统计设置


class ReplyMethod(StrEnum):
    """How the complainant was answered."""

    PHONE = "phone"
    PLATFORM = "platform"
    SMS = "sms"


class Satisfaction(StrEnum):
    """The complainant's verdict at the callback (回访)."""

    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意


class IntakeKind(StrEnum):
    """What an item the intake takes in is: a collector's report (a new case), or a
    collector's answer to a verification (核实) or a check (核查) task."""

    REPORT = "report"
    VERIFY_ANSWER = "verify_answer"
    CHECK_ANSWER = "check_answer"
