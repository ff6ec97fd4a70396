"""Import of the complaints the city platform forwards (市平台转办), from Excel or CSV.

Two steps, as an operator works: ``preview_import`` reads the file, maps its columns by
their Chinese header names (the platform's words, or a saved mapping of the platform's
layout) and checks every row — each bad row is kept with its row number as the
spreadsheet shows it and one reason in the reader's words; ``import_complaints`` then
writes the good rows, only when the operator has confirmed, through the database's one
set-based function ``seatdesk_import_complaints`` (migration 0016) in batches of
``BATCH_ROWS`` inside the caller's one transaction: Cancel (``Progress.cancelled``,
checked between batches) or a crash leaves nothing written. The function checks every
row again, leaves out what is already there (the platform's own id, or a digest of the
row where there is none: importing a file twice creates nothing new), numbers the
complaints, computes their reply deadlines and audits each.

Reading: ``.xlsx`` with openpyxl (read-only, values only; a cell that looks like a
formula, ``=cmd|…``, is its text and is imported as text, never evaluated); ``.csv`` in
UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030/GBK as Chinese platforms
export, detected; anything else fails with one sentence.

No Qt here; the caller owns the transaction.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.calls import call
from seatdesk.domain.glossary import CaseType, ComplaintAction, ComplaintChannel
from seatdesk.errors import Problem, ValidationError
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services.common import ChangeSet
from seatdesk.services.complaints import ENTITY
from seatdesk.services.deadlines import DEFAULT_TIMEZONE
from seatdesk.terms import term

#: The complaint fields a column can fill, in the order a preview shows them.
FIELDS: tuple[str, ...] = (
    "external_ref",
    "channel",
    "received_at",
    "complainant",
    "complainant_phone",
    "content",
    "address",
    "longitude",
    "latitude",
    "category",
)
#: The columns a file must have.
REQUIRED_FIELDS: tuple[str, ...] = ("content", "received_at")
#: The platform's words for each field (the first is the one a template file uses).
HEADERS: dict[str, tuple[str, ...]] = {
    "external_ref": ("工单编号", "外部编号", "工单号", "诉求编号", "案件编号", "编号"),
    "channel": ("渠道", "来源", "投诉渠道", "诉求渠道", "来源渠道", "问题来源"),
    "received_at": ("受理时间", "来电时间", "投诉时间", "诉求时间", "登记时间", "反映时间"),
    "complainant": ("投诉人", "联系人", "来电人", "诉求人", "反映人", "姓名"),
    "complainant_phone": ("联系电话", "电话", "来电号码", "联系方式", "手机号码", "手机"),
    "content": ("投诉内容", "诉求内容", "来电内容", "问题描述", "反映内容", "内容"),
    "address": ("地址", "事发地址", "事发地点", "问题地址", "发生地址"),
    "longitude": ("经度",),
    "latitude": ("纬度",),
    "category": ("问题类别", "类别编码", "问题分类", "类别"),
}
#: The first day of the working calendar (migration 0006): no reply deadline before it.
CALENDAR_START = datetime(2004, 1, 1)
#: The saved mapping used when none is named: the city platform's layout.
DEFAULT_MAPPING = "city_platform"
#: Rows per call of the database function (it takes at most 5,000).
BATCH_ROWS = 2000
#: How many good rows a preview shows.
PREVIEW_ROWS = 20
#: Rows looked at for the header row (a platform export may have a title above it).
HEADER_SEARCH_ROWS = 10
#: Cells that mean "none" in a phone column.
_HEADER_NOISE = re.compile(r"[\s*＊:：]")
_NONE_WORDS = frozenset({"无", "-", "—", "/", "暂无", "null", "none", "n/a"})
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(r"^(0(?:[12]\d|[3-9]\d{2}))([1-9]\d{6,7})$")
_EXTENSION = re.compile(r"(?:转|分机|#|ext\.?)\s*(\d{1,6})$", re.IGNORECASE)
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
)
#: Channel words besides each channel's own terms.
_CHANNEL_WORDS: dict[str, ComplaintChannel] = {
    "12319": ComplaintChannel.HOTLINE_12319,
    "12319热线": ComplaintChannel.HOTLINE_12319,
    "城管热线": ComplaintChannel.HOTLINE_12319,
    "热线": ComplaintChannel.HOTLINE_12319,
    "市长信箱": ComplaintChannel.MAYORS_MAILBOX,
    "网络问政": ComplaintChannel.ONLINE_PLATFORM,
    "网络平台": ComplaintChannel.ONLINE_PLATFORM,
    "论坛": ComplaintChannel.ONLINE_PLATFORM,
    "网站": ComplaintChannel.ONLINE_PLATFORM,
    "媒体": ComplaintChannel.MEDIA,
    "新闻媒体": ComplaintChannel.MEDIA,
    "市平台": ComplaintChannel.CITY_PLATFORM,
    "市平台转办": ComplaintChannel.CITY_PLATFORM,
    "市级平台": ComplaintChannel.CITY_PLATFORM,
    "来访": ComplaintChannel.WALK_IN,
}


# ---- What a preview holds


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A good row, as the database function takes it. ``received_at`` is the centre's
    local time as written in the file (the database applies the centre's time zone)."""

    row: int
    channel: ComplaintChannel
    content: str
    received_at: datetime
    external_ref: str | None = None
    complainant: str | None = None
    complainant_phone: str | None = None
    address: str = ""
    longitude: float | None = None
    latitude: float | None = None
    category_id: int | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "channel": self.channel.value,
            "content": self.content,
            "received_at": self.received_at.isoformat(sep=" "),
            "external_ref": self.external_ref,
            "complainant": self.complainant,
            "complainant_phone": self.complainant_phone,
            "address": self.address,
            "longitude": self.longitude,
            "latitude": self.latitude,
            "category_id": self.category_id,
        }


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row left out, with its number as the spreadsheet shows it and its first
    problem (a field and a problem of ``seatdesk.messages.fields``)."""

    row: int
    field: str
    problem: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def reason(self) -> str:
        """One sentence in the reader's language: ``联系电话：12345 不是有效的电话号码``."""
        return str(ValidationError(self.field, self.problem, **dict(self.values)))


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What a file holds, before anything is written."""

    file_name: str
    #: (field, the file's header) for each mapped column, in ``FIELDS`` order.
    columns: tuple[tuple[str, str], ...]
    good: tuple[ImportRow, ...]
    bad: tuple[BadRow, ...]
    #: Header names the mapping left unused.
    unused: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.good) + len(self.bad)

    def first_good(self, count: int = PREVIEW_ROWS) -> tuple[ImportRow, ...]:
        return self.good[:count]


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    present: int
    bad: int
    changes: ChangeSet = field(default_factory=ChangeSet)


# ---- Reading the file


@dataclass(slots=True)
class _Table:
    """A sheet: its rows as (row number, cells), lazily."""

    rows: Iterator[tuple[int, Sequence[Any]]]
    total: int | None  # rows in the sheet, when the file says


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Problem("import.encoding", file=name)


def _csv_table(path: Path) -> _Table:
    try:
        content = _decode(path.read_bytes(), path.name)
    except UnicodeDecodeError:
        raise Problem("import.encoding", file=path.name) from None
    if "\x00" in content:
        raise Problem("import.encoding", file=path.name)
    sample = content[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content, newline=""), dialect)
    return _Table(rows=enumerate(reader, start=1), total=content.count("\n") + 1)


def _xlsx_table(path: Path) -> _Table:
    import openpyxl

    try:
        # Not data_only: a cell written as a formula ("=cmd|…") is read as its text.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # a zip that is not a workbook, a damaged file: one sentence
        raise Problem("import.unreadable", file=path.name) from None
    sheet = workbook.active
    if sheet is None:
        workbook.close()
        raise Problem("import.unreadable", file=path.name)
    total = getattr(sheet, "max_row", None)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        finally:
            workbook.close()

    return _Table(rows=rows(), total=total if isinstance(total, int) else None)


def _open(path: Path) -> _Table:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_table(path)
    if suffix in (".csv", ".txt"):
        return _csv_table(path)
    raise Problem("import.format", file=path.name)


def _header_key(value: Any) -> str:
    """A header as compared: without white space, marks of required (*) and colons."""
    return _HEADER_NOISE.sub("", str(value or ""))


@functools.lru_cache(maxsize=4096)
def _word_key(word: str) -> str:
    """A channel or category as looked up (the same few words on every row)."""
    return _header_key(word).lower()


# ---- The mapping


def saved_mapping(session: Session, name: str = DEFAULT_MAPPING) -> dict[str, str]:
    """The saved mapping ``name`` (field → the file's header), empty when none is saved."""
    # Through ``call``: a seat that may not import may not read the mappings either,
    # and is told so in one sentence.
    value = call(
        session,
        "SELECT mapping FROM complaint_import_mappings WHERE name = :n",
        {"n": name},
        action=ComplaintAction.CREATE,
    ).scalar_one_or_none()
    return {str(k): str(v) for k, v in (value or {}).items()}


def save_mapping(
    session: Session, mapping: Mapping[str, str], name: str = DEFAULT_MAPPING
) -> ChangeSet:
    """Keep ``mapping`` (field → header) as the layout ``name`` (monitor and admin)."""
    call(
        session,
        "SELECT seatdesk_set_complaint_import_mapping(:n, CAST(:m AS jsonb))",
        {"n": name, "m": json.dumps(dict(mapping), ensure_ascii=False)},
        action=ComplaintAction.CREATE,
    )
    return ChangeSet(entities=frozenset({"complaint_import_mappings"}))


def map_columns(headers: Sequence[Any], mapping: Mapping[str, str]) -> dict[str, int]:
    """field → column index: the mapping's header where the file has it, else the first
    of the platform's words for the field that the file has."""
    keys = [_header_key(h) for h in headers]
    found: dict[str, int] = {}
    for name in FIELDS:
        candidates = [mapping[name]] if name in mapping else []
        candidates += list(HEADERS[name])
        for candidate in candidates:
            key = _header_key(candidate)
            if key in keys and keys.index(key) not in found.values():
                found[name] = keys.index(key)
                break
    return found


def _find_header(
    table: _Table, mapping: Mapping[str, str]
) -> tuple[int, Sequence[Any], dict[str, int]]:
    best: tuple[int, Sequence[Any], dict[str, int]] | None = None
    for row_no, cells in table.rows:
        columns = map_columns(cells, mapping)
        if len(columns) >= 2 and (best is None or len(columns) > len(best[2])):
            best = (row_no, cells, columns)
            if all(f in columns for f in REQUIRED_FIELDS):
                return best
        if row_no >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise Problem("import.no_header")
    return best


# ---- Checking one row


class _Bad(Exception):
    def __init__(self, field_name: str, problem: str, **values: Any) -> None:
        super().__init__(field_name, problem)
        self.field_name = field_name
        self.problem = problem
        self.values = values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.isoformat(sep=" ")
    result = str(value).strip(" \t\r\n\u3000\u00a0\u2003")
    return result or None


def _shown(value: Any) -> str:
    shown = _text(value) or ""
    return shown if len(shown) <= 40 else shown[:39] + "…"


def parse_phone(value: Any) -> str | None:
    """A phone as stored: a mobile's 11 digits, or ``area-number[-extension]``; None
    when the cell is empty. ``ValueError`` when it is not a phone number: a mainland
    mobile (1[3-9] and nine digits, +86 allowed) or a landline with its area code, with
    any separators (``0577-63712345``, ``(0577)6371 2345``, ``0577-63712345转801``)."""
    raw = _text(value)
    if raw is None or raw.lower() in _NONE_WORDS:
        return None
    if len(raw) == 11 and _MOBILE.match(raw):
        return raw
    mobile = _MOBILE.match(re.sub(r"[\s\-–—－()（）·.]", "", raw))
    if mobile:
        return mobile.group(1)
    rest = raw.replace("（", "(").replace("）", ")").replace("－", "-").replace("—", "-")
    extension = None
    tail = _EXTENSION.search(rest)
    if tail is None and rest.count("-") >= 2:
        tail = re.search(r"-(\d{1,6})$", rest)
    if tail is not None:
        extension, rest = tail.group(1), rest[: tail.start()]
    compact = re.sub(r"[\s\-–()·.]", "", rest)
    landline = _LANDLINE.match(compact)
    if landline:
        area, number = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise ValueError(raw)


def parse_time(value: Any) -> datetime | None:
    """A received time as written (the centre's local time); None when the cell is
    empty. ``ValueError`` when it is not a time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial date that was not formatted
            from openpyxl.utils.datetime import from_excel

            result = from_excel(value)
            if isinstance(result, datetime):
                return result.replace(microsecond=0)
        raise ValueError(value)
    raw = _text(value)
    if raw is None:
        return None
    if _ISO_TIME.match(raw):  # the usual export: 2026-11-30 09:15:00
        return datetime.fromisoformat(raw)
    normal = (
        raw.replace("年", "-").replace("月", "-").replace("日", " ").replace("/", "-")
        .replace("T", " ").replace("：", ":")
    )
    normal = re.sub(r"\s+", " ", normal).strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(normal, fmt)
        except ValueError:
            continue
    raise ValueError(raw)


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    return float(value)


@dataclass(slots=True)
class _Rules:
    """What checking a row needs from the database, read once."""

    now: datetime  # the centre's local time now
    categories: dict[str, list[int]]
    channels: dict[str, ComplaintChannel]


def _category_words(session: Session) -> dict[str, list[int]]:
    """Each way a file may name a minor category (its name; its type and code, 部件0101;
    its bare code) → the ids it names (a bare code may name a component and an event)."""
    words: dict[str, list[int]] = {}
    rows = session.execute(text(
        "SELECT id, case_type, code, name FROM categories WHERE active AND parent_id IS NOT NULL"
    )).all()
    for r in rows:
        kind = CaseType(r.case_type)
        for word in {r.name, r.code, f"{term(kind, 'zh')}{r.code}", f"{term(kind, 'en')}{r.code}"}:
            words.setdefault(_header_key(word).lower(), []).append(int(r.id))
    return words


def _channel_words() -> dict[str, ComplaintChannel]:
    words = {k.lower(): v for k, v in _CHANNEL_WORDS.items()}
    for channel in ComplaintChannel:
        for word in (channel.value, term(channel, "zh"), term(channel, "en")):
            words[_header_key(word).lower()] = channel
    return words


def _rules(session: Session) -> _Rules:
    now = session.execute(
        text("SELECT now() AT TIME ZONE coalesce((SELECT value #>> '{}' FROM centre_settings "
             "WHERE key = 'timezone'), :tz)"),
        {"tz": DEFAULT_TIMEZONE},
    ).scalar_one()
    return _Rules(now=now, categories=_category_words(session), channels=_channel_words())


def _check(
    row_no: int, cells: Sequence[Any], columns: Mapping[str, int], rules: _Rules
) -> ImportRow:
    def cell(name: str) -> Any:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    content = _text(cell("content"))
    if content is None:
        raise _Bad("content", "required")
    if len(content) > 4000:
        raise _Bad("content", "too_long", limit=4000)
    channel_word = _text(cell("channel"))
    channel = ComplaintChannel.CITY_PLATFORM
    if channel_word is not None:
        found = rules.channels.get(_word_key(channel_word))
        if found is None:
            raise _Bad("channel", "unknown", value=_shown(channel_word))
        channel = found
    try:
        received = parse_time(cell("received_at"))
    except ValueError:
        raise _Bad("received_at", "not_a_time", value=_shown(cell("received_at"))) from None
    if received is None:
        raise _Bad("received_at", "required")
    if received > rules.now:
        raise _Bad("received_at", "in_future", value=received.isoformat(sep=" "))
    if received < CALENDAR_START:  # the working calendar's first day
        raise _Bad("received_at", "out_of_range", value=received.isoformat(sep=" "))
    try:
        phone = parse_phone(cell("complainant_phone"))
    except ValueError:
        raise _Bad("complainant_phone", "not_a_phone",
                   value=_shown(cell("complainant_phone"))) from None
    try:
        lon, lat = _number(cell("longitude")), _number(cell("latitude"))
    except (TypeError, ValueError):
        raise _Bad("location", "malformed") from None
    if (lon is None) != (lat is None):
        raise _Bad("location", "required")
    if lon is not None and not -180 <= lon <= 180:
        raise _Bad("longitude", "out_of_range", value=_shown(cell("longitude")))
    if lat is not None and not -90 <= lat <= 90:
        raise _Bad("latitude", "out_of_range", value=_shown(cell("latitude")))
    category_id = None
    category_word = _text(cell("category"))
    if category_word is not None:
        ids = rules.categories.get(_word_key(category_word), [])
        if not ids:
            raise _Bad("category", "unknown", value=_shown(category_word))
        if len(ids) > 1:
            raise _Bad("category", "ambiguous", value=_shown(category_word))
        category_id = ids[0]
    ref, complainant, address = (_text(cell(n)) for n in ("external_ref", "complainant", "address"))
    for name, value, limit in (("external_ref", ref, 100), ("complainant", complainant, 100),
                               ("address", address, 500)):
        if value is not None and len(value) > limit:
            raise _Bad(name, "too_long", limit=limit)
    return ImportRow(
        row=row_no, channel=channel, content=content, received_at=received, external_ref=ref,
        complainant=complainant, complainant_phone=phone, address=address or "",
        longitude=lon, latitude=lat, category_id=category_id,
    )


# ---- The two steps


def preview_import(
    session: Session,
    path: Path,
    *,
    mapping_name: str = DEFAULT_MAPPING,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read and check ``path``; nothing is written. The columns are mapped by the saved
    mapping ``mapping_name`` with ``overrides`` (field → header) over it, and the
    platform's words for the rest."""
    progress = progress or NoProgress()
    mapping = {**saved_mapping(session, mapping_name), **dict(overrides or {})}
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise Problem("import.unknown_field", field=", ".join(unknown),
                      fields=", ".join(FIELDS))
    rules = _rules(session)
    table = _open(path)
    progress.status(_say("import.reading", file=path.name))
    header_row, headers, columns = _find_header(table, mapping)
    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise Problem("import.missing_columns",
                      columns="、".join(HEADERS[f][0] for f in missing))
    progress.start(max((table.total or 0) - header_row, 0))
    good: list[ImportRow] = []
    bad: list[BadRow] = []
    since = 0
    for row_no, cells in table.rows:
        since += 1
        if since >= 1000:
            progress.advance(since)
            since = 0
            if progress.cancelled():
                raise Cancelled()
        if not any(c is not None and str(c).strip() for c in cells):
            continue  # an empty row is no row
        try:
            good.append(_check(row_no, cells, columns, rules))
        except _Bad as problem:
            bad.append(BadRow(row_no, problem.field_name, problem.problem,
                              tuple(problem.values.items())))
    progress.advance(since)
    used = set(columns.values())
    return ImportPreview(
        file_name=path.name,
        columns=tuple((f, str(headers[i])) for f, i in sorted(
            columns.items(), key=lambda c: FIELDS.index(c[0]))),
        good=tuple(good),
        bad=tuple(bad),
        unused=tuple(str(h) for i, h in enumerate(headers) if i not in used and _text(h)),
    )


def import_complaints(
    session: Session,
    preview: ImportPreview,
    *,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Write the preview's good rows (what the operator confirmed), in batches of
    ``batch_rows`` in the caller's transaction; ``Cancelled`` between batches when the
    operator cancels (the caller rolls back: nothing is written)."""
    progress = progress or NoProgress()
    progress.status(_say("import.writing", count=len(preview.good)))
    progress.start(len(preview.good))
    created = present = 0
    for batch in _batches(preview.good, batch_rows):
        if progress.cancelled():
            raise Cancelled()
        row = call(
            session,
            "SELECT created, present FROM seatdesk_import_complaints(CAST(:rows AS jsonb))",
            {"rows": json.dumps([r.payload() for r in batch], ensure_ascii=False)},
            action=ComplaintAction.CREATE,
        ).one()
        created += int(row.created)
        present += int(row.present)
        progress.advance(len(batch))
    if progress.cancelled():
        raise Cancelled()
    changes = ChangeSet(entities=frozenset({ENTITY})) if created else ChangeSet()
    return ImportResult(created=created, present=present, bad=len(preview.bad), changes=changes)


def _batches(rows: Sequence[ImportRow], size: int) -> Iterable[Sequence[ImportRow]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _say(key: str, **values: Any) -> str:
    return messages.t(key, **values)
