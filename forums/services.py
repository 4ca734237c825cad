"""Writes on forums and meetings: keyword-only, in transactions, refusing bad input with a clear message.

Every refusal raises `ForumError` (a ValidationError) before anything is written, so a refused action changes
nothing. Side effects (e-mail, PDF rendering) are explicit calls queued on commit.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from guardian.shortcuts import assign_perm, remove_perm

from satusama.mail import queue_email
from satusama.models import EmailDelivery
from satusama.ordering import move_in_order
from stakeholders.models import Membership, Organization, User

from .models import (
    AgendaAttachment,
    AgendaItem,
    Attendance,
    Forum,
    ForumMember,
    Invitee,
    Meeting,
    MinutesRevision,
)
from .permissions import MANAGE

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# extension → (content type, magic bytes the file must start with; None = plain text accepted as is)
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", b"%PDF-"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK\x03\x04"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


class ForumError(ValidationError):
    """A refused forum action; the message is shown to the user as is."""


# --- Forums -------------------------------------------------------------------------------------------

def forum_set_officers(*, forum: Forum, chair: User | None, secretary: User | None) -> Forum:
    """Name the chair and the secretary and move the object permission with them."""
    with transaction.atomic():
        for old in {forum.chair, forum.secretary} - {chair, secretary, None}:
            remove_perm(f"forums.{MANAGE}", old, forum)
        forum.chair, forum.secretary = chair, secretary
        forum.save(update_fields=["chair", "secretary"])
        for person in {chair, secretary} - {None}:
            assign_perm(f"forums.{MANAGE}", person, forum)
    return forum


def forum_add_member(*, forum: Forum, organization: Organization, representative: User | None = None,
                     position: str = "") -> ForumMember:
    member, _created = ForumMember.objects.update_or_create(
        tenant=forum.tenant, forum=forum, organization=organization,
        defaults={"representative": representative, "position": position},
    )
    return member


# --- Meetings -----------------------------------------------------------------------------------------

def _check_times(starts_at: datetime, ends_at: datetime, *, now: datetime | None = None) -> None:
    if starts_at < (now or timezone.now()):
        raise ForumError(_("A meeting cannot be planned in the past. Choose a date and time from now on."))
    if ends_at <= starts_at:
        raise ForumError(_("The meeting must end after it starts."))


def meeting_create(*, forum: Forum, by: User, title: str, starts_at: datetime, ends_at: datetime,
                   place: str = "", online_link: str = "", invite_members: bool = True,
                   allow_past: bool = False) -> Meeting:
    """Plan a meeting with the next number of its forum and year (e.g. 03/FK-SLM/2025)."""
    if not allow_past:
        _check_times(starts_at, ends_at)
    elif ends_at <= starts_at:
        raise ForumError(_("The meeting must end after it starts."))
    if not (place or online_link):
        raise ForumError(_("Give a place, an online link, or both."))
    year = timezone.localtime(starts_at).year
    with transaction.atomic():
        # Lock the forum row: two secretaries planning at once must not get the same number.
        # (ordered by pk: the default ordering joins the nullable region, which FOR UPDATE refuses on PostgreSQL)
        Forum.objects.select_for_update().filter(pk=forum.pk).order_by("pk").first()
        last = Meeting.objects.filter(tenant=forum.tenant, forum=forum, year=year).aggregate(m=Max("sequence"))["m"]
        sequence = (last or 0) + 1
        meeting = Meeting.objects.create(
            tenant=forum.tenant, forum=forum, year=year, sequence=sequence,
            number=f"{sequence:02d}/{forum.code}/{year}", title=title, starts_at=starts_at, ends_at=ends_at,
            place=place, online_link=online_link,
        )
        if invite_members:
            invitees_from_members(meeting=meeting)
    return meeting


def meeting_update(*, meeting: Meeting, by: User, title: str, starts_at: datetime, ends_at: datetime,
                   place: str = "", online_link: str = "") -> Meeting:
    _refuse_closed(meeting)
    if starts_at != meeting.starts_at or ends_at != meeting.ends_at:
        _check_times(starts_at, ends_at)
    if not (place or online_link):
        raise ForumError(_("Give a place, an online link, or both."))
    meeting.title, meeting.starts_at, meeting.ends_at = title, starts_at, ends_at
    meeting.place, meeting.online_link = place, online_link
    meeting.save(update_fields=["title", "starts_at", "ends_at", "place", "online_link"])
    return meeting


def meeting_duplicate(*, meeting: Meeting, by: User, starts_at: datetime, ends_at: datetime) -> Meeting:
    """The next meeting of the same forum: same title, place and link, invitees and standing items."""
    with transaction.atomic():
        new = meeting_create(
            forum=meeting.forum, by=by, title=meeting.title, starts_at=starts_at, ends_at=ends_at,
            place=meeting.place, online_link=meeting.online_link, invite_members=False,
        )
        Invitee.objects.bulk_create([
            Invitee(tenant=new.tenant, meeting=new, user_id=i.user_id, full_name=i.full_name,
                    organization_name=i.organization_name, position=i.position, email=i.email)
            for i in meeting.invitees.all()
        ])
        AgendaItem.objects.bulk_create([
            AgendaItem(tenant=new.tenant, meeting=new, position=n, kind=AgendaItem.Kind.TOPIC, title=item.title,
                       description=item.description, standing=True)
            for n, item in enumerate(meeting.agenda_items.filter(standing=True), start=1)
        ])
    return new


def _refuse_closed(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise ForumError(_("This meeting is closed: its minutes are frozen. Amend them with a new revision."))


def _lock_open(meeting: Meeting) -> None:
    """Inside a transaction: wait for a concurrent closing to finish, then refuse if the meeting is closed.

    FOR NO KEY UPDATE conflicts with the FOR UPDATE of meeting_close, so nothing slips into a meeting after its
    minutes were frozen. Lock order everywhere: meeting, then agenda item, then program.
    """
    locked = Meeting.objects.select_for_update(no_key=True).filter(pk=meeting.pk).order_by().first()
    _refuse_closed(locked)


def invitees_from_members(*, meeting: Meeting) -> int:
    """Invite every member organisation's representative (or the organisation, when nobody is named)."""
    existing = set(meeting.invitees.exclude(user=None).values_list("user_id", flat=True))
    people = {meeting.forum.chair, meeting.forum.secretary} - {None}
    rows = [_invitee_for(meeting, person) for person in people if person.pk not in existing]
    existing |= {p.pk for p in people}
    for member in meeting.forum.members.select_related("organization", "representative"):
        rep = member.representative
        if rep is not None and rep.pk in existing:
            continue
        rows.append(Invitee(
            tenant=meeting.tenant, meeting=meeting, user=rep, full_name=str(rep) if rep else member.organization.name,
            organization_name=member.organization.name, position=member.position,
            email=rep.email if rep else member.organization.contact_email,
        ))
        if rep is not None:
            existing.add(rep.pk)
    Invitee.objects.bulk_create(rows)
    return len(rows)


def _invitee_for(meeting: Meeting, person: User) -> Invitee:
    membership = (Membership.objects.filter(tenant=meeting.tenant, user=person)
                  .select_related("organization").order_by("pk").first())
    return Invitee(
        tenant=meeting.tenant, meeting=meeting, user=person, full_name=str(person), email=person.email,
        organization_name=membership.organization.name if membership else "",
        position=membership.position if membership else "",
    )


def invitee_add(*, meeting: Meeting, name: str, organization_name: str = "", position: str = "",
                email: str = "", user: User | None = None) -> Invitee:
    _refuse_closed(meeting)
    if not name.strip():
        raise ForumError(_("Give the invitee's name."))
    if user is not None and meeting.invitees.filter(user=user).exists():
        raise ForumError(_("This person is already invited."))
    return Invitee.objects.create(tenant=meeting.tenant, meeting=meeting, user=user, full_name=name.strip(),
                                  organization_name=organization_name, position=position, email=email)


def invitee_remove(*, invitee: Invitee) -> None:
    _refuse_closed(invitee.meeting)
    invitee.delete()


@transaction.atomic
def meeting_send_invitations(*, meeting: Meeting, base_url: str) -> list[EmailDelivery]:
    """E-mail the invitation to every invitee with an address; returns their deliveries, one per invitee."""
    url = base_url + reverse("forums:meeting", args=[meeting.tenant.slug, meeting.pk])
    items = [item.title for item in meeting.agenda_items.all()]
    deliveries = []
    with override(settings.LANGUAGE_CODE):
        when = timezone.localtime(meeting.starts_at)
        for invitee in meeting.invitees.exclude(email=""):
            body = "\n".join([
                _("Dear %(name)s,") % {"name": invitee.full_name},
                "",
                _("You are invited to the meeting %(number)s of %(forum)s: %(title)s.") % {
                    "number": meeting.number, "forum": meeting.forum.name, "title": meeting.title},
                _("Date and time: %(when)s") % {"when": when.strftime("%d-%m-%Y %H.%M")},
                *([_("Place: %(place)s") % {"place": meeting.place}] if meeting.place else []),
                *([_("Online link: %(link)s") % {"link": meeting.online_link}] if meeting.online_link else []),
                "",
                _("Agenda:"),
                *[f"{n}. {title}" for n, title in enumerate(items, start=1)],
                "",
                _("Meeting page (agenda, documents and calendar file): %(url)s") % {"url": url},
            ])
            deliveries.append(queue_email(EmailMessage(
                subject=_("Invitation: %(number)s %(title)s") % {"number": meeting.number, "title": meeting.title},
                body=body, to=[invitee.email], from_email=settings.DEFAULT_FROM_EMAIL,
            ), topic=invitee.invitation_mail_topic, tenant=meeting.tenant))
    return deliveries


def meeting_mark_held(*, meeting: Meeting, by: User) -> Meeting:
    _refuse_closed(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    return meeting


# --- Agenda -------------------------------------------------------------------------------------------

def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def agenda_add_topic(*, meeting: Meeting, title: str, description: str = "", standing: bool = False) -> AgendaItem:
    _refuse_closed(meeting)
    if not title.strip():
        raise ForumError(_("Give the agenda item a title."))
    return AgendaItem.objects.create(
        tenant=meeting.tenant, meeting=meeting, position=_next_position(meeting), kind=AgendaItem.Kind.TOPIC,
        title=title.strip(), description=description, standing=standing,
    )


def agenda_move(*, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour on the agenda (positions renumbered 1..n)."""
    _refuse_closed(item.meeting)
    with transaction.atomic():
        move_in_order(item.meeting.agenda_items.all(), item, up=up, field="position")


def agenda_remove(*, item: AgendaItem) -> None:
    _refuse_closed(item.meeting)
    if item.kind == AgendaItem.Kind.PROGRAM:
        raise ForumError(_("A program under review stays on the agenda until the forum decides on it."))
    item.delete()


def attachment_add(*, item: AgendaItem, upload, by: User) -> AgendaAttachment:
    """Attach a document to an agenda item, after checking its size, extension and actual content."""
    _refuse_closed(item.meeting)
    name = upload.name.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ForumError(_("This file type is not accepted. Use PDF, Word, Excel, PowerPoint, PNG or JPEG."))
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ForumError(_("The file is larger than 10 MB."))
    content_type, magic = ATTACHMENT_TYPES[ext]
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ForumError(_("The file's content does not match its type (.%(ext)s).") % {"ext": ext})
    return AgendaAttachment.objects.create(
        tenant=item.tenant, agenda_item=item, file=upload, name=name[:200], size=upload.size,
        content_type=content_type, uploaded_by=by,
    )


def minutes_save(*, item: AgendaItem, text: str, by: User) -> AgendaItem:
    _refuse_closed(item.meeting)
    with transaction.atomic():
        _lock_open(item.meeting)
        item.minutes = text
        item.minutes_updated_at = timezone.now()
        item.save(update_fields=["minutes", "minutes_updated_at"])
    return item


# --- Attendance ---------------------------------------------------------------------------------------

def attendance_record(*, meeting: Meeting, by: User, invitee: Invitee | None = None, name: str = "",
                      organization_name: str = "", position: str = "") -> Attendance:
    """The secretary ticks an invitee, or writes in a walk-in by name."""
    _refuse_closed(meeting)
    if invitee is not None:
        existing = meeting.attendances.filter(invitee=invitee).first()
        if existing is None and invitee.user_id:
            existing = meeting.attendances.filter(user_id=invitee.user_id).first()
        if existing:
            return existing
        return Attendance.objects.create(
            tenant=meeting.tenant, meeting=meeting, invitee=invitee, user_id=invitee.user_id,
            full_name=invitee.full_name, organization_name=invitee.organization_name, position=invitee.position,
            method=Attendance.Method.SECRETARY,
        )
    if not name.strip():
        raise ForumError(_("Give the attendee's name."))
    return Attendance.objects.create(
        tenant=meeting.tenant, meeting=meeting, full_name=name.strip(), organization_name=organization_name,
        position=position, method=Attendance.Method.SECRETARY,
    )


def attendance_remove(*, attendance: Attendance) -> None:
    _refuse_closed(attendance.meeting)
    attendance.delete()


def check_in(*, meeting: Meeting, code: str, user: User, now: datetime | None = None) -> Attendance:
    """Self check-in with the code shown in the room; only while the meeting runs."""
    if code != meeting.checkin_code:
        raise ForumError(_("This check-in code is not valid for this meeting."))
    if not meeting.checkin_open(now):
        raise ForumError(_("Check-in is only open during the meeting."))
    existing = meeting.attendances.filter(user=user).first()
    if existing:
        return existing
    invitee = meeting.invitees.filter(user=user).first()
    if invitee is not None:
        existing = meeting.attendances.filter(invitee=invitee).first()
        if existing:
            return existing
        return Attendance.objects.create(
            tenant=meeting.tenant, meeting=meeting, invitee=invitee, user=user, full_name=invitee.full_name,
            organization_name=invitee.organization_name, position=invitee.position, method=Attendance.Method.SELF,
        )
    person = _invitee_for(meeting, user)
    return Attendance.objects.create(
        tenant=meeting.tenant, meeting=meeting, user=user, full_name=person.full_name,
        organization_name=person.organization_name, position=person.position, method=Attendance.Method.SELF,
    )


# --- Closing and frozen minutes -------------------------------------------------------------------------

def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON of the minutes: the same content always gives the same code."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def meeting_close(*, meeting: Meeting, by: User, base_url: str = "") -> MinutesRevision:
    """Close the meeting: freeze the minutes as revision 1 and tell the members."""
    from .documents import minutes_snapshot

    _refuse_closed(meeting)
    if timezone.now() < meeting.starts_at:
        raise ForumError(_("A meeting can only be closed once it has started."))
    with transaction.atomic():
        # Re-read under a lock: of two secretaries closing at once, one closes and the other is refused.
        locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).order_by().first()
        _refuse_closed(locked)
        content = minutes_snapshot(meeting)
        revision = MinutesRevision.objects.create(
            tenant=meeting.tenant, meeting=meeting, number=1, content=content, content_hash=content_hash(content),
            reason="", created_by=by,
        )
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_at = timezone.now()
        meeting.closed_by = by
        meeting.save(update_fields=["status", "closed_at", "closed_by"])
        _notify_members_closed(meeting=meeting, revision=revision, base_url=base_url)
    return revision


def minutes_amend(*, meeting: Meeting, by: User, reason: str, minutes: dict[int, str]) -> MinutesRevision:
    """Amend closed minutes: a new revision with a reason; earlier revisions stay as they were."""
    if not meeting.is_closed:
        raise ForumError(_("Only the minutes of a closed meeting are amended by revision; edit them directly."))
    if not reason.strip():
        raise ForumError(_("Give the reason for the amendment."))
    with transaction.atomic():
        last = meeting.revisions.select_for_update().order_by("-number").first()
        content = json.loads(json.dumps(last.content))
        changed = False
        for item in content["items"]:
            new_text = minutes.get(item["id"])
            if new_text is not None and new_text != item["minutes"]:
                item["minutes"] = new_text
                changed = True
        if not changed:
            raise ForumError(_("Nothing was changed, so no revision was made."))
        content["revision"] = last.number + 1
        content["amendment_reason"] = reason.strip()
        return MinutesRevision.objects.create(
            tenant=meeting.tenant, meeting=meeting, number=last.number + 1, content=content,
            content_hash=content_hash(content), reason=reason.strip(), created_by=by,
        )


def _notify_members_closed(*, meeting: Meeting, revision: MinutesRevision, base_url: str) -> None:
    url = base_url + reverse("forums:meeting", args=[meeting.tenant.slug, meeting.pk])
    recipients = sorted({i.email for i in meeting.invitees.exclude(email="")}
                        | {m.representative.email for m in meeting.forum.members.exclude(representative=None)
                           .select_related("representative")})
    with override(settings.LANGUAGE_CODE):
        for email in recipients:
            queue_email(EmailMessage(
                subject=_("Minutes final: %(number)s %(title)s") % {"number": meeting.number, "title": meeting.title},
                body="\n".join([
                    _("The meeting %(number)s of %(forum)s is closed and its minutes are final.") % {
                        "number": meeting.number, "forum": meeting.forum.name},
                    _("Verification code: %(code)s") % {"code": revision.verification_code},
                    _("Meeting page: %(url)s") % {"url": url},
                ]),
                to=[email], from_email=settings.DEFAULT_FROM_EMAIL,
            ), topic=f"meeting-minutes:{meeting.pk}", tenant=meeting.tenant)


# --- Programs on the agenda and decisions -----------------------------------------------------------------

# A decision's outcome → the program status it leads to.
OUTCOME_STATUS = {"approve": "approved", "needs_revision": "needs_revision", "reject": "rejected"}


def agenda_add_programs(*, meeting: Meeting, programs: list, by: User, allow_past: bool = False) -> list[AgendaItem]:
    """Put submitted programs on the agenda; each moves to in_review with the meeting as the reason.

    All or nothing: a program of another forum, or one no longer waiting, refuses the whole request.
    """
    from programs.workflow import TransitionError, transition

    from .routing import forum_for_program

    _refuse_closed(meeting)
    if meeting.starts_at < timezone.now() and not allow_past:
        raise ForumError(_("This meeting has already started; put programs on the agenda of a coming meeting."))
    if not programs:
        raise ForumError(_("Choose at least one program."))
    for program in programs:
        forum = forum_for_program(program)
        if forum is None or forum.pk != meeting.forum_id:
            raise ForumError(_("The program %(ref)s is reviewed by %(forum)s, not by this forum.") % {
                "ref": program.ref, "forum": forum.name if forum else _("a forum that does not exist yet")})
        if program.status != "submitted":
            raise ForumError(_("The program %(ref)s is not waiting for review (status: %(status)s).") % {
                "ref": program.ref, "status": program.get_status_display()})
    items = []
    with transaction.atomic():
        position = _next_position(meeting)
        for program in programs:
            items.append(AgendaItem.objects.create(
                tenant=meeting.tenant, meeting=meeting, position=position, kind=AgendaItem.Kind.PROGRAM,
                title=program.title, program=program,
            ))
            position += 1
            try:
                transition(program=program, to="in_review", by=by, by_forum=True,
                           reason=_("On the agenda of meeting %(number)s") % {"number": meeting.number})
            except TransitionError as error:
                raise ForumError(f"{program.ref}: {error.message}") from error
    return items


def decision_record(*, item: AgendaItem, by: User, outcome: str, conditions: str = "", reason: str = "",
                    base_url: str = ""):
    """Record the forum's decision on a program item; the program moves on, with the meeting as the reason.

    Safe when many people record at once: the meeting row is locked against closing, the item row against a
    second decision, and the program row by the workflow; one decision per item is also a unique constraint.
    """
    from programs.overlap_rules import approval_blockers
    from programs.workflow import TransitionError, transition

    from .models import Decision

    _refuse_closed(item.meeting)
    if item.kind != AgendaItem.Kind.PROGRAM or item.program_id is None:
        raise ForumError(_("Only a program under review gets a decision; write the outcome of a topic in its minutes."))
    if outcome not in OUTCOME_STATUS:
        raise ForumError(_("Choose a decision: approve, needs revision or reject."))
    if outcome != "approve" and not reason.strip():
        raise ForumError(_("Give the reason for a decision other than approval."))
    meeting = item.meeting
    with override(settings.LANGUAGE_CODE):
        why = _("Decision of meeting %(number)s (%(forum)s)") % {"number": meeting.number, "forum": meeting.forum.name}
    if reason.strip():
        why = f"{why}: {reason.strip()}"
    with transaction.atomic():
        _lock_open(meeting)
        AgendaItem.objects.select_for_update().filter(pk=item.pk).order_by().first()
        if Decision.objects.filter(agenda_item=item).exists():
            raise ForumError(_("This program already has a decision in this meeting."))
        program = item.program
        if approval_blockers(program):
            raise ForumError(_("The program %(ref)s has open overlap flags: they must be resolved before the "
                               "forum decides on it.") % {"ref": program.ref})
        try:
            event = transition(program=program, to=OUTCOME_STATUS[outcome], by=by, reason=why, by_forum=True)
        except TransitionError as error:
            raise ForumError(error.message) from error
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    tenant=item.tenant, agenda_item=item, outcome=outcome, conditions=conditions.strip(),
                    reason=reason.strip(), decided_by=by, program_event=event,
                )
        except IntegrityError as error:
            # SQLite has no row locks: the one-decision-per-item constraint is the last word there.
            raise ForumError(_("This program already has a decision in this meeting.")) from error
        _notify_program_owner(decision=decision, base_url=base_url)
    return decision


def program_path(program) -> str:
    return reverse("programs:detail", args=[program.tenant.slug, program.ref])


def _notify_program_owner(*, decision, base_url: str) -> None:
    item = decision.agenda_item
    program, meeting = item.program, item.meeting
    recipients = sorted({e for e in (program.contact_email, program.owner.contact_email,
                                     program.created_by.email if program.created_by_id else "") if e})
    if not recipients:
        return
    url = base_url + program_path(program)
    with override(settings.LANGUAGE_CODE):
        lines = [
            _("The %(forum)s decided on your program %(ref)s “%(title)s” in meeting %(number)s:") % {
                "forum": meeting.forum.name, "ref": program.ref, "title": program.title, "number": meeting.number},
            f"  {decision.get_outcome_display()}",
            *([_("Conditions: %(text)s") % {"text": decision.conditions}] if decision.conditions else []),
            *([_("Reason: %(text)s") % {"text": decision.reason}] if decision.reason else []),
            "",
            _("Program page: %(url)s") % {"url": url},
        ]
        queue_email(EmailMessage(
            subject=_("Forum decision on %(ref)s: %(outcome)s") % {
                "ref": program.ref, "outcome": decision.get_outcome_display()},
            body="\n".join(lines), to=recipients, from_email=settings.DEFAULT_FROM_EMAIL,
        ), topic=f"decision:{decision.pk}", tenant=meeting.tenant)
