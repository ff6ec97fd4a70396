"""The case sheet (案卷单: 立案/派遣单) to print or save as PDF: number, category,
description, address, grid, department, deadline, photos and the timeline, as HTML.

Pure formatting over what the desk already read (no database, no Qt): the desk lays
the HTML out in a ``QTextDocument`` and prints it; the words come from
``seatdesk.messages``, so the sheet speaks Chinese like the exports. Photos are
referred to as ``photo:<id>`` images, which the caller supplies (the desk adds the
thumbnails it holds to the document as resources).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from seatdesk import messages
from seatdesk.domain.glossary import (
    ANSWER_ACTION,
    CREATE_ACTION,
    FLAG_ACTION,
    RECOMPUTE_ACTION,
    SYSTEM_ACTOR,
    Action,
    CaseEventAction,
)
from seatdesk.services.photos import PhotoInfo
from seatdesk.services.queues import CaseDetail, TimelineEvent
from seatdesk.terms import term

_SYSTEM_ACTIONS = {
    CREATE_ACTION: "sheet.action.create",
    FLAG_ACTION: "sheet.action.flag",
    RECOMPUTE_ACTION: "sheet.action.recompute",
    ANSWER_ACTION: "sheet.action.collector_answer",
}


def photo_name(photo: PhotoInfo) -> str:
    """The image name a photo has in the sheet's HTML."""
    return f"photo:{photo.id}"


def action_text(action: str) -> str:
    """The person's word for a timeline event's action (seat actions and the system's)."""
    if action in Action.__members__.values():
        return term(Action(action))
    if action in CaseEventAction.__members__.values():
        return term(CaseEventAction(action))
    key = _SYSTEM_ACTIONS.get(action)
    return messages.t(key) if key else action


def actor_text(event: TimelineEvent) -> str:
    """Who did it: the display name, the login without one, the system in words."""
    if event.actor == SYSTEM_ACTOR:
        return messages.t("sheet.system")
    return event.actor_name or event.actor


def case_sheet_html(
    case: CaseDetail,
    events: Sequence[TimelineEvent],
    photos: Sequence[PhotoInfo] = (),
    *,
    department_name: str | None = None,
    printed_at: datetime | None = None,
) -> str:
    """The sheet of one case as HTML (Qt's rich-text subset: tables, no CSS layout)."""
    t = messages.t
    e = escape
    location = (
        f"{case.longitude:.6f}, {case.latitude:.6f}"
        if case.longitude is not None and case.latitude is not None
        else ""
    )
    fields = [
        ("sheet.number", case.number),
        ("sheet.state", term(case.state)),
        ("sheet.source", term(case.source)),
        ("sheet.type", term(case.case_type)),
        ("sheet.category", f"{case.category_code} {case.category_name}"),
        ("sheet.urgency", term(case.urgency)),
        ("sheet.address", case.address),
        ("sheet.location", location),
        ("sheet.grid", case.grid_code or ""),
        ("sheet.reporter", " ".join(x for x in (case.reporter, case.reporter_phone) if x)),
        ("sheet.department", department_name or case.current_department or ""),
        ("sheet.deadline", _time(case.stage_deadline)),
        ("sheet.deadline_status", term(case.deadline_status)),
        ("sheet.reported", _time(case.created_at)),
    ]
    cell = 'style="border: 1px solid #444; padding: 4px;"'
    head = f'{cell} bgcolor="#eeeeee" width="18%"'
    out = [
        "<html><head><meta charset='utf-8'></head><body>",
        f"<h2 align='center'>{e(t('sheet.title'))}</h2>",
        f"<p align='right'>{e(t('sheet.printed', when=_time(printed_at or datetime.now().astimezone())))}</p>",  # noqa: E501
        '<table width="100%" cellspacing="0" cellpadding="4" border="1">',
    ]
    for i in range(0, len(fields), 2):
        row = fields[i : i + 2]
        out.append("<tr>")
        for key, value in row:
            out.append(f"<td {head}><b>{e(t(key))}</b></td><td {cell}>{e(value)}</td>")
        if len(row) == 1:
            out.append(f"<td {head}></td><td {cell}></td>")
        out.append("</tr>")
    out.append(
        f"<tr><td {head}><b>{e(t('sheet.description'))}</b></td>"
        f"<td {cell} colspan='3'>{e(case.description)}</td></tr>"
    )
    out.append("</table>")
    if photos:
        out.append(f"<h3>{e(t('sheet.photos'))}</h3><p>")
        for photo in photos:
            caption = f"{term(photo.step)} · {photo.filename}"
            out.append(
                f"<img src='{photo_name(photo)}' width='160' alt='{e(caption)}'> "
            )
        out.append("</p>")
    out.append(f"<h3>{e(t('sheet.timeline'))}</h3>")
    out.append('<table width="100%" cellspacing="0" cellpadding="4" border="1">')
    out.append(
        "<tr>"
        + "".join(
            f"<th {head}>{e(t(key))}</th>"
            for key in ("sheet.when", "sheet.who", "sheet.action", "sheet.to_state")
        )
        + "</tr>"
    )
    for event in events:
        out.append(
            f"<tr><td {cell}>{e(_time(event.at))}</td><td {cell}>{e(actor_text(event))}</td>"
            f"<td {cell}>{e(action_text(event.action))}</td>"
            f"<td {cell}>{e(term(event.to_state))}</td></tr>"
        )
        # The collector and reply of a verification or check belong on paper too.
        details = event.details()
        if details:
            out.append(
                f"<tr><td {cell}></td><td {cell} colspan='3'>"
                f"{e(t('sheet.note'))}{e(details)}</td></tr>"
            )
    out.append("</table></body></html>")
    return "\n".join(out)


def _time(when: datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when is not None else ""
