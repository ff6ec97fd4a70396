"""The domain words of seatdesk, in English for code and Chinese for people.

Every enum value is also the text stored in the database, so renaming a member is a
migration, not a refactoring.
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

    @property
    def zh(self) -> str:
        return _ROLE_ZH[self]


_ROLE_ZH = {
    Role.ACCEPTOR: "受理员",
    Role.SHIFT_LEADER: "值班长",
    Role.DISPATCHER: "派遣员",
    Role.INSPECTOR: "督查员",
    Role.MONITOR: "12319舆情监控",
    Role.DEPARTMENT: "专业部门",
    Role.ADMIN: "系统管理员",
}


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
    def zh(self) -> str:
        return _STATE_ZH[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.VOIDED, State.MERGED})

_STATE_ZH = {
    State.REPORTED: "待受理",
    State.VERIFYING: "核实中",
    State.VERIFIED: "已核实",
    State.UNVERIFIED: "核实不属实",
    State.PRE_REGISTERED: "已预立案",
    State.REGISTERED: "已立案",
    State.DISPATCHED: "已派遣",
    State.HANDLING: "处置中",
    State.HANDLED: "已处置",
    State.CHECKING: "核查中",
    State.CHECK_PASSED: "核查通过",
    State.CHECK_FAILED: "核查未通过",
    State.RETURN_REQUESTED: "回退待审批",
    State.RETURNED: "已回退",
    State.EXTENSION_REQUESTED: "延期待审批",
    State.POSTPONEMENT_REQUESTED: "缓办待审批",
    State.POSTPONED: "缓办中",
    State.CLOSED: "已结案",
    State.REJECTED: "不予立案",
    State.VOIDED: "已作废",
    State.MERGED: "已合并",
}


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

    @property
    def zh(self) -> str:
        return _ACTION_ZH[self]


_ACTION_ZH = {
    Action.REQUEST_VERIFY: "发起核实",
    Action.VERIFY_PASS: "核实属实",
    Action.VERIFY_FAIL: "核实不属实",
    Action.PRE_REGISTER: "预立案",
    Action.REJECT: "不予立案",
    Action.REGISTER: "立案",
    Action.SEND_BACK: "退回受理员",
    Action.DISPATCH: "派遣",
    Action.START_HANDLING: "开始处置",
    Action.REPORT_DONE: "处置反馈",
    Action.REQUEST_CHECK: "发起核查",
    Action.CHECK_PASS: "核查通过",
    Action.CHECK_FAIL: "核查未通过",
    Action.CLOSE: "结案",
    Action.REWORK: "返工",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.REQUEST_RETURN: "申请回退",
    Action.REQUEST_POSTPONEMENT: "申请缓办",
    Action.APPROVE: "批准",
    Action.DENY: "不批准",
    Action.RESUME: "恢复处置",
    Action.URGE: "督办",
    Action.VOID: "作废",
    Action.MERGE: "合并",
}

#: The action that opens a case; it is not a transition of the table because the case
#: does not exist yet, but it is audited like one.
CREATE_ACTION = "create"
#: Audited events that are not transitions: the scheduler's deadline flags and the
#: recomputation of deadlines after a calendar change. They never change the state.
FLAG_ACTION = "flag"
RECOMPUTE_ACTION = "deadline_recomputed"
SYSTEM_ACTIONS = frozenset({FLAG_ACTION, RECOMPUTE_ACTION})
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

    @property
    def zh(self) -> str:
        return _SOURCE_ZH[self]


_SOURCE_ZH = {
    Source.COLLECTOR: "信息采集员",
    Source.HOTLINE_12319: "12319热线",
    Source.MAYOR_MAILBOX: "市长信箱",
    Source.ONLINE: "网络平台",
    Source.MEDIA: "媒体曝光",
    Source.WALK_IN: "来访来电",
    Source.INSPECTION: "领导督查",
}


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

    @property
    def zh(self) -> str:
        return _STAGE_ZH[self]


#: The stages whose limits are the centre's own (the time_limits table).
CENTRE_STAGES = (Stage.VERIFY, Stage.REGISTER, Stage.DISPATCH, Stage.CHECK, Stage.CLOSE)

_STAGE_ZH = {
    Stage.VERIFY: "核实",
    Stage.REGISTER: "立案",
    Stage.DISPATCH: "派遣",
    Stage.HANDLING: "处置",
    Stage.CHECK: "核查",
    Stage.CLOSE: "结案",
}


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
