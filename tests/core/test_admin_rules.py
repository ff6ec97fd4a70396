"""The centre's rules as the admin edits them (migration 0030): the standard sheet's
preview and its one-transaction apply, classes, conditions and stage limits through
the database's functions, the audit, refusals over raw SQL, the December banner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.db.engine import ServerAddress, connect
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import CaseType, Role, Stage, TimeUnit, Urgency
from seatdesk.errors import PermissionDenied, Problem, ValidationError
from seatdesk.services import calendar, catalogue, intake, rules, standards
from seatdesk.services.calendar import ScheduleDay
from seatdesk.services.standard_preview import RowChange, apply_preview, preview_standard
from tests.core.conftest import LOGIN, Desk


def _department_name(desk: Desk, code: str) -> str:
    return str(desk.scalar("SELECT name FROM departments WHERE code = :c", c=code))


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(standards.HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _hand_made(desk: Desk, tmp_path: Path) -> Path:
    """0101 上水井盖 as the demo has it (4 conditions), edited by hand: condition 1 as
    it is, condition 2's limit 4工作时 → 6工作时, a fifth condition, a limit nobody can
    read and a minor class put under another major class."""
    sw, zfj = _department_name(desk, "SW"), _department_name(desk, "ZFJ")
    head = ["01", "市政公用设施", "0101", "上水井盖", sw, zfj]
    return _sheet(tmp_path / "hand.xlsx", [
        [*head, "井盖丢失、移位或破损，存在安全隐患", "井盖补齐或复位，隐患消除", "2紧急工作时"],
        [*head, "井盖破损面积超过25平方厘米", "破损井盖更换完毕", "6工作时"],
        [*head, "井盖松动、翻转或有响声", "井盖稳固无响声", "两天"],
        ["01", "市政公用设施", "0299", "错位", sw, zfj, "某条件", "某结案", "1工作日"],
    ])


def test_the_preview_classifies_every_row_and_names_each_bad_one(
    desk: Desk, tmp_path: Path
) -> None:
    path = _hand_made(desk, tmp_path)
    with desk.as_(Role.ADMIN) as s:
        preview = preview_standard(s, path, "component")
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].change is RowChange.UNCHANGED
    assert by_row[3].change is RowChange.CHANGED
    assert [(c.field, c.old, c.new) for c in by_row[3].changes] == [
        ("field.limit_amount", "4工作时", "6工作时")]
    assert [b.row for b in preview.bad] == [4, 5]
    assert "4" in preview.bad[0].sentence() and "两天" in preview.bad[0].sentence()
    assert "0299" in preview.bad[1].sentence()
    assert not preview.can_apply
    # A preview with bad rows is never applied, and the preview wrote nothing.
    with desk.as_(Role.ADMIN) as s, pytest.raises(Problem):
        apply_preview(s, preview)
    cat, _ = desk.category()
    assert catalogue.filing_conditions(desk.session, cat)[1].limit_amount == Decimal(4)


def test_a_good_sheet_is_applied_audited_and_a_fifth_condition_added(
    desk: Desk, tmp_path: Path
) -> None:
    sw, zfj = _department_name(desk, "SW"), _department_name(desk, "ZFJ")
    head = ["01", "市政公用设施", "0101", "上水井盖", sw, zfj]
    rows = [
        [*head, "井盖丢失、移位或破损，存在安全隐患", "井盖补齐或复位，隐患消除", "2紧急工作时"],
        [*head, "井盖破损面积超过25平方厘米", "破损井盖更换完毕", "6工作时"],
        [*head, "井盖松动、翻转或有响声", "井盖稳固无响声", "2工作日"],
        [*head, "井盖周边下沉，高差超过2厘米", "井周修复平整", "5工作日"],
        [*head, "井盖标识不清", "标识清晰", "3工作日"],
    ]
    path = _sheet(tmp_path / "good.xlsx", rows)
    with desk.as_(Role.ADMIN) as s:
        preview = preview_standard(s, path, "component")
        assert (preview.count(RowChange.UNCHANGED), preview.count(RowChange.CHANGED),
                preview.count(RowChange.ADDED)) == (3, 1, 1)
        assert preview.can_apply
        apply_preview(s, preview)
    cat, _ = desk.category()
    conditions = catalogue.filing_conditions(desk.session, cat)
    assert [(c.seq, c.limit_amount) for c in conditions][1] == (2, Decimal(6))
    assert conditions[4].description == "井盖标识不清"
    audited = desk.session.execute(text(
        "SELECT actor, action FROM rules_events WHERE subject = 'filing_conditions' "
        "ORDER BY id DESC LIMIT 2")).all()
    assert [tuple(r) for r in audited] == [("admin1", "insert"), ("admin1", "update")]


def test_classes_the_catalogue_lacks_come_with_the_sheet(desk: Desk, tmp_path: Path) -> None:
    """A new centre's catalogue starts empty: a class the sheet names is previewed as
    new and added with its conditions, audited; one it does not name is a bad row."""
    sw = _department_name(desk, "SW")
    named = ["09", "新大类", "0901", "新小类", sw, "", "某条件", "某结案", "1工作日"]
    unnamed = ["09", "新大类", "0902", "", sw, "", "另一条件", "某结案", "2工作日"]
    path = _sheet(tmp_path / "new.xlsx", [unnamed])  # (an empty cell under a name repeats it)
    with desk.as_(Role.ADMIN) as s:
        preview = preview_standard(s, path, "component")
    assert [(b.row, b.key) for b in preview.bad] == [(2, "rules.row_class_unnamed")]
    assert "0902" in preview.bad[0].sentence()
    path = _sheet(tmp_path / "new.xlsx", [named])
    with desk.as_(Role.ADMIN) as s:
        preview = preview_standard(s, path, "component")
        assert preview.new_classes == (("09", "新大类", None), ("0901", "新小类", "09"))
        assert [(r.change, r.minor_name) for r in preview.rows] == [(RowChange.ADDED, "新小类")]
        assert desk.scalar("SELECT count(*) FROM categories WHERE code = '0901'") == 0
        apply_preview(s, preview)
    assert desk.scalar("SELECT p.name FROM categories c JOIN categories p ON p.id = c.parent_id "
                       "WHERE c.case_type = 'component' AND c.code = '0901'") == "新大类"
    cat = desk.scalar("SELECT id FROM categories WHERE case_type = 'component' AND code = '0901'")
    assert [c.description for c in catalogue.filing_conditions(desk.session, cat)] == ["某条件"]
    assert desk.scalar("SELECT count(*) FROM rules_events WHERE subject = 'categories' "
                       "AND actor = 'admin1' AND new_row ->> 'code' IN ('09', '0901')") == 2


def test_the_apply_is_one_transaction(desk: Desk, tmp_path: Path) -> None:
    """The database refuses the sheet's last row (a department deactivated after the
    preview): the changed first row is not written either."""
    sw, zfj = _department_name(desk, "SW"), _department_name(desk, "ZFJ")
    head = ["01", "市政公用设施", "0101", "上水井盖"]
    path = _sheet(tmp_path / "two.xlsx", [
        [*head, sw, zfj, "井盖丢失、移位或破损，存在安全隐患", "井盖补齐或复位，隐患消除",
         "9紧急工作时"],
        [*head, "不存在的单位", zfj, "井盖破损面积超过25平方厘米", "破损井盖更换完毕", "6工作时"],
    ])
    good, _bad = standards.read_standard_rows(path)
    with desk.as_(Role.ADMIN) as s, pytest.raises(ValidationError) as err:
        standards.apply_rows(s, good, "component")
    assert err.value.field == "department"
    cat, _ = desk.category()
    assert catalogue.filing_conditions(desk.session, cat)[0].limit_amount == Decimal(2)


def test_classes_conditions_and_limits_go_through_the_functions(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        rules.save_class(s, case_type=CaseType.COMPONENT, code="0198", name="测试小类",
                         major_code="01")
        new_id = int(s.execute(text(
            "SELECT id FROM categories WHERE case_type = 'component' AND code = '0198'"
        )).scalar_one())
        rules.save_condition(s, category_id=new_id, seq=None, description="测试条件",
                             amount=Decimal(3), unit=TimeUnit.WORKING_DAYS, closing="已处置",
                             handling="SW", supervising=None)
        rules.set_stage_limit(s, Stage.DISPATCH, Urgency.URGENT, Decimal("0.5"),
                              TimeUnit.WORKING_HOURS)
        rules.save_class(s, case_type=CaseType.COMPONENT, code="0198", name="测试小类",
                         major_code="01", active=False)
    found = {c.code: c for c in rules.classes(desk.session, CaseType.COMPONENT)}
    assert (found["0198"].active, found["0198"].conditions) == (False, 1)
    limits = {(x.stage, x.urgency): x for x in rules.stage_limits(desk.session)}
    assert limits[(Stage.DISPATCH, Urgency.URGENT)].amount == Decimal("0.5")
    subjects = {e.subject for e in rules.rules_events(desk.session, limit=5)}
    assert {"categories", "filing_conditions", "time_limits"} <= subjects
    # Bad values are named; a code outside its major class too.
    with desk.as_(Role.ADMIN) as s, pytest.raises(ValidationError) as err:
        rules.save_class(s, case_type=CaseType.COMPONENT, code="0298", name="x",
                         major_code="01")
    assert err.value.field == "class_code" and "01" in str(err.value)
    with desk.as_(Role.ADMIN) as s, pytest.raises(ValidationError) as err:
        rules.set_stage_limit(s, Stage.CHECK, Urgency.ORDINARY, Decimal(0),
                              TimeUnit.WORKING_HOURS)
    assert err.value.field == "limit_amount"
    with desk.as_(Role.DISPATCHER) as s, pytest.raises(PermissionDenied):
        rules.set_stage_limit(s, Stage.CHECK, Urgency.ORDINARY, Decimal(1),
                              TimeUnit.WORKING_HOURS)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE time_limits SET amount = 1",
        "UPDATE filing_conditions SET limit_amount = 99",
        "INSERT INTO categories (case_type, code, name) VALUES ('component', '98', 'x')",
        "DELETE FROM open311_services",
        "INSERT INTO rules_events (actor, subject, action, key) VALUES ('x', 'x', 'insert', 'x')",
        "SELECT seatdesk_set_time_limit('check', 'ordinary', 1, 'working_hours')",
        "SELECT seatdesk_apply_standard('component', '[]')",
        "SELECT seatdesk_set_calendar_day('2026-12-24', false, 'x')",
    ],
)
def test_a_seat_login_is_refused_the_direct_write(
    server: ServerAddress, seeded: DemoResult, sql: str
) -> None:
    """Over a real login, as psql would: the dispatcher writes none of the rules."""
    login = LOGIN[Role.DISPATCHER]
    engine = connect(server.for_login(login, seeded.passwords[login]))
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as err:
            conn.execute(text(sql))
        assert getattr(err.value.orig, "pgcode", None) in ("42501", "SD403")
    finally:
        engine.dispose()


def test_an_admin_login_writes_the_rules_only_through_the_functions(
    server: ServerAddress, seeded: DemoResult
) -> None:
    login = LOGIN[Role.ADMIN]
    engine = connect(server.for_login(login, seeded.passwords[login]))
    try:
        for sql in ("UPDATE time_limits SET amount = 1",
                    "UPDATE categories SET name = 'x'",
                    "DELETE FROM rules_events"):
            with engine.connect() as conn, pytest.raises(DBAPIError) as err:
                conn.execute(text(sql))
            assert getattr(err.value.orig, "pgcode", None) == "42501"
    finally:
        engine.dispose()


def test_the_december_banner(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        assert calendar.calendar_warning(s, date(2026, 11, 30)) is None
        december = calendar.calendar_warning(s, date(2026, 12, 1))
        assert december is not None and "2027" in december
        assert calendar.calendar_warning(s, date(2026, 12, 31)) is not None
        this_year = calendar.calendar_warning(s, date(2028, 3, 1))
        assert this_year is not None and "2028" in this_year
        calendar.import_schedule(s, [ScheduleDay(date(2027, 1, 1), False, "元旦")])
        assert calendar.calendar_warning(s, date(2026, 12, 1)) is None


def test_the_year_view_tells_local_days_from_the_schedule(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        calendar.import_schedule(s, [ScheduleDay(date(2027, 1, 1), False, "元旦"),
                                     ScheduleDay(date(2027, 2, 6), True, "春节调休")])
        calendar.set_day(s, date(2027, 3, 3), working=False, name="县庆")
        days = calendar.year_days(s, 2027)
    assert days.source == "entered"
    assert days.kinds[date(2027, 1, 1)] is calendar.DayKind.HOLIDAY
    assert days.kinds[date(2027, 2, 6)] is calendar.DayKind.ADJUSTED_WORKDAY
    assert days.kinds[date(2027, 3, 3)] is calendar.DayKind.LOCAL_DAY_OFF
    assert days.names[date(2027, 3, 3)] == "县庆"
    audited = desk.scalar("SELECT count(*) FROM rules_events WHERE subject = 'calendar_days' "
                          "AND actor = 'admin1' AND key = '2027-03-03'")
    assert audited == 1


_REFUSED: dict[str, Callable[[Session], object]] = {
    "class": lambda s: rules.save_class(s, case_type=CaseType.COMPONENT, code="0197",
                                        name="x", major_code="01"),
    "condition": lambda s: rules.save_condition(
        s, category_id=1, seq=None, description="x", amount=Decimal(1),
        unit=TimeUnit.WORKING_DAYS, closing="x", handling="SW", supervising=None),
    "limit": lambda s: rules.set_stage_limit(s, Stage.VERIFY, Urgency.ORDINARY, Decimal(1),
                                             TimeUnit.WORKING_HOURS),
    "working rules": lambda s: rules.save_working_rules(
        s, warning_share=Decimal("0.5"), warning_remainder_minutes=0,
        office_hours=rules.office_hours_of(["08:30-12:00"])),
    "standard": lambda s: standards.apply_rows(s, [], "component"),
    "day": lambda s: calendar.set_day(s, date(2026, 12, 24), working=False),
    "open311": lambda s: intake.map_service(s, "x", "0101", CaseType.COMPONENT),
}


@pytest.mark.parametrize("what", sorted(_REFUSED))
@pytest.mark.parametrize("who", [Role.DISPATCHER, Role.INSPECTOR, Role.DEPARTMENT])
def test_no_other_seat_changes_a_rule_through_the_services(
    desk: Desk, who: Role, what: str
) -> None:
    with desk.as_(who) as s, pytest.raises((PermissionDenied, DBAPIError)):
        _REFUSED[what](s)


def test_office_hours_are_read_and_a_bad_period_named() -> None:
    hours = rules.office_hours_of(["08:30-12:00, 14:00-17:30", "", "", "", "", "", "9:00-12:00"])
    assert hours.to_json() == {"0": [["08:30", "12:00"], ["14:00", "17:30"]],
                               "6": [["09:00", "12:00"]]}
    with pytest.raises(ValidationError) as err:
        rules.office_hours_of(["08:30-12:00", "14:00-12:00"])
    assert err.value.field == "office_hours" and "14:00-12:00" in str(err.value)
