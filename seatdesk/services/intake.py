"""The intake of collectors' work from outside the desk (``seatdesk intake DIR``).

Field collectors' apps, a public app or a city platform drop JSON items into a folder
(the inbox). Each item is read and checked here, written by the database's own
functions (migration 0017: ``seatdesk_intake_report``, ``seatdesk_intake_answer``;
0018: ``seatdesk_intake_reports``, a batch's reports in one call, each through
``seatdesk_intake_report``; as a login of the seat role ``intake``), and then moved
with its photo files to ``done/``; a rejected one goes to ``rejected/`` beside
``NAME.error.txt``, which says why in one sentence.

Two formats:

- our own item: ``{"id"?, "collector", "type": "report" | "verify_answer" |
  "check_answer", "category_code", "case_type"?, "description", "location":
  {"longitude", "latitude"} and/or "address", "time"?, "urgency"?, "case_number"
  (answers), "verdict" (answers: true/false, or "confirmed"/"not_confirmed",
  "resolved"/"not_resolved"), "reply" (answers), "photos": ["name.jpg" beside the
  JSON, or {"name", "base64"}]}``;
- an Open311 GeoReport v2 service request (``service_code``, ``description``,
  ``lat``, ``long``, ``address_string``, ``requested_datetime``,
  ``service_request_id``, ``media_url`` …), always a report; its ``service_code``
  files it under the category an administrator mapped it to (``seatdesk intake map``).
  A ``media_url`` is not fetched (the desk may have no internet, and fetching what a
  stranger names is not the intake's business): it is kept at the end of the
  description for the seat to open.

Writers' convention (what makes an item safe to take): write the photos first, then
the JSON under another name (``NAME.json.tmp``, or anything not ending in ``.json``),
and rename it to ``NAME.json`` when it is complete (a rename is atomic). Files that do
not end in ``.json`` are never taken; a ``.json`` is taken only once its size and
modification time have not changed for ``settle`` seconds, for writers that write in
place anyway.

Crash safety: an item is either fully written (its transaction committed, then its
files moved) or still in the inbox. Items are written in batches, one savepoint each,
and moved only after their batch commits; every item has a key (its ``id``, Open311's
``service_request_id``, or else the SHA-256 of the file), and the database takes a key
once (``intake_items``), so an item written before a crash that stopped it from being
moved is only moved to ``done/`` by the next run, never written twice. Photo files
move before their JSON, so a JSON still in the inbox always means "not finished"; when
its photos have already gone, the key (which the intake may read among its own rows)
says whether it was written.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages, terms
from seatdesk.db.calls import call
from seatdesk.domain.glossary import CaseType, IntakeKind, State
from seatdesk.errors import Problem, SeatdeskError, ValidationError
from seatdesk.progress import NoProgress, Progress
from seatdesk.services import grids
from seatdesk.services import photos as photo_service
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.photos import Photo

DONE = "done"
REJECTED = "rejected"
SUFFIX = ".json"
ERROR_SUFFIX = ".error.txt"
#: Seconds a ``.json`` must have kept its size and time before it is taken.
DEFAULT_SETTLE = 2.0
#: Items written per transaction (each in a savepoint of its own).
DEFAULT_BATCH = 100

#: The verdict words an answer may give, besides true and false.
_VERDICTS: dict[str, bool] = {
    "confirmed": True,
    "not_confirmed": False,
    "resolved": True,
    "not_resolved": False,
    "属实": True,
    "不属实": False,
    "已处置": True,
    "未处置": False,
}
_FUNCTION = {
    IntakeKind.REPORT: "seatdesk_intake_report",
    IntakeKind.VERIFY_ANSWER: "seatdesk_intake_answer",
    IntakeKind.CHECK_ANSWER: "seatdesk_intake_answer",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One item read from the inbox, checked, ready for the database."""

    path: Path
    key: str
    kind: IntakeKind
    fields: dict[str, Any]
    """The item as ``seatdesk_intake_report``/``_answer`` read it."""
    photos: tuple[Photo, ...] = ()
    photo_files: tuple[Path, ...] = ()
    """Photo files beside the JSON, moved with it."""
    prepared: dict[str, list[Any]] | None = None
    """The photos checked and thumbnailed, as the database functions take them (None:
    not done yet)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one item."""

    path: Path
    key: str | None
    case_id: CaseId | None = None
    number: str | None = None
    repeated: bool = False
    error: str | None = None
    """The one sentence of a rejected item."""
    photo_files: tuple[Path, ...] = ()
    postponed: bool = False
    """Left in the inbox for the next pass (the database was busy with its case)."""

    @property
    def accepted(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class Summary:
    accepted: int = 0
    repeated: int = 0
    rejected: int = 0
    postponed: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)

    def add(self, outcome: Outcome) -> None:
        if outcome.postponed:
            self.postponed += 1
        elif outcome.error is not None:
            self.rejected += 1
        elif outcome.repeated:
            self.repeated += 1
        else:
            self.accepted += 1
            if outcome.case_id is not None:
                self.changes = self.changes | ChangeSet(case_ids=frozenset({outcome.case_id}))

    def sentence(self) -> str:
        return messages.t("intake.summary", accepted=self.accepted, repeated=self.repeated,
                          rejected=self.rejected)


# ---- Reading an item


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _number(value: Any) -> float | None:
    """A coordinate as JSON gives it (Open311 may send numbers as text)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip()):
        number = float(value)
    elif value is None or value == "":
        return None
    else:
        raise ValueError(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _location(lon: Any, lat: Any) -> tuple[float | None, float | None]:
    try:
        x, y = _number(lon), _number(lat)
    except ValueError:
        raise Problem("intake.bad_coordinates", longitude=lon, latitude=lat) from None
    if (x is None) != (y is None) or (
        x is not None and y is not None and not (-180 <= x <= 180 and -90 <= y <= 90)
    ):
        raise Problem("intake.bad_coordinates", longitude=lon, latitude=lat)
    return x, y


def _time(value: Any) -> str | None:
    raw = _text(value)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Problem("intake.bad_time", value=raw) from None
    return parsed.isoformat()


def _photo_files(
    folder: Path, entries: Any
) -> tuple[list[Photo], list[Path], dict[str, list[Any]]]:
    """The photos an item names: files beside it, or base64 in it; each checked to be
    an image and thumbnailed (as the database functions take them)."""
    prepared: dict[str, list[Any]] = {"names": [], "data": [], "thumbs": [], "taken": []}
    if entries is None:
        return [], [], prepared
    if not isinstance(entries, list):
        raise Problem("intake.not_image", name=str(entries)[:60])
    found: list[Photo] = []
    files: list[Path] = []
    for entry in entries:
        if isinstance(entry, str):
            name = entry
            if not name or Path(name).name != name or name in (".", ".."):
                raise Problem("intake.photo_name", name=name)
            path = folder / name
            try:
                data = path.read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                raise Problem("intake.photo_missing", name=name) from None
            files.append(path)
        elif isinstance(entry, dict) and isinstance(entry.get("base64"), str):
            name = str(entry.get("name") or f"photo{len(found) + 1}")
            try:
                data = base64.b64decode(entry["base64"], validate=True)
            except (binascii.Error, ValueError):
                raise Problem("intake.bad_base64", name=name) from None
        else:
            raise Problem("intake.not_image", name=str(entry)[:60])
        photo = Photo(data, Path(name).name)
        try:
            one = photo_service.prepare([photo])
        except ValidationError:
            raise Problem("intake.not_image", name=name) from None
        for column, values in one.items():
            prepared[column] += values
        found.append(photo)
    return found, files, prepared


def _verdict(value: Any, kind: IntakeKind) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _VERDICTS:
        return _VERDICTS[value.strip().lower()]
    words = ("confirmed, not_confirmed" if kind is IntakeKind.VERIFY_ANSWER
             else "resolved, not_resolved")
    raise Problem("intake.no_verdict", allowed=f"true, false, {words}")


def _own_item(path: Path, raw: bytes, obj: dict[str, Any]) -> Item:
    kind_text = obj.get("type")
    try:
        kind = IntakeKind(str(kind_text))
    except ValueError:
        raise Problem("intake.unknown_type", value=kind_text) from None
    key = f"item:{_text(obj['id'])}" if _text(obj.get("id")) else _hash_key(raw)
    collector = _text(obj.get("collector"))
    if collector is None:
        raise Problem("intake.no_collector")
    fields: dict[str, Any] = {"type": kind.value, "collector": collector,
                              "time": _time(obj.get("time"))}
    if kind is IntakeKind.REPORT:
        description = _text(obj.get("description"))
        if description is None:
            raise Problem("intake.no_description")
        category = _text(obj.get("category_code"))
        if category is None:
            raise Problem("intake.no_category")
        location = obj.get("location")
        if location is not None and not isinstance(location, dict):
            raise Problem("intake.bad_coordinates", longitude=location, latitude="")
        loc = location or {}
        lon, lat = _location(loc.get("longitude"), loc.get("latitude"))
        address = _text(obj.get("address")) or _text(loc.get("address"))
        if lon is None and address is None:
            raise Problem("intake.no_location")
        fields.update(description=description, category_code=category,
                      case_type=_text(obj.get("case_type")),
                      longitude=lon, latitude=lat, address=address,
                      urgency=_text(obj.get("urgency")))
    else:
        number = _text(obj.get("case_number"))
        if number is None:
            raise Problem("intake.no_case_number")
        reply = _text(obj.get("reply"))
        fields.update(case_number=number, verdict=_verdict(obj.get("verdict"), kind))
        if reply is None:
            raise Problem("intake.no_reply")
        fields["reply"] = reply
    photos, files, prepared = _photo_files(path.parent, obj.get("photos"))
    if kind is not IntakeKind.REPORT and not photos:
        raise Problem("intake.no_photo")
    return Item(path, key, kind, _without_nulls(fields), tuple(photos), tuple(files),
                prepared)


def _open311_item(path: Path, raw: bytes, obj: dict[str, Any]) -> Item:
    request_id = _text(obj.get("service_request_id"))
    key = f"open311:{request_id}" if request_id else _hash_key(raw)
    description = _text(obj.get("description"))
    if description is None:
        raise Problem("intake.no_description")
    media = _text(obj.get("media_url"))
    if media:
        description = f"{description}\n{media}"
    lon, lat = _location(obj.get("long"), obj.get("lat"))
    address = _text(obj.get("address_string"))
    if lon is None and address is None:
        raise Problem("intake.no_location")
    # The requester is a citizen, not a collector: their name, e-mail or account would
    # land in cases.reporter, which every seat reads (a department's included). The case
    # names the request instead; the citizen's contact stays in the file under done/.
    reporter = f"Open311 {request_id}" if request_id else "Open311"
    fields = {"type": IntakeKind.REPORT.value, "collector": reporter[:100],
              "service_code": _text(obj.get("service_code")), "description": description,
              "longitude": lon, "latitude": lat, "address": address,
              "time": _time(obj.get("requested_datetime"))}
    return Item(path, key, IntakeKind.REPORT, _without_nulls(fields))


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _hash_key(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def item_key(path: Path) -> str | None:
    """The key of the item in ``path`` as far as it can be read (None when the file is
    not an item at all)."""
    try:
        raw = path.read_bytes()
        obj = json.loads(raw)
    except (OSError, ValueError):
        return None
    if isinstance(obj, list) and len(obj) == 1:
        obj = obj[0]
    if not isinstance(obj, dict):
        return None
    if "type" not in obj and "service_code" in obj:
        rid = _text(obj.get("service_request_id"))
        return f"open311:{rid}" if rid else _hash_key(raw)
    return f"item:{_text(obj['id'])}" if _text(obj.get("id")) else _hash_key(raw)


def read_item(path: Path) -> Item:
    """The item in ``path``, checked; ``Problem`` (one sentence) when it is refused."""
    raw = path.read_bytes()
    try:
        obj = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise Problem("intake.bad_json", detail=str(exc)[:120]) from None
    except json.JSONDecodeError as exc:
        raise Problem("intake.bad_json", detail=f"{exc.msg}, line {exc.lineno} "
                                                f"column {exc.colno}") from None
    if isinstance(obj, list) and obj and all(
        isinstance(o, dict) and "service_code" in o for o in obj
    ):
        # Open311 answers a GET with a list; one request a file.
        if len(obj) != 1:
            raise Problem("intake.many_requests", count=len(obj))
        obj = obj[0]
    if not isinstance(obj, dict):
        raise Problem("intake.not_an_item")
    if "type" not in obj and "service_code" in obj:
        return _open311_item(path, raw, obj)
    return _own_item(path, raw, obj)


def reason(error: SeatdeskError) -> str:
    """The one sentence of a rejected item's ``.error.txt``: the database's refusals of
    an item in the intake's words, any other error as it says itself."""
    if isinstance(error, ValidationError):
        value = error.problem_values.get("value")
        key = {
            ("category", "unknown"): "intake.unknown_category",
            ("category", "ambiguous"): "intake.ambiguous_category",
            ("category", "required"): "intake.no_category",
            ("service_code", "not_mapped"): "intake.unknown_service",
            ("service_code", "required"): "intake.unknown_service",
            ("case_number", "unknown"): "intake.unknown_case",
            ("case_number", "required"): "intake.no_case_number",
            ("description", "required"): "intake.no_description",
            ("collector", "required"): "intake.no_collector",
            ("reply", "required"): "intake.no_reply",
            ("photo", "required"): "intake.no_photo",
            ("location", "required"): "intake.no_location",
            ("kind", "unknown"): "intake.unknown_type",
            ("item_key", "taken"): "intake.key_taken",
        }.get((error.field, error.problem))
        if key is not None:
            return messages.t(key, value=value)
        if (error.field, error.problem) == ("case_number", "not_awaiting"):
            return messages.t(
                "intake.not_awaiting", value=value,
                state=terms.term(State(str(error.problem_values.get("state")))),
                kind=terms.term(IntakeKind(str(error.problem_values.get("kind")))))
        return messages.t("intake.bad_field", **error.values())
    return str(error)


# ---- Writing an item


#: At most this many bytes of photos (and thumbnails) go in one call of
#: ``seatdesk_intake_reports``; a report with more goes in a call of its own.
MAX_CALL_BYTES = 16 * 1024 * 1024


def _placed(item: Item, index: grids.GridIndex | None) -> dict[str, Any]:
    """The item's fields as its database function takes them, its point placed on a grid."""
    fields = dict(item.fields)
    if (index is not None and item.kind is IntakeKind.REPORT and "grid_code" not in fields
            and "longitude" in fields):
        code = index.locate(fields["longitude"], fields["latitude"])
        if code is not None:
            fields["grid_code"] = code
    return fields


def _prepared(item: Item) -> dict[str, list[Any]]:
    return item.prepared if item.prepared is not None else photo_service.prepare(
        list(item.photos))


def _outcome(item: Item, result: dict[str, Any]) -> Outcome:
    return Outcome(
        path=item.path, key=item.key,
        case_id=CaseId(result["case_id"]) if result.get("case_id") is not None else None,
        number=result.get("number"), repeated=bool(result.get("repeated")),
        photo_files=item.photo_files,
    )


def write_item(session: Session, item: Item, index: grids.GridIndex | None = None) -> Outcome:
    """Write one item through its database function; an item whose key was taken before
    writes nothing and comes back ``repeated``. The caller owns the transaction."""
    result = call(
        session,
        f"SELECT {_FUNCTION[item.kind]}(:key, CAST(:item AS jsonb), CAST(:names AS text[]), "
        "CAST(:data AS bytea[]), CAST(:thumbs AS bytea[]), CAST(:taken AS timestamptz[]))",
        {"key": item.key, "item": json.dumps(_placed(item, index), ensure_ascii=False),
         **_prepared(item)},
        action="intake",
    ).scalar_one()
    return _outcome(item, result)


def write_reports(session: Session, items: list[Item],
                  index: grids.GridIndex | None = None) -> list[Outcome]:
    """Write several reports, in order, through one call of ``seatdesk_intake_reports``
    (which writes each through ``seatdesk_intake_report``, as ``write_item`` does): the
    same outcomes, one round trip. The first refusal refuses them all (the caller's
    transaction is aborted, as after a refused ``write_item``). The caller owns the
    transaction."""
    if len(items) == 1:
        return [write_item(session, items[0], index)]
    assert all(item.kind is IntakeKind.REPORT for item in items)
    keys: list[str] = []
    payloads: list[str] = []
    counts: list[int] = []
    photos: dict[str, list[Any]] = {"names": [], "data": [], "thumbs": [], "taken": []}
    for item in items:
        keys.append(item.key)
        payloads.append(json.dumps(_placed(item, index), ensure_ascii=False))
        prepared = _prepared(item)
        counts.append(len(prepared["data"]))
        for column, values in prepared.items():
            photos[column] += values
    results = call(
        session,
        "SELECT seatdesk_intake_reports(CAST(:keys AS text[]), CAST(:items AS jsonb[]), "
        "CAST(:counts AS integer[]), CAST(:names AS text[]), CAST(:data AS bytea[]), "
        "CAST(:thumbs AS bytea[]), CAST(:taken AS timestamptz[]))",
        {"keys": keys, "items": payloads, "counts": counts, **photos},
        action="intake",
    ).scalar_one()
    assert len(results) == len(items), (len(results), len(items))
    return [_outcome(item, result) for item, result in zip(items, results, strict=True)]


def _photo_bytes(item: Item) -> int:
    prepared = item.prepared
    if prepared is None:
        return sum(len(p.data) for p in item.photos)
    return sum(len(d) for d in prepared["data"]) + sum(len(t or b"") for t in prepared["thumbs"])


def taken_before(session: Session, key: str) -> bool:
    """Whether ``key`` was taken in already (among the rows the login may read)."""
    return bool(session.execute(
        text("SELECT EXISTS (SELECT 1 FROM intake_items WHERE item_key = :k)"), {"k": key}
    ).scalar_one())


# ---- The inbox


def ready_files(inbox: Path, *, settle: float = DEFAULT_SETTLE,
                now: float | None = None) -> list[Path]:
    """The ``*.json`` files of ``inbox`` that are complete, oldest first: not changed
    for ``settle`` seconds (files still being written are left for a later pass)."""
    moment = time.time() if now is None else now
    found: list[tuple[float, str, Path]] = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if not entry.name.endswith(SUFFIX) or not entry.is_file():
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            if moment - stat.st_mtime >= settle:
                found.append((stat.st_mtime, entry.name, Path(entry.path)))
    return [p for _, _, p in sorted(found)]


def _free(target: Path) -> Path:
    """``target``, or ``target`` with a number when that name is taken already."""
    if not target.exists():
        return target
    stem, suffix = target.name.removesuffix(SUFFIX), SUFFIX if target.name.endswith(
        SUFFIX) else ""
    if not suffix:
        stem, suffix = target.stem, target.suffix
    n = 1
    while True:
        candidate = target.with_name(f"{stem}.{n}{suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = _free(folder / path.name)
    os.replace(path, target)
    return target


def settle_outcome(outcome: Outcome, inbox: Path) -> None:
    """Move a written item (photos first, the JSON last) to ``done/``, or a rejected one
    to ``rejected/`` beside its ``.error.txt``. (One intake a folder: a file another
    process moved meanwhile is left to it.)"""
    with contextlib.suppress(FileNotFoundError):
        _settle(outcome, inbox)


def _settle(outcome: Outcome, inbox: Path) -> None:
    if outcome.error is None:
        for photo in outcome.photo_files:
            if photo.exists():
                _move(photo, inbox / DONE)
        _move(outcome.path, inbox / DONE)
        return
    folder = inbox / REJECTED
    folder.mkdir(exist_ok=True)
    target = _free(folder / outcome.path.name)
    error_file = target.with_name(target.name.removesuffix(SUFFIX) + ERROR_SUFFIX)
    error_file.write_text(outcome.error + "\n", encoding="utf-8")
    os.replace(outcome.path, target)


@dataclass(frozen=True, slots=True)
class _Read:
    """An item as the read phase left it: ready to write, refused, or refused for a
    missing photo (which may have gone to ``done/`` with its item before a crash)."""

    path: Path
    item: Item | None = None
    outcome: Outcome | None = None
    recheck: str | None = None


def _read(path: Path) -> _Read | None:
    try:
        return _Read(path, item=read_item(path))
    except FileNotFoundError:
        return None  # gone since the folder was read (another intake took it)
    except Problem as exc:
        key = item_key(path)
        outcome = Outcome(path=path, key=key, error=str(exc))
        if exc.key == "intake.photo_missing" and key is not None:
            return _Read(path, outcome=outcome, recheck=key)
        return _Read(path, outcome=outcome)


class _Refused(Exception):
    """An item the database refused in a batch written without savepoints."""

    def __init__(self, index: int, error: SeatdeskError) -> None:
        super().__init__(index)
        self.index = index
        self.error = error


def _outcome_of_refusal(read: _Read, error: SeatdeskError) -> Outcome:
    assert read.item is not None
    if isinstance(error, Problem) and error.key == "case_busy":
        # A case held by another transaction for too long: not the item's fault; it
        # stays in the inbox for the next pass.
        return Outcome(path=read.path, key=read.item.key, postponed=True)
    return Outcome(path=read.path, key=read.item.key, error=reason(error))


def _write_batch(session: Session, reads: list[_Read], careful: bool) -> list[Outcome]:
    """Write a batch in the caller's transaction. Careless (the usual case: most items
    are good), no savepoints, the reports in a row sent in one call: the first refusal
    raises ``_Refused`` and the caller rolls the batch back; careful, each item in a
    savepoint of its own."""
    index = grids.grid_index(session)
    outcomes: list[Outcome] = []
    reports: list[Item] = []
    size = 0

    def send() -> None:
        nonlocal size
        if reports:
            try:
                outcomes.extend(write_reports(session, reports, index))
            except SeatdeskError as exc:
                raise _Refused(len(outcomes), exc) from exc
            reports.clear()
            size = 0

    for i, read in enumerate(reads):
        if (not careful and read.item is not None and read.recheck is None
                and read.outcome is None and read.item.kind is IntakeKind.REPORT):
            bytes_ = _photo_bytes(read.item)
            if reports and size + bytes_ > MAX_CALL_BYTES:
                send()
            reports.append(read.item)
            size += bytes_
            continue
        send()  # in order: what came before this item is written before it
        if read.recheck is not None:
            assert read.outcome is not None
            # Its photos went to done/ before a crash stopped the JSON from following.
            outcomes.append(Outcome(path=read.path, key=read.recheck, repeated=True)
                            if taken_before(session, read.recheck) else read.outcome)
        elif read.outcome is not None:
            outcomes.append(read.outcome)
        else:
            assert read.item is not None
            if not careful:
                try:
                    outcomes.append(write_item(session, read.item, index))
                except SeatdeskError as exc:
                    raise _Refused(i, exc) from exc
                continue
            try:
                with session.begin_nested():
                    outcomes.append(write_item(session, read.item, index))
            except SeatdeskError as exc:
                outcomes.append(_outcome_of_refusal(read, exc))
    send()
    return outcomes


def run_inbox(
    begin: Callable[[], AbstractContextManager[Session]],
    inbox: Path,
    *,
    batch: int = DEFAULT_BATCH,
    settle: float = DEFAULT_SETTLE,
    progress: Progress | None = None,
    stop: Callable[[], bool] = lambda: False,
    files: list[Path] | None = None,
) -> Summary:
    """Take in every ready item of ``inbox`` once.

    ``begin()`` opens a transaction (committed when its block ends without an error).
    Items are read and checked ``batch`` at a time, then written in one transaction
    without savepoints (a savepoint costs two round trips an item), the reports in one
    call (``write_reports``); when the database refuses one, the batch is rolled back
    and written again with a savepoint for each item, so a refused item takes back only
    itself. Files move only after their transaction has committed. The next batch is
    read while one is written. ``stop()`` is asked before each item is read: when it
    says so, the items read so far are written, committed and moved, and the run ends.
    """
    progress = progress or NoProgress()
    todo = ready_files(inbox, settle=settle) if files is None else files
    progress.start(len(todo))
    summary = Summary()
    chunks = list(_chunks(todo, max(1, batch)))

    def read_chunk(chunk: list[Path]) -> list[_Read]:
        reads: list[_Read] = []
        for path in chunk:
            if stop():
                break
            read = _read(path)
            if read is not None:
                reads.append(read)
        return reads

    def settle_all(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if not outcome.postponed:
                settle_outcome(outcome, inbox)
            summary.add(outcome)
            progress.advance()

    # The next batch is read (files, JSON, photos decoded and thumbnailed) on a thread
    # of its own while this one is written, and a written one's files move on a third:
    # the database's time and the files' overlap. Each batch moves only once committed.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-read") as reader, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-move") as mover:
        ahead: Future[list[_Read]] | None = reader.submit(read_chunk, chunks[0]) if chunks \
            else None
        moving: Future[None] | None = None
        for k in range(len(chunks)):
            assert ahead is not None
            reads = ahead.result()
            ahead = (reader.submit(read_chunk, chunks[k + 1])
                     if k + 1 < len(chunks) and not stop() else None)
            try:
                with begin() as session:
                    outcomes = _write_batch(session, reads, careful=False)
            except _Refused:
                with begin() as session:
                    outcomes = _write_batch(session, reads, careful=True)
            # Committed: now, and only now, the files move.
            if moving is not None:
                moving.result()
            moving = mover.submit(settle_all, outcomes)
            if stop() or ahead is None:
                break
        if moving is not None:
            moving.result()
    return summary


def _chunks(paths: list[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(paths), size):
        yield paths[start:start + size]


# ---- Open311 mappings (an administrator's)


@dataclass(frozen=True, slots=True)
class ServiceMapping:
    service_code: str
    case_type: CaseType
    category_code: str
    category_name: str
    updated_by: str
    updated_at: datetime


def map_service(session: Session, service_code: str, category_code: str | None,
                case_type: CaseType | None = None) -> None:
    """File Open311 requests of ``service_code`` under a minor class (``None``: remove
    the mapping). An admin's (or the owner's) step; the caller owns the transaction."""
    call(
        session,
        "SELECT seatdesk_set_open311_service(:code, :type, :category)",
        {"code": service_code, "type": case_type.value if case_type else None,
         "category": category_code},
        action="open311_map",
    )


def service_mappings(session: Session) -> list[ServiceMapping]:
    rows = session.execute(text("""
        SELECT s.service_code, c.case_type, c.code, c.name, s.updated_by, s.updated_at
        FROM open311_services s JOIN categories c ON c.id = s.category_id
        ORDER BY s.service_code
    """)).all()
    return [ServiceMapping(r[0], CaseType(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


# ---- What the acceptor's dialog pre-fills


@dataclass(frozen=True, slots=True)
class CollectorAnswer:
    kind: IntakeKind
    verdict: bool
    collector: str
    reply: str
    at: datetime


def latest_answer(session: Session, case_id: CaseId) -> CollectorAnswer | None:
    """The collector's answer the intake took in for the case's current verification or
    check (since it last changed state), the latest if several came; None when none."""
    row = session.execute(text("""
        SELECT e.data, e.at FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.case_id = :case AND e.action = 'collector_answer' AND e.at >= c.updated_at
        ORDER BY e.id DESC LIMIT 1
    """), {"case": case_id}).one_or_none()
    if row is None:
        return None
    data = row[0]
    return CollectorAnswer(IntakeKind(data["kind"]), bool(data["verdict"]),
                           str(data.get("collector", "")), str(data.get("reply", "")), row[1])
