"""The printed case sheet's HTML: the case's facts, its timeline with notes and who
by name, in Chinese, with nothing of the case read as markup."""

from __future__ import annotations

from seatdesk.domain.glossary import Action, Role
from seatdesk.services import cases, photos, queues
from seatdesk.services.case_sheet import case_sheet_html
from seatdesk.terms import term
from tests.core.conftest import Desk


def test_the_sheet_holds_the_case_and_its_timeline(desk: Desk) -> None:
    case_id = desk.new_case(description="井盖<缺失> & 路面塌陷", address="人民路12号")
    with desk.as_(Role.ACCEPTOR) as s:
        cases.request_verify(
            s, case_id=case_id, expected_version=1, collector="王采集", note="请核实现场"
        )
        case = queues.get_case(s, case_id)
        events = queues.timeline(s, case_id)
        shots = photos.list_photos(s, case_id)
    html = case_sheet_html(case, events, shots, department_name=None)
    name = desk.scalar("SELECT display_name FROM users WHERE login = 'acceptor1'")
    for part in (
        "案卷编号", case.number, case.category_code, case.category_name, "人民路12号",
        "单元网格", case.grid_code or "", "办理过程", name, term(Action.REQUEST_VERIFY, "zh"),
        "意见：信息采集员：王采集；请核实现场", "新建", f"photo:{shots[0].id}",
    ):
        assert part in html, part
    assert "井盖&lt;缺失&gt; &amp; 路面塌陷" in html and "<缺失>" not in html
    assert events[-1].actor_name == name
