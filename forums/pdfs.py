"""The meeting-PDF cache: a document is re-rendered only when the hash of what it shows has changed."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from satusama.jobs import enqueue_on_commit

from .documents import document_data, document_hash, render_pdf
from .models import Meeting, MeetingDocument

# A request older than this without a result is assumed lost (worker died) and is queued again.
STALE_REQUEST = timedelta(minutes=5)


def _document(meeting: Meeting, kind: str) -> MeetingDocument:
    doc, _created = MeetingDocument.objects.get_or_create(tenant=meeting.tenant, meeting=meeting, kind=kind)
    return doc


def is_current(doc: MeetingDocument, current_hash: str) -> bool:
    return bool(doc.file) and doc.rendered_hash == current_hash


def ensure_rendered(*, meeting: Meeting, kind: str) -> MeetingDocument:
    """Render now if the cached PDF is missing or stale; otherwise leave it alone."""
    data = document_data(meeting, kind)
    current = document_hash(kind, data)
    doc = _document(meeting, kind)
    if is_current(doc, current):
        return doc
    pdf = render_pdf(kind, data)
    old_name = doc.file.name if doc.file else ""
    safe_number = meeting.number.replace("/", "-")
    doc.file.save(f"{safe_number}-{kind}-{current[:12]}.pdf", ContentFile(pdf), save=False)
    doc.rendered_hash = current
    doc.rendered_at = timezone.now()
    doc.save(update_fields=["file", "rendered_hash", "rendered_at"])
    if old_name and old_name != doc.file.name:
        doc.file.storage.delete(old_name)
    return doc


def request_document(*, meeting: Meeting, kind: str) -> tuple[MeetingDocument, bool]:
    """The cached PDF if current (True), else queue its rendering once and answer (doc, False)."""
    from .tasks import render_meeting_document

    current = document_hash(kind, document_data(meeting, kind))
    doc = _document(meeting, kind)
    if is_current(doc, current):
        return doc, True
    now = timezone.now()
    if doc.requested_hash != current or not doc.requested_at or doc.requested_at < now - STALE_REQUEST:
        doc.requested_hash, doc.requested_at = current, now
        doc.save(update_fields=["requested_hash", "requested_at"])
        enqueue_on_commit(render_meeting_document, tenant_id=meeting.tenant_id, meeting_id=meeting.pk, kind=kind)
    return doc, False
