"""Meeting documents: the plain data each PDF shows, its content hash, and rendering with WeasyPrint.

The data is built as plain dicts and lists (no model instances), so the same dict is hashed to decide whether
a cached PDF is still current, frozen into a MinutesRevision when the meeting closes, and rendered.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db.models import Q
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override, pgettext_lazy

from .models import AgendaItem, Meeting, MeetingDocument, MinutesRevision

KINDS = [k.value for k in MeetingDocument.Kind]
# Download labels; "Invitation" alone is the stakeholders' join invitation ("Undangan bergabung"), hence a context.
KIND_LABELS = [
    ("invitation", pgettext_lazy("meeting document", "Invitation")),
    ("attendance", MeetingDocument.Kind.ATTENDANCE.label),
    ("minutes", MeetingDocument.Kind.MINUTES.label),
]
TEMPLATES = {kind: f"forums/pdf/{kind}.html" for kind in KINDS}
# Blank rows under the invitees on the attendance list, for people who come without an invitation.
WALK_IN_ROWS = 8
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LOCAL_ROOTS = (FONT_DIR, Path(settings.BASE_DIR) / "forums" / "static")


def _person(user) -> str:
    return str(user) if user else ""


def _meeting_data(meeting: Meeting) -> dict:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    forum = meeting.forum
    return {
        "tenant": meeting.tenant.name,
        "forum": {"name": forum.name, "code": forum.code, "level": forum.level,
                  "region": str(forum.region) if forum.region_id else ""},
        "meeting": {
            "id": meeting.pk, "number": meeting.number, "title": meeting.title,
            "date": start.date().isoformat(), "start": start.strftime("%H.%M"), "end": end.strftime("%H.%M"),
            "place": meeting.place, "online_link": meeting.online_link,
            "issued": timezone.localtime(meeting.created_at).date().isoformat() if meeting.created_at else "",
        },
        "chair": _person(forum.chair),
        "secretary": _person(forum.secretary),
        # A regional forum dates its letters in its kabupaten/kota; a provincial one in the province's capital.
        **({"province": "", "capital": ""} if forum.region_id else _province(meeting)),
    }


def _province(meeting: Meeting) -> dict:
    """The tenant's province and its capital city ("Daerah Istimewa Yogyakarta", "Yogyakarta"); the capital is
    empty when the region data does not give one."""
    from stakeholders.models import Region

    province = Region.objects.filter(tenant=meeting.tenant, kind=Region.Kind.PROVINCE).first()
    if province is None:
        return {"province": meeting.tenant.name.removeprefix("SATUSAMA "), "capital": ""}
    return {"province": province.name, "capital": province.capital}


def _program_data(item: AgendaItem) -> dict | None:
    """The program under review on an item."""
    program = item.program
    if program is None:
        return None
    return {"ref": program.ref, "title": program.title, "organization": program.owner.name}


def _decision_data(item: AgendaItem) -> dict | None:
    decision = getattr(item, "decision", None)  # the reverse one-to-one raises AttributeError when absent
    if decision is None:
        return None
    return {"outcome": decision.outcome, "conditions": decision.conditions, "reason": decision.reason}


def _overlaps_by_program(program_ids: list[int]) -> dict[int, list[dict]]:
    """Overlap flags of these programs and how they stand, one query for the whole agenda.

    Plain data for the frozen minutes: the other program, open or resolved, the resolution code and the note.
    The resolution is worded when the document is rendered (`resolution_labels`), like the decision outcome.
    """
    from programs.models import OverlapFlag

    if not program_ids:
        return {}
    flags = (OverlapFlag.objects.filter(Q(program_a_id__in=program_ids) | Q(program_b_id__in=program_ids))
             .select_related("program_a", "program_b").order_by("status", "-score", "pk"))
    result: dict[int, list[dict]] = {}
    for flag in flags:
        for mine, other in ((flag.program_a, flag.program_b), (flag.program_b, flag.program_a)):
            if mine.pk in program_ids:
                result.setdefault(mine.pk, []).append({
                    "other_ref": other.ref, "other_title": other.title, "status": flag.status,
                    "resolution": flag.resolution, "note": flag.note,
                })
    return result


def minutes_snapshot(meeting: Meeting) -> dict:
    """Everything the minutes show, as plain data: this is what closing the meeting freezes and hashes."""
    items = list(meeting.agenda_items.select_related("decision", "program", "program__owner")
                 .order_by("position", "pk"))
    overlaps = _overlaps_by_program([item.program_id for item in items if item.program_id])
    data = _meeting_data(meeting)
    data["attendance"] = [
        {"name": a.full_name, "organization": a.organization_name, "position": a.position}
        for a in meeting.attendances.order_by("organization_name", "full_name", "pk")
    ]
    data["items"] = [
        {
            "id": item.pk, "position": n, "kind": item.kind, "title": item.title, "description": item.description,
            "program": _program_data(item), "minutes": item.minutes, "decision": _decision_data(item),
            "overlaps": overlaps.get(item.program_id, []),
        }
        for n, item in enumerate(items, start=1)
    ]
    data["revision"] = 0
    data["amendment_reason"] = ""
    return data


def _invitee_rows(meeting: Meeting) -> list[dict]:
    return [
        {"name": i.full_name, "organization": i.organization_name, "position": i.position}
        for i in meeting.invitees.order_by("organization_name", "full_name", "pk")
    ]


def invitation_data(meeting: Meeting) -> dict:
    data = _meeting_data(meeting)
    data["recipients"] = _invitee_rows(meeting)
    data["items"] = [
        {"title": item.title, "kind": item.kind}
        for item in meeting.agenda_items.order_by("position", "pk")
    ]
    return data


def attendance_data(meeting: Meeting) -> dict:
    data = _meeting_data(meeting)
    data["rows"] = _invitee_rows(meeting) + [{"name": "", "organization": "", "position": ""}] * WALK_IN_ROWS
    return data


def latest_revision(meeting: Meeting) -> MinutesRevision | None:
    return meeting.revisions.order_by("-number").first()


def document_data(meeting: Meeting, kind: str) -> dict:
    """The data one document shows now. Closed minutes come from the latest frozen revision, never live rows."""
    if kind == "invitation":
        return invitation_data(meeting)
    if kind == "attendance":
        return attendance_data(meeting)
    revision = latest_revision(meeting) if meeting.is_closed else None
    if revision is None:
        return {**minutes_snapshot(meeting), "verification": None}
    return {**revision.content, "revision": revision.number, "amendment_reason": revision.reason,
            "verification": {
                "code": revision.verification_code, "hash": revision.content_hash,
                "url": settings.SITE_URL.rstrip("/")
                + reverse("forums:verify", args=[meeting.tenant.slug, revision.verification_code]),
            }}


@cache
def template_fingerprint() -> str:
    """Changes when a PDF template changes, so cached PDFs are re-rendered after a deploy that alters them."""
    digest = hashlib.sha256()
    for name in ["forums/pdf/base.html", *TEMPLATES.values()]:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:16]


def document_hash(kind: str, data: dict) -> str:
    from .services import content_hash

    return content_hash({"kind": kind, "templates": template_fingerprint(), "lang": settings.LANGUAGE_CODE,
                         "data": data})


class LocalOnlyFetcher:
    """WeasyPrint URL fetcher that serves only local font and stylesheet files and refuses everything else."""

    def __init__(self):
        from weasyprint.urls import URLFetcher

        self._fetcher = URLFetcher(allowed_protocols={"file"})
        self._fail_on_errors = False

    def __call__(self, url: str):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"refused non-local URL: {url}")
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in LOCAL_ROOTS):
            raise ValueError(f"refused file outside the allowed folders: {url}")
        return self._fetcher.fetch(url)


# An invitation recorded after the fact is dated the usual week's notice before the meeting.
NOTICE = timedelta(days=7)


def letter_date(issued: str | None, meeting_date: date, *, today: date) -> date:
    """The invitation's date: the day the meeting was planned, but never on or after the meeting day."""
    day = date.fromisoformat(issued) if issued else today
    return day if day < meeting_date else meeting_date - NOTICE


def letter_place(data: dict) -> str:
    """Where the forum's letters are signed: its kabupaten/kota ("Sleman", "Yogyakarta"); a provincial forum's, the
    province's capital ("Yogyakarta"), else (no capital known, or minutes frozen before capitals were recorded) the
    province's name."""
    place = (data["forum"]["region"] or data.get("capital") or data.get("province")
             or data["tenant"].removeprefix("SATUSAMA "))
    return place.removeprefix("Kota ").removeprefix("Kabupaten ")


def render_pdf(kind: str, data: dict) -> bytes:
    """Render one document to PDF bytes (A4, Indonesian formal layout), with no network access."""
    from weasyprint import HTML

    from programs.models import OverlapFlag

    from .models import Decision

    start = timezone.localtime(timezone.now())
    meeting_date = date.fromisoformat(data["meeting"]["date"])
    issued = letter_date(data["meeting"].get("issued"), meeting_date, today=start.date())
    place = letter_place(data)
    with override(settings.LANGUAGE_CODE):
        context = {
            "doc": data, "kind": kind, "font_dir": FONT_DIR.as_uri(), "LANGUAGE_CODE": settings.LANGUAGE_CODE,
            "meeting_date": meeting_date,
            "tz": start.tzname() or "",
            # The letter is dated where the forum sits: "Sleman, 4 Desember 2026"; the minutes on the meeting day.
            "place_date": f"{place}, {date_format(issued, 'j F Y')}",
            "place_meeting_date": f"{place}, {date_format(meeting_date, 'j F Y')}",
            "outcome_labels": [(c.value, str(c.label)) for c in Decision.Outcome],
            "resolution_labels": [(c.value, str(c.label)) for c in OverlapFlag.Resolution],
        }
        html = render_to_string(TEMPLATES[kind], context)
    return HTML(string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/",
                url_fetcher=LocalOnlyFetcher()).write_pdf()
