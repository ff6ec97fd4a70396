"""Photos of a case: checked to be images, stored with a thumbnail."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.db.models import Attachment
from seatdesk.domain.glossary import AttachmentStep
from seatdesk.errors import NotFound, ValidationError
from seatdesk.services.common import AttachmentId, CaseId

MAX_PHOTO_MB = 20
THUMBNAIL_PX = 160


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo to attach, as the caller read it from a file or a device."""

    data: bytes
    filename: str = ""
    taken_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    id: AttachmentId
    step: AttachmentStep
    filename: str
    content_type: str
    size: int
    thumbnail: bytes | None
    taken_at: datetime | None
    uploaded_by: str
    uploaded_at: datetime


def _inspect(photo: Photo) -> tuple[str, bytes]:
    """The content type and a JPEG thumbnail, or ``ValidationError`` naming the problem."""
    if len(photo.data) > MAX_PHOTO_MB * 1024 * 1024:
        raise ValidationError("photo", "too_large", limit=MAX_PHOTO_MB)
    try:
        with Image.open(io.BytesIO(photo.data)) as img:
            img.load()
            fmt = img.format or ""
            thumb = img.convert("RGB")
            thumb.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = io.BytesIO()
            thumb.save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError("photo", "not_image") from exc
    content_type = Image.MIME.get(fmt, "application/octet-stream")
    return content_type, out.getvalue()


def prepare(photos: list[Photo]) -> dict[str, list[Any]]:
    """Every photo checked and thumbnailed, as the arrays the database functions take."""
    checked = [(p, *_inspect(p)) for p in photos]
    return {
        "names": [p.filename[:255] for p, _, _ in checked],
        "data": [p.data for p, _, _ in checked],
        "thumbs": [thumb for _, _, thumb in checked],
        "taken": [p.taken_at for p, _, _ in checked],
    }


def add_photos(
    session: Session,
    case_id: CaseId,
    step: AttachmentStep,
    photos: list[Photo],
    *,
    expected_version: int | None = None,
) -> list[AttachmentId]:
    """Store photos of a case; every photo is checked before any is written, and the
    database takes them only from a seat that may take one of the step's actions (and,
    given ``expected_version``, only while the case is as the seat read it)."""
    ids = call(
        session,
        "SELECT seatdesk_add_photos(:case_id, :step, CAST(:names AS text[]), "
        "CAST(:data AS bytea[]), CAST(:thumbs AS bytea[]), CAST(:taken AS timestamptz[]), "
        ":version)",
        {"case_id": case_id, "step": step.value, "version": expected_version,
         **prepare(photos)},
        action="photo",
    ).scalar_one()
    return [AttachmentId(i) for i in ids or []]


def count_photos(session: Session, case_id: CaseId) -> int:
    return session.execute(
        select(func.count()).select_from(Attachment).where(Attachment.case_id == case_id)
    ).scalar_one()


def list_photos(session: Session, case_id: CaseId) -> list[PhotoInfo]:
    rows = session.execute(
        select(
            Attachment.id,
            Attachment.step,
            Attachment.filename,
            Attachment.content_type,
            Attachment.size,
            Attachment.thumbnail,
            Attachment.taken_at,
            Attachment.uploaded_by,
            Attachment.uploaded_at,
        )
        .where(Attachment.case_id == case_id)
        .order_by(Attachment.id)
    ).all()
    return [
        PhotoInfo(
            id=AttachmentId(r.id),
            step=AttachmentStep(r.step),
            filename=r.filename,
            content_type=r.content_type,
            size=r.size,
            thumbnail=r.thumbnail,
            taken_at=r.taken_at,
            uploaded_by=r.uploaded_by,
            uploaded_at=r.uploaded_at,
        )
        for r in rows
    ]


def photo_data(session: Session, attachment_id: AttachmentId) -> bytes:
    data = session.execute(
        select(Attachment.data).where(Attachment.id == attachment_id)
    ).scalar_one_or_none()
    if data is None:
        raise NotFound("photo", attachment_id)
    return bytes(data)
