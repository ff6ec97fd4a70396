"""The import of complaints forwarded by the city platform (migration 0016,
seatdesk.services.complaint_import) against the real database: good files (xlsx, CSV
in UTF-8 with and without a BOM, and GBK), a file with a bad row for each reason, the
same file twice, a cancelled import over a real login (nothing written), the saved
mapping, formula-looking cells, and the seats' refusals over their real logins with
raw SQL."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk import messages
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, make_engine, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import ComplaintChannel, Role
from seatdesk.errors import PermissionDenied, Problem, ValidationError
from seatdesk.progress import Cancelled, NoProgress
from seatdesk.services import complaint_import as importer
from seatdesk.services.complaint_import import ImportPreview
from tests.core.conftest import LOGIN, Desk

HEADERS = ["工单编号", "渠道", "受理时间", "投诉人", "联系电话", "投诉内容", "地址", "经度", "纬度",
           "问题类别"]
GOOD: list[list[Any]] = [
    ["SZ20261130001", "12319热线", "2026-11-30 09:15:00", "王小明", "13812345678",
     "解放路88号门前井盖缺失", "平阳县昆阳镇解放路88号", 120.5605, 27.6602, "上水井盖"],
    ["SZ20261130002", "市长信箱", "2026/11/30 10:02", "李华", "0577-63712345",
     "城东菜场门口占道经营", "平阳县昆阳镇城东路12号", None, None, "部件0101"],
    ["SZ20261130003", "", "2026年11月29日 16:40", "", "",
     "鳌江大桥下有人倾倒建筑垃圾", "平阳县鳌江镇", 120.59, 27.59, ""],
]


def _migration() -> ModuleType:
    path = (Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
            / "0016_complaint_import.py")
    spec = importlib.util.spec_from_file_location("seatdesk_0016", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS,
               title: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str,
              headers: Sequence[str] = HEADERS) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def _preview(desk: Desk, path: Path, **kwargs: Any) -> ImportPreview:
    with desk.as_(Role.MONITOR) as s:
        return importer.preview_import(s, path, **kwargs)


def _import(desk: Desk, preview: ImportPreview, **kwargs: Any) -> importer.ImportResult:
    with desk.as_(Role.MONITOR) as s:
        return importer.import_complaints(s, preview, **kwargs)


def _count(desk: Desk) -> int:
    return int(desk.scalar("SELECT count(*) FROM complaints"))


# ---- good files


def test_a_good_workbook_is_imported_with_numbers_deadlines_and_audit(
    desk: Desk, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "转办.xlsx", GOOD, title="市平台转办工单导出")
    preview = _preview(desk, path)
    assert (len(preview.good), preview.bad) == (3, ())
    assert dict(preview.columns)["content"] == "投诉内容"
    assert [r.row for r in preview.good] == [3, 4, 5]  # the title row, then the header
    first = preview.good[0]
    assert first.channel is ComplaintChannel.HOTLINE_12319
    assert first.complainant_phone == "13812345678"
    assert preview.good[1].complainant_phone == "0577-63712345"
    assert preview.good[2].channel is ComplaintChannel.CITY_PLATFORM  # none given
    before = _count(desk)
    result = _import(desk, preview)
    assert (result.created, result.present, result.bad) == (3, 0, 0)
    assert "complaints" in result.changes.entities
    assert _count(desk) == before + 3

    rows = desk.session.execute(text(
        "SELECT c.*, (seatdesk_complaint_reply_due(c.received_at)).due AS expected_due, "
        "(seatdesk_complaint_reply_due(c.received_at)).warning AS expected_warning "
        "FROM complaints c WHERE external_ref LIKE 'SZ2026113000%' ORDER BY external_ref"
    )).all()
    assert [r.channel for r in rows] == ["hotline_12319", "mayors_mailbox", "city_platform"]
    assert rows[0].received_at == datetime.fromisoformat("2026-11-30T09:15:00+08:00")
    for r in rows:
        assert r.number.startswith("TS") and len(r.number) == 12
        assert r.state == "new" and r.version == 1
        assert (r.reply_due, r.reply_warning_at) == (r.expected_due, r.expected_warning)
        assert r.import_hash is None  # the platform's id recognises them
    assert len({r.number for r in rows}) == 3
    category = desk.scalar("SELECT id FROM categories WHERE name = '上水井盖'")
    assert rows[0].category_id == category
    assert rows[1].category_id == desk.category("component", "0101")[0]
    events = desk.session.execute(text(
        "SELECT action, actor, data FROM complaint_events WHERE complaint_id = :i"),
        {"i": rows[0].id}).all()
    assert [(e.action, e.actor) for e in events] == [("create", LOGIN[Role.MONITOR])]
    assert events[0].data["imported"] is True
    assert events[0].data["external_ref"] == "SZ20261130001"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_csv_file_is_read_in_every_encoding_the_platforms_export(
    desk: Desk, tmp_path: Path, encoding: str
) -> None:
    # Other words of the platform for the same columns.
    headers = ["外部编号", "来源", "来电时间", "联系人", "联系电话", "诉求内容", "事发地址", "经度",
               "纬度", "类别编码"]
    rows = [[f"{encoding}-1", "12319", "2026-11-30 09:15", "张三", "138-1234-5678",
             "人行道上的窨井盖松动", "平阳县昆阳镇", "", "", "上水井盖"]]
    path = write_csv(tmp_path / "forwarded.csv", rows, encoding, headers)
    preview = _preview(desk, path)
    assert preview.bad == ()
    (row,) = preview.good
    assert (row.row, row.content, row.complainant, row.complainant_phone) == (
        2, "人行道上的窨井盖松动", "张三", "13812345678")
    assert _import(desk, preview).created == 1
    assert desk.scalar("SELECT content FROM complaints WHERE external_ref = :r",
                       r=f"{encoding}-1") == "人行道上的窨井盖松动"


def test_a_file_in_no_known_encoding_fails_with_one_sentence(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes("投诉内容,受理时间\n".encode() + b"\xff\xfe\x00\x81\x30\xff")
    with pytest.raises(Problem) as err:
        _preview(desk, path)
    assert "broken.csv" in str(err.value) and "GBK" in str(err.value)
    with pytest.raises(Problem):
        _preview(desk, (tmp_path / "old.xls"))


def test_formula_looking_cells_are_imported_as_text(desk: Desk, tmp_path: Path) -> None:
    formula = "=cmd|' /C calc'!A0"
    rows = [["F-1", "", "2026-11-30 09:15:00", "=HYPERLINK(\"http://x\")", "", formula,
             "@SUM(1+1)", None, None, ""]]
    xlsx = _preview(desk, write_xlsx(tmp_path / "f.xlsx", rows))
    csv_rows = [["F-2", *rows[0][1:]]]
    csv_preview = _preview(desk, write_csv(tmp_path / "f.csv", csv_rows, "utf-8"))
    for preview in (xlsx, csv_preview):
        assert preview.bad == ()
        assert _import(desk, preview).created == 1
    stored = desk.session.execute(text(
        "SELECT content, address FROM complaints WHERE external_ref IN ('F-1', 'F-2')")).all()
    assert [(r.content, r.address) for r in stored] == [(formula, "@SUM(1+1)")] * 2


@pytest.mark.parametrize("limit", [
    {"amount": 2, "unit": "working_days"},
    {"amount": 4, "unit": "working_hours"},
    {"amount": 1, "unit": "natural_days"},
    {"amount": 2, "unit": "emergency_hours"},
])
def test_the_set_based_deadline_is_the_database_s_working_time(
    desk: Desk, tmp_path: Path, limit: dict[str, Any]
) -> None:
    desk.session.execute(text(
        "SELECT seatdesk_set_centre_setting('complaint_reply_limit', CAST(:v AS jsonb))"),
        {"v": json.dumps(limit)})
    times = ["00:00:00", "08:00:00", "08:30:00", "09:15:10", "11:59:59", "12:00:00",
             "13:30:00", "17:00:00", "17:30:00", "23:59:59"]
    days = [f"2026-09-{d:02d}" for d in range(25, 31)] + [f"2026-10-{d:02d}" for d in range(1, 12)]
    tag = limit["unit"]
    rows = [[f"D-{tag}-{day}-{t}", "", f"{day} {t}", "", "", "井盖缺失", "", None, None, ""]
            for day in days for t in times]
    preview = _preview(desk, write_csv(tmp_path / "times.csv", rows, "utf-8"))
    assert preview.bad == () and _import(desk, preview).created == len(rows)
    wrong = desk.session.execute(text(
        "SELECT external_ref, reply_due, (seatdesk_complaint_reply_due(received_at)).due "
        "AS expected_due, reply_warning_at, "
        "(seatdesk_complaint_reply_due(received_at)).warning AS expected_warning "
        "FROM complaints WHERE external_ref LIKE :p"), {"p": f"D-{tag}-%"}).all()
    assert len(wrong) == len(rows)
    assert [r for r in wrong if (r.reply_due, r.reply_warning_at)
            != (r.expected_due, r.expected_warning)] == []


# ---- bad rows


def test_every_bad_row_is_listed_with_its_row_number_and_reason(
    desk: Desk, tmp_path: Path
) -> None:
    base = ["B-0", "", "2026-11-30 09:15:00", "王五", "13812345678", "路灯不亮", "解放路", None,
            None, ""]

    def row(ref: str, **change: Any) -> list[Any]:
        values = dict(zip(HEADERS, base, strict=True))
        values["工单编号"] = ref
        values.update(change)
        return [values[h] for h in HEADERS]

    rows = [
        row("B-1"),  # good, row 2
        row("B-2", 投诉内容="   "),
        row("B-3", 联系电话="12345"),
        row("B-4", 受理时间="上周三"),
        row("B-5", 渠道="微信群"),
        row("B-6", 问题类别="9999"),
        row("B-7", 经度=200.0, 纬度=27.6),
        row("B-8", 纬度=95.0, 经度=120.5),
        row("B-9", 经度=120.5),
        row("B-10", 受理时间="2099-01-01 08:00"),
        row("B-11", 问题类别="0101"),  # a component and an event share the code
        [None] * len(HEADERS),  # an empty row is no row
        row("B-12", 联系电话="0577 6371 2345"),  # good
    ]
    preview = _preview(desk, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert [r.row for r in preview.good] == [2, 14]
    assert [(b.row, b.field, b.problem) for b in preview.bad] == [
        (3, "content", "required"),
        (4, "complainant_phone", "not_a_phone"),
        (5, "received_at", "not_a_time"),
        (6, "channel", "unknown"),
        (7, "category", "unknown"),
        (8, "longitude", "out_of_range"),
        (9, "latitude", "out_of_range"),
        (10, "location", "required"),
        (11, "received_at", "in_future"),
        (12, "category", "ambiguous"),
    ]
    reasons = {b.row: b.reason for b in preview.bad}
    assert reasons[3] == "投诉内容：不能为空"
    assert "12345" in reasons[4] and "电话号码" in reasons[4]
    assert "上周三" in reasons[5]
    assert "微信群" in reasons[6]
    assert "9999" in reasons[7]
    assert "200" in reasons[8]
    assert "部件" in reasons[12]
    messages_en = importer.BadRow(4, "complainant_phone", "not_a_phone", (("value", "12345"),))
    assert "12345" in messages_en.reason
    result = _import(desk, preview)
    assert (result.created, result.bad) == (2, 10)


def test_a_file_without_the_required_columns_names_them(desk: Desk, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cols.xlsx", [["x", "路灯不亮"]], headers=["工单编号", "投诉内容"])
    with pytest.raises(Problem) as err:
        _preview(desk, path)
    assert "受理时间" in str(err.value)


# ---- the same file twice


def test_the_same_file_twice_creates_nothing_new(desk: Desk, tmp_path: Path) -> None:
    no_refs = [["", *r[1:]] for r in GOOD]  # no platform id: the content digest decides
    for name, rows in (("refs.xlsx", GOOD), ("norefs.xlsx", no_refs)):
        path = write_xlsx(tmp_path / name, rows)
        first = _import(desk, _preview(desk, path))
        assert (first.created, first.present) == (3, 0), name
        count = _count(desk)
        again = _import(desk, _preview(desk, path))
        assert (again.created, again.present) == (0, 3), name
        assert _count(desk) == count
    hashes = desk.scalar("SELECT count(import_hash) FROM complaints WHERE external_ref IS NULL")
    assert hashes >= 3
    # The same rows as CSV (other spacing) are still the same complaints.
    spaced = [[*r[:5], f"  {r[5]} ", *r[6:]] for r in no_refs]
    again = _import(desk, _preview(desk, write_csv(tmp_path / "norefs.csv", spaced, "gbk")))
    assert (again.created, again.present) == (0, 3)


def test_rows_repeated_in_one_file_are_imported_once(desk: Desk, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "twice.xlsx", [GOOD[0], GOOD[0], GOOD[1]])
    result = _import(desk, _preview(desk, path))
    assert (result.created, result.present) == (2, 1)


def test_batches_number_the_complaints_one_after_another(desk: Desk, tmp_path: Path) -> None:
    rows = [[f"N-{i}", "", "2026-11-30 09:15:00", "", "", f"第{i}件投诉", "", None, None, ""]
            for i in range(7)]
    result = _import(desk, _preview(desk, write_xlsx(tmp_path / "n.xlsx", rows)), batch_rows=3)
    assert result.created == 7
    numbers = desk.session.execute(text(
        "SELECT number FROM complaints WHERE external_ref LIKE 'N-%' ORDER BY id")).scalars().all()
    serials = [int(n[6:]) for n in numbers]
    assert serials == list(range(serials[0], serials[0] + 7))


# ---- cancel: nothing written


class _CancelAfter(NoProgress):
    def __init__(self, steps: int) -> None:
        self.done = 0
        self.steps = steps

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def cancelled(self) -> bool:
        return self.done >= self.steps


@pytest.fixture
def monitor_address(server: ServerAddress, seeded: DemoResult) -> ServerAddress:
    login = LOGIN[Role.MONITOR]
    return server.for_login(login, seeded.passwords[login])


def test_a_cancelled_import_writes_nothing(
    monitor_address: ServerAddress, tmp_path: Path
) -> None:
    rows = [[f"C-{i}", "", "2026-11-30 09:15:00", "", "", f"取消测试{i}", "", None, None, ""]
            for i in range(10)]
    path = write_xlsx(tmp_path / "cancel.xlsx", rows)
    engine = connect(monitor_address)
    try:
        progress = _CancelAfter(4)
        with session_factory(engine).begin() as s:
            preview = importer.preview_import(s, path)
        with pytest.raises(Cancelled), session_factory(engine).begin() as s:
            importer.import_complaints(s, preview, progress=progress, batch_rows=4)
        assert progress.done == 4  # one batch went to the database before Cancel
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM complaints WHERE external_ref LIKE 'C-%'")).scalar() == 0
    finally:
        engine.dispose()


# ---- the saved mapping


def test_a_saved_mapping_reads_the_platform_s_own_layout(desk: Desk, tmp_path: Path) -> None:
    headers = ["流水号", "反映事项", "收件日期", "手机"]
    rows = [["M-1", "小区门口垃圾满溢", "2026-11-30 08:00", "13900001111"]]
    path = write_xlsx(tmp_path / "layout.xlsx", rows, headers=headers)
    with pytest.raises(Problem):
        _preview(desk, path)  # 反映事项 and 收件日期 are no words of the platform's
    mapping = {"external_ref": "流水号", "content": "反映事项", "received_at": "收件日期"}
    with desk.as_(Role.MONITOR) as s:
        importer.save_mapping(s, mapping, "县平台")
        assert importer.saved_mapping(s, "县平台") == mapping
        assert importer.saved_mapping(s, "nothing saved") == {}
    preview = _preview(desk, path, mapping_name="县平台")
    assert dict(preview.columns) == {**mapping, "complainant_phone": "手机"}
    assert preview.good[0].external_ref == "M-1"
    # An override for one run, over the saved mapping.
    overridden = _preview(desk, path, mapping_name="县平台", overrides={"external_ref": "手机"})
    assert overridden.good[0].external_ref == "13900001111"
    with desk.as_(Role.MONITOR) as s, pytest.raises(ValidationError) as err:
        importer.save_mapping(s, {"colour": "颜色"}, "县平台")
    assert err.value.field == "mapping"
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(PermissionDenied):
        importer.save_mapping(s, mapping, "县平台")
    with desk.as_(Role.DEPARTMENT) as s, pytest.raises(PermissionDenied):
        importer.preview_import(s, path, mapping_name="县平台")
    updated_by = desk.scalar(
        "SELECT updated_by FROM complaint_import_mappings WHERE name = '县平台'")
    assert updated_by == LOGIN[Role.MONITOR]


# ---- the seats' own logins, raw SQL


@pytest.fixture
def logins(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[str, Connection]]:
    engines = {
        login: connect(server.for_login(login, seeded.passwords[login]))
        for login in LOGIN.values()
    }
    conns: dict[str, Connection] = {}
    try:
        for login, engine in engines.items():
            conns[login] = engine.connect()
            conns[login].begin()
        yield conns
    finally:
        for conn in conns.values():
            conn.rollback()
            conn.close()
        for engine in engines.values():
            engine.dispose()


def _refusal(conn: Connection, sql: str, **params: Any) -> tuple[str, dict[str, Any]]:
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    diag = getattr(err.value.orig, "diag", None)
    detail = getattr(diag, "message_detail", None)
    try:
        parsed = json.loads(detail) if detail else {}
    except ValueError:
        parsed = {}
    return str(getattr(err.value.orig, "pgcode", "")), parsed


_IMPORT = "SELECT * FROM seatdesk_import_complaints(CAST(:rows AS jsonb))"
_ROW = {"row": 2, "channel": "city_platform", "content": "路灯不亮",
        "received_at": "2026-11-30 09:15:00", "external_ref": "RAW-1",
        "complainant_phone": "13812345678"}


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.ACCEPTOR, Role.SHIFT_LEADER])
def test_only_monitor_and_admin_seats_may_import(
    logins: dict[str, Connection], role: Role
) -> None:
    conn = logins[LOGIN[role]]
    code, _ = _refusal(conn, _IMPORT, rows=json.dumps([_ROW]))
    assert code == "SD403"
    code, _ = _refusal(conn, "SELECT seatdesk_set_complaint_import_mapping('x', '{}')")
    assert code == "SD403"
    code, _ = _refusal(conn, "SELECT * FROM complaint_import_mappings")
    assert code == "42501"
    code, _ = _refusal(conn, "SELECT seatdesk_complaint_import_hash('a', now(), 'b', 'c', 1)")
    assert code == "42501"


@pytest.mark.parametrize("role", list(Role))
def test_no_seat_reads_the_digest_of_a_complainant(
    logins: dict[str, Connection], role: Role
) -> None:
    # The digest is the importer's own (it no longer covers the name and phone, 0019).
    conn = logins[LOGIN[role]]
    code, _ = _refusal(conn, "SELECT import_hash FROM complaints LIMIT 1")
    assert code == "42501"


@pytest.mark.parametrize("role", [Role.MONITOR, Role.ADMIN])
def test_a_monitor_and_an_admin_import_as_themselves(
    logins: dict[str, Connection], role: Role
) -> None:
    conn = logins[LOGIN[role]]
    row = {**_ROW, "external_ref": f"RAW-{role.value}"}
    result = conn.execute(text(_IMPORT), {"rows": json.dumps([row, row])}).one()
    assert (result.created, result.present) == (1, 1)
    actor = conn.execute(text(
        "SELECT e.actor FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
        "WHERE c.external_ref = :r"), {"r": row["external_ref"]}).scalar_one()
    assert actor == LOGIN[role]
    # Importing never needs the complainant back: the function decides what is there.
    again = conn.execute(text(_IMPORT), {"rows": json.dumps([row])}).one()
    assert (again.created, again.present) == (0, 1)


@pytest.mark.parametrize(("change", "field", "problem"), [
    ({"content": " \u3000"}, "content", "required"),
    ({"channel": "wechat"}, "channel", "unknown"),
    ({"received_at": "yesterday"}, "received_at", "malformed"),
    ({"received_at": "2099-01-01 00:00:00"}, "received_at", "in_future"),
    ({"complainant_phone": "12345"}, "complainant_phone", "not_a_phone"),
    ({"longitude": 120.5}, "location", "required"),
    ({"longitude": 500, "latitude": 27}, "longitude", "out_of_range"),
    ({"category_id": 999999}, "category", "unknown"),
    ({"content": "x" * 4001}, "content", "too_long"),
])
def test_the_function_checks_every_row_again(
    logins: dict[str, Connection], change: dict[str, Any], field: str, problem: str
) -> None:
    conn = logins[LOGIN[Role.MONITOR]]
    rows = [{**_ROW, "external_ref": "OK-1"}, {**_ROW, **change, "row": 7}]
    code, detail = _refusal(conn, _IMPORT, rows=json.dumps(rows))
    assert code == "SD422"
    assert (detail["field"], detail["problem"], detail["values"]["row"]) == (field, problem, 7)


def test_a_batch_too_large_is_refused(logins: dict[str, Connection]) -> None:
    conn = logins[LOGIN[Role.MONITOR]]
    code, detail = _refusal(conn, _IMPORT, rows=json.dumps([_ROW] * 5001))
    assert (code, detail["problem"]) == ("SD422", "too_many")


def test_every_refusal_of_the_import_functions_has_its_words() -> None:
    module = _migration()
    named = {(f, p) for _c, f, p, _v in module.ROW_CHECKS}
    named |= {("complaint", "malformed"), ("complaint", "too_many"), ("mapping", "required"),
              ("mapping", "malformed"), ("mapping", "unknown")}
    known = messages.keys()
    for field, problem in named:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem
    assert list(importer.FIELDS) == module.MAPPING_FIELDS
    assert [c.value for c in ComplaintChannel] == module.CHANNELS


# ---- the command line, in a real subprocess as the monitor's login


def _cli(server: ServerAddress, seeded: DemoResult, *args: str,
         stdin: str = "") -> subprocess.CompletedProcess[str]:
    login = LOGIN[Role.MONITOR]
    env = {
        **os.environ, "SEATDESK_LANG": "zh", "COLUMNS": "200",
        "SEATDESK_DATABASE_URL": server.url.render_as_string(hide_password=False),
        "SEATDESK_USER": login, "SEATDESK_PASSWORD": seeded.passwords[login],
    }
    return subprocess.run(
        [sys.executable, "-m", "seatdesk.cli", "complaints", "import", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=120,
    )


def test_the_command_checks_asks_imports_and_imports_nothing_twice(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    rows = [[f"CLI-{tag}-{i}", *GOOD[i][1:]] for i in range(3)]
    rows.append([f"CLI-{tag}-bad", "", "2026-11-30 09:15:00", "", "12345", "路灯不亮", "", None,
                 None, ""])
    path = write_xlsx(tmp_path / "cli.xlsx", rows)

    dry = _cli(server, seeded, str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "第 5 行：投诉人电话：12345 不是有效的电话号码" in dry.stderr
    assert "共 4 行，3 行可导入，1 行有问题" in dry.stdout and "未导入任何内容" in dry.stdout

    declined = _cli(server, seeded, str(path), stdin="n\n")
    assert declined.returncode == 1 and "已取消导入" in declined.stderr

    done = _cli(server, seeded, str(path), "--yes")
    assert done.returncode == 0, done.stderr
    assert "已导入 3 件投诉，0 件此前已导入，1 行未导入" in done.stdout
    again = _cli(server, seeded, str(path), stdin="y\n")
    assert again.returncode == 0, again.stderr
    assert "已导入 0 件投诉，3 件此前已导入" in again.stdout

    nothing = write_xlsx(tmp_path / "nothing.xlsx", [rows[-1]])
    refused = _cli(server, seeded, str(nothing), "--yes")
    assert refused.returncode == 1 and "nothing.xlsx 中没有可导入的行" in refused.stderr
    assert "Traceback" not in refused.stderr

    bad_map = _cli(server, seeded, str(path), "--map", "content")
    assert bad_map.returncode == 2 and "字段=列名" in bad_map.stderr


# ---- down to 0013 and up again


def test_going_down_to_0013_refuses_to_lose_imports_and_mappings(server: ServerAddress) -> None:
    name = f"seatdesk_down_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO complaint_import_mappings VALUES ('县平台', '{}', 'x', now())"))
        with pytest.raises(DBAPIError, match="saved import mappings exist"):
            migrate.downgrade(engine, "0013")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM complaint_import_mappings"))
        migrate.downgrade(engine, "0013")
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname IN ('seatdesk_import_complaints', "
                "'seatdesk_set_complaint_import_mapping', 'seatdesk_complaint_import_hash')")
            ).scalar_one() == 0
            column = conn.execute(text(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'complaints' AND column_name = 'import_hash'")).scalar_one()
            assert column == 0
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM complaint_import_mappings")).scalar_one() == 0
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_import_functions_are_hardened(logins: dict[str, Connection]) -> None:
    rows = logins[LOGIN[Role.ADMIN]].execute(text("""
        SELECT p.proname, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE')
        FROM pg_proc p WHERE p.proname IN ('seatdesk_import_complaints',
            'seatdesk_set_complaint_import_mapping', 'seatdesk_complaint_import_hash')
    """)).all()
    assert len(rows) == 3
    for proname, definer, config, public_may in rows:
        assert not public_may, proname
        if definer:
            assert "search_path=public, pg_temp" in config, proname
