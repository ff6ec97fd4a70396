"""Each workflow action wired to its service call, explicitly and typed.

A dialog, the tests and any other caller that holds an action as data fills one
``ActionInput`` (what the requirement table ``workflow.NEEDS`` asks for) and calls
``perform``; ``ACTION_CALLS`` says which function of ``seatdesk.services.cases`` each
action calls with which arguments. No name is looked up at run time: a new action gets
its row here and its row in ``workflow.NEEDS`` (a test checks both exist for every
action).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatdesk.db.models import CentreSetting
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, ActionField, RejectReason
from seatdesk.errors import ValidationError
from seatdesk.services import cases, collectors
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.photos import Photo
from seatdesk.terms import field_name


@dataclass(frozen=True, slots=True)
class ActionInput:
    """Everything an action's call may carry; each action reads what its row needs."""

    note: str | None = None
    photos: tuple[Photo, ...] = ()
    department: str | None = None
    reason: RejectReason | None = None
    resume_on: date | None = None
    original_id: CaseId | None = None
    filing_condition_id: int | None = None
    collector: str | None = None
    reply: str | None = None


T = TypeVar("T")

#: (session, case id, expected version, input) → the change.
ActionCall = Callable[[Session, CaseId, int, ActionInput], ChangeSet]


def _given(value: T | None, field: ActionField) -> T:
    """A required argument, or the validation error the database would give."""
    if value is None:
        raise ValidationError(field_name(field), "required")
    return value


def _text(value: str | None, field: ActionField) -> str:
    if value is None or not value.strip():
        raise ValidationError(field_name(field), "required")
    return value.strip()


def _to_collector(service: Callable[..., ChangeSet]) -> ActionCall:
    """发起核实 or 发起核查: the action names the field collector who goes; named by
    nobody, the task goes to the collector responsible for the case's grid (migration
    0031), and with none there it is refused as before (the collector is required)."""

    def run(s: Session, c: CaseId, v: int, i: ActionInput) -> ChangeSet:
        named = i.collector if i.collector and i.collector.strip() else None
        if named is None:
            named = collectors.default_collector(s, c)
        return service(s, case_id=c, expected_version=v,
                       collector=_text(named, ActionField.COLLECTOR), note=i.note)

    return run


def _collector_reply(service: Callable[..., ChangeSet]) -> ActionCall:
    """核实 or 核查 pass/fail: the collector's reply with its photos."""
    return lambda s, c, v, i: service(
        s, case_id=c, expected_version=v, reply=_text(i.reply, ActionField.REPLY),
        photos=list(i.photos), note=i.note,
    )


F = ActionField
A = Action

ACTION_CALLS: Mapping[Action, ActionCall] = {
    A.REQUEST_VERIFY: _to_collector(cases.request_verify),
    A.VERIFY_PASS: _collector_reply(cases.verify_pass),
    A.VERIFY_FAIL: _collector_reply(cases.verify_fail),
    A.PRE_REGISTER: lambda s, c, v, i: cases.pre_register(
        s, case_id=c, expected_version=v, filing_condition_id=i.filing_condition_id,
        note=i.note,
    ),
    A.REJECT: lambda s, c, v, i: cases.reject(
        s, case_id=c, expected_version=v, reason=_given(i.reason, F.REASON), note=i.note
    ),
    A.REGISTER: lambda s, c, v, i: cases.register(s, case_id=c, expected_version=v,
                                                   note=i.note),
    A.SEND_BACK: lambda s, c, v, i: cases.send_back(
        s, case_id=c, expected_version=v, note=i.note or ""
    ),
    A.DISPATCH: lambda s, c, v, i: cases.dispatch(
        s, case_id=c, expected_version=v, department=_text(i.department, F.DEPARTMENT),
        note=i.note,
    ),
    A.START_HANDLING: lambda s, c, v, i: cases.start_handling(
        s, case_id=c, expected_version=v, note=i.note
    ),
    A.REPORT_DONE: lambda s, c, v, i: cases.report_done(
        s, case_id=c, expected_version=v, note=i.note or "", photos=list(i.photos)
    ),
    A.REQUEST_CHECK: _to_collector(cases.request_check),
    A.CHECK_PASS: _collector_reply(cases.check_pass),
    A.CHECK_FAIL: _collector_reply(cases.check_fail),
    A.CLOSE: lambda s, c, v, i: cases.close(s, case_id=c, expected_version=v, note=i.note),
    A.REWORK: lambda s, c, v, i: cases.rework(
        s, case_id=c, expected_version=v, note=i.note or ""
    ),
    A.REQUEST_EXTENSION: lambda s, c, v, i: cases.request_extension(
        s, case_id=c, expected_version=v, note=i.note or ""
    ),
    A.REQUEST_RETURN: lambda s, c, v, i: cases.request_return(
        s, case_id=c, expected_version=v, note=i.note or ""
    ),
    A.REQUEST_POSTPONEMENT: lambda s, c, v, i: cases.request_postponement(
        s, case_id=c, expected_version=v, resume_on=_given(i.resume_on, F.RESUME_ON),
        note=i.note or "",
    ),
    A.APPROVE: lambda s, c, v, i: cases.approve(s, case_id=c, expected_version=v,
                                                 note=i.note),
    A.DENY: lambda s, c, v, i: cases.deny(s, case_id=c, expected_version=v, note=i.note or ""),
    A.RESUME: lambda s, c, v, i: cases.resume(s, case_id=c, expected_version=v, note=i.note),
    # 督办 does not change the case: no version to expect.
    A.URGE: lambda s, c, v, i: cases.urge(s, case_id=c, note=i.note or ""),
    A.VOID: lambda s, c, v, i: cases.void(s, case_id=c, expected_version=v, note=i.note or ""),
    A.MERGE: lambda s, c, v, i: cases.merge(
        s, case_id=c, expected_version=v, original_id=_given(i.original_id, F.ORIGINAL),
        note=i.note,
    ),
}


def perform(
    session: Session,
    action: Action,
    *,
    case_id: CaseId,
    expected_version: int,
    given: ActionInput,
) -> ChangeSet:
    """Take ``action`` on the case with what ``given`` carries."""
    return ACTION_CALLS[action](session, case_id, expected_version, given)


def photo_required(session: Session, action: Action) -> bool:
    """Whether ``action`` needs a photo now: its row says so, and the centre setting
    that may waive it (``require_result_photo`` for 处置反馈) is not off. The dialog asks
    this to say so before sending; the database decides again."""
    needs = workflow.needs(action)
    if not needs.photo:
        return False
    if needs.photo_setting is None:
        return True
    value = session.execute(
        select(CentreSetting.value).where(CentreSetting.key == needs.photo_setting)
    ).scalar_one_or_none()
    return value is not False
