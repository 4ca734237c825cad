"""Forum pages: thin views over selectors (reads, access) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from satusama.mail import count_by_status, flash_mail, latest_deliveries
from satusama.middleware import public

from . import services
from .calendar import meeting_ics
from .documents import KIND_LABELS, KINDS, latest_revision
from .forms import (
    AmendForm,
    AttachmentForm,
    DecisionForm,
    DuplicateForm,
    InviteeForm,
    MeetingForm,
    MinutesForm,
    TopicForm,
    WalkInForm,
)
from .models import AgendaAttachment, Attendance, Invitee, MinutesRevision
from .pdfs import request_document
from .qr import checkin_qr_svg
from .selectors import (
    forum_list,
    get_forum_for_user,
    get_item_for_user,
    get_meeting_for_user,
    meetings_of,
    queue_rows,
    upcoming_meetings,
    waiting_programs,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _meeting_url(meeting, anchor: str = ""):
    return redirect(f"{meeting_path(meeting)}{'#' + anchor if anchor else ''}")


def meeting_path(meeting) -> str:
    from django.urls import reverse

    return reverse("forums:meeting", args=[meeting.tenant.slug, meeting.pk])


def _refused(request, error: services.ForumError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Forums ---------------------------------------------------------------------------------------------

def forum_index(request):
    return render(request, "forums/list.html", {"forums": forum_list(request)})


def forum_detail(request, forum_pk):
    forum, can_edit = get_forum_for_user(request, forum_pk)
    form = MeetingForm()
    if request.method == "POST":
        forum, can_edit = get_forum_for_user(request, forum_pk, edit=True)
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(forum=forum, by=request.user, **form.cleaned_data)
            except services.ForumError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Meeting %(number)s planned.") % {"number": meeting.number})
                return redirect("forums:meeting", request.tenant.slug, meeting.pk)
    members = forum.members.select_related("organization", "representative")
    return render(request, "forums/detail.html", {
        "forum": forum, "can_edit": can_edit, "members": members, "meetings": meetings_of(forum), "form": form,
    })


# --- Meetings -------------------------------------------------------------------------------------------

def meeting_detail(request, meeting_pk):
    meeting, can_edit = get_meeting_for_user(request, meeting_pk)
    items = list(meeting.agenda_items.select_related("decision", "program", "program__owner")
                 .prefetch_related("attachments")
                 .order_by("position", "pk"))
    attendances = list(meeting.attendances.order_by("checked_in_at", "pk"))
    present_invitees = {a.invitee_id for a in attendances if a.invitee_id}
    present_users = {a.user_id for a in attendances if a.user_id}
    invitees = [(i, i.pk in present_invitees or (i.user_id and i.user_id in present_users))
                for i in meeting.invitees.order_by("organization_name", "full_name")]
    context = {
        "meeting": meeting, "forum": meeting.forum, "can_edit": can_edit, "items": items,
        "invitees": invitees, "attendances": attendances, "kinds": KIND_LABELS,
        "revisions": list(meeting.revisions.order_by("number")),
        "checkin_open": meeting.checkin_open(),
        "outcome_choices": DecisionForm.base_fields["outcome"].choices,
    }
    if can_edit:
        context.update({
            # The newest invitation e-mail of each invitee: a second sending does not count anyone twice.
            "invitation_mail": count_by_status(latest_deliveries(i.invitation_mail_topic for i, _p in invitees)),
            "meeting_form": MeetingForm(initial={
                "title": meeting.title, "starts_at": timezone.localtime(meeting.starts_at),
                "ends_at": timezone.localtime(meeting.ends_at), "place": meeting.place,
                "online_link": meeting.online_link,
            }),
            # Several forms share field names on this page: each gets its own HTML ids, so every label finds its field.
            "topic_form": TopicForm(auto_id="topic_%s"), "walkin_form": WalkInForm(auto_id="walkin_%s"),
            "invitee_form": InviteeForm(auto_id="invitee_%s"), "duplicate_form": DuplicateForm(auto_id="next_%s"),
            "attachment_form": AttachmentForm(), "amend_form": AmendForm(),
        })
        if context["checkin_open"]:
            url = request.build_absolute_uri(_checkin_path(meeting))
            context.update({"checkin_url": url, "checkin_qr": checkin_qr_svg(url)})
    return render(request, "forums/meeting.html", context)


def _checkin_path(meeting) -> str:
    from django.urls import reverse

    return reverse("forums:checkin", args=[meeting.tenant.slug, meeting.pk, meeting.checkin_code])


@require_POST
def meeting_edit(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=True)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the meeting's details: %(errors)s") % {"errors": form.errors.as_text()})
        return _meeting_url(meeting)
    try:
        services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
    except services.ForumError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Meeting details saved."))
    return _meeting_url(meeting)


@require_POST
def meeting_duplicate(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=True)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and time of the next meeting."))
        return _meeting_url(meeting)
    try:
        new = services.meeting_duplicate(meeting=meeting, by=request.user, **form.cleaned_data)
    except services.ForumError as error:
        _refused(request, error)
        return _meeting_url(meeting)
    messages.success(request, _("Meeting %(number)s planned as the next meeting.") % {"number": new.number})
    return _meeting_url(new)


@require_POST
def meeting_invite(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=True)
    deliveries = services.meeting_send_invitations(meeting=meeting, base_url=_base_url(request))
    if deliveries:
        done = ngettext("The invitation is addressed to %(count)s invitee.",
                        "The invitation is addressed to %(count)s invitees.", len(deliveries))
        flash_mail(request, done % {"count": len(deliveries)}, deliveries)
    else:
        messages.warning(request, _("No invitee has an e-mail address: no invitation was sent."))
    return _meeting_url(meeting, "invitees")


@require_POST
def meeting_status(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=True)
    try:
        if request.POST.get("action") == "close":
            revision = services.meeting_close(meeting=meeting, by=request.user, base_url=_base_url(request))
            messages.success(request, _("Meeting closed; the minutes are final (verification code %(code)s).")
                             % {"code": revision.verification_code})
        else:
            services.meeting_mark_held(meeting=meeting, by=request.user)
            messages.success(request, _("Meeting marked as held."))
    except services.ForumError as error:
        _refused(request, error)
    return _meeting_url(meeting)


def meeting_amend(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=request.method == "POST")
    revision = latest_revision(meeting)
    if revision is None:
        raise Http404
    if request.method == "POST":
        form = AmendForm(request.POST)
        if form.is_valid():
            texts = {item["id"]: request.POST.get(f"minutes-{item['id']}", item["minutes"])
                     for item in revision.content["items"]}
            try:
                new = services.minutes_amend(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"],
                                             minutes=texts)
            except services.ForumError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Revision %(number)s of the minutes saved.") % {"number": new.number})
                return _meeting_url(meeting, "minutes")
    else:
        form = AmendForm()
    return render(request, "forums/amend.html", {"meeting": meeting, "revision": revision, "form": form})


# --- Invitees and attendance -------------------------------------------------------------------------------

def _add_to_meeting(request, meeting_pk, form_class, add, invalid: str, anchor: str):
    """POST a small form that adds a row to a meeting the user manages; refusals become messages."""
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=True)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise services.ForumError(invalid)
        add(meeting, form.cleaned_data)
    except services.ForumError as error:
        _refused(request, error)
    return _meeting_url(meeting, anchor)


@require_POST
def invitee_add(request, meeting_pk):
    return _add_to_meeting(request, meeting_pk, InviteeForm,
                           lambda meeting, data: services.invitee_add(meeting=meeting, **data),
                           _("Give the invitee's name."), "invitees")


def _remove_meeting_row(request, model, pk, remove, anchor: str):
    """Remove an invitee or an attendance row of a meeting the user manages (404 for anything else)."""
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    meeting, _can_edit = get_meeting_for_user(request, row.meeting_id, edit=True)
    try:
        remove(row)
    except services.ForumError as error:
        _refused(request, error)
    return _meeting_url(meeting, anchor)


@require_POST
def invitee_remove(request, invitee_pk):
    return _remove_meeting_row(request, Invitee, invitee_pk, lambda row: services.invitee_remove(invitee=row),
                               "invitees")


@require_POST
def attendance_add(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk, edit=True)
    try:
        if invitee_pk := request.POST.get("invitee"):
            invitee = meeting.invitees.filter(pk=invitee_pk).first()
            if invitee is None:
                raise Http404
            services.attendance_record(meeting=meeting, by=request.user, invitee=invitee)
        else:
            form = WalkInForm(request.POST)
            if not form.is_valid():
                raise services.ForumError(_("Give the attendee's name."))
            services.attendance_record(meeting=meeting, by=request.user, **form.cleaned_data)
    except services.ForumError as error:
        _refused(request, error)
    return _meeting_url(meeting, "attendance")


@require_POST
def attendance_remove(request, attendance_pk):
    return _remove_meeting_row(request, Attendance, attendance_pk,
                               lambda row: services.attendance_remove(attendance=row), "attendance")


@login_required
def checkin(request, meeting_pk, checkin_code):
    """Self check-in from the QR code or link shown in the room; a GET shows the button, a POST records it."""
    from .models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_pk).select_related("forum").first()
    if meeting is None or meeting.checkin_code != checkin_code:
        raise Http404
    attendance = None
    error = None
    if request.method == "POST":
        try:
            attendance = services.check_in(meeting=meeting, code=checkin_code, user=request.user)
        except services.ForumError as refused:
            error = refused.messages[0]
    elif not meeting.checkin_open():
        error = _("Check-in is only open during the meeting.")
    status = 400 if error else 200
    return render(request, "forums/checkin.html",
                  {"meeting": meeting, "attendance": attendance, "error": error}, status=status)


# --- Agenda, minutes, decisions ---------------------------------------------------------------------------

@require_POST
def agenda_add(request, meeting_pk):
    return _add_to_meeting(request, meeting_pk, TopicForm,
                           lambda meeting, data: services.agenda_add_topic(meeting=meeting, **data),
                           _("Give the agenda item a title."), "agenda")


@require_POST
def agenda_item_action(request, agendaitem_pk):
    """Move an item up or down, remove it, save its minutes, record its decision or attach a file."""
    item, _can_edit = get_item_for_user(request, agendaitem_pk, edit=True)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            services.agenda_move(item=item, up=action == "up")
        elif action == "remove":
            services.agenda_remove(item=item)
        elif action == "minutes":
            form = MinutesForm(request.POST)
            form.is_valid()
            services.minutes_save(item=item, text=form.cleaned_data.get("minutes", ""), by=request.user)
            messages.success(request, _("Minutes of “%(title)s” saved.") % {"title": item.title})
        elif action == "decision":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise services.ForumError(_("Choose a decision: approve, needs revision or reject."))
            services.decision_record(item=item, by=request.user, base_url=_base_url(request), **form.cleaned_data)
            messages.success(request, _("Decision on “%(title)s” recorded.") % {"title": item.title})
        elif action == "attach":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise services.ForumError(_("Choose a file to attach."))
            services.attachment_add(item=item, upload=form.cleaned_data["file"], by=request.user)
        else:
            raise Http404
    except services.ForumError as error:
        _refused(request, error)
    return _meeting_url(item.meeting, f"item-{item.pk}")


def attachment_download(request, agendaattachment_pk):
    attachment = AgendaAttachment.objects.filter(pk=agendaattachment_pk).select_related("agenda_item").first()
    if attachment is None:
        raise Http404
    get_meeting_for_user(request, attachment.agenda_item.meeting_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Documents --------------------------------------------------------------------------------------------

def meeting_pdf(request, meeting_pk, kind):
    """The PDF when current; otherwise queue its rendering and answer 202 with a self-refreshing page."""
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk)
    if kind not in KINDS:
        raise Http404
    doc, ready = request_document(meeting=meeting, kind=kind)
    if not ready:
        # Without a broker the task has already run in-process by now: look again before answering 202.
        doc.refresh_from_db()
        ready = bool(doc.file) and doc.rendered_hash == doc.requested_hash
    if not ready:
        return render(request, "forums/pdf_pending.html", {"meeting": meeting, "kind": kind}, status=202)
    label = {"invitation": "undangan", "attendance": "daftar-hadir", "minutes": "berita-acara"}[kind]
    return FileResponse(doc.file.open("rb"), content_type="application/pdf",
                        filename=f"{label}-{meeting.number.replace('/', '-')}.pdf")


def meeting_calendar(request, meeting_pk):
    meeting, _can_edit = get_meeting_for_user(request, meeting_pk)
    response = HttpResponse(meeting_ics(meeting, url=request.build_absolute_uri(meeting_path(meeting))),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.number.replace("/", "-")}.ics"'
    return response


@public
def verify(request, code):
    """Public check of a printed verification code: which meeting's minutes, which revision, still current?"""
    digits = code.replace("-", "").lower()
    revision = None
    if len(digits) == 16 and all(c in "0123456789abcdef" for c in digits):
        revision = (MinutesRevision.objects.filter(content_hash__startswith=digits)
                    .select_related("meeting", "meeting__forum").first())
    latest = latest_revision(revision.meeting) if revision else None
    return render(request, "forums/verify.html", {
        "code": code, "revision": revision, "latest": latest,
    }, status=200 if revision else 404)


def review_queue(request, forum_pk):
    """Programs waiting for this forum (submitted, routed here); the secretary puts them on a coming meeting."""
    forum, _can_edit = get_forum_for_user(request, forum_pk, edit=True)
    meetings = upcoming_meetings(forum)
    if request.method == "POST":
        meeting = meetings.filter(pk=request.POST.get("meeting") or 0).first()
        chosen = list(waiting_programs(forum).filter(pk__in=request.POST.getlist("program")))
        try:
            if meeting is None:
                raise services.ForumError(_("Choose a coming meeting of this forum."))
            if len(chosen) != len(set(request.POST.getlist("program"))):
                raise services.ForumError(_("Some of the chosen programs are no longer waiting for this forum."))
            items = services.agenda_add_programs(meeting=meeting, programs=chosen, by=request.user)
        except services.ForumError as error:
            _refused(request, error)
            return redirect("forums:queue", request.tenant.slug, forum.pk)
        messages.success(request, _("%(count)s programs put on the agenda of %(number)s.")
                         % {"count": len(items), "number": meeting.number})
        return _meeting_url(meeting, "agenda")
    return render(request, "forums/queue.html",
                  {"forum": forum, "programs": queue_rows(forum), "meetings": meetings})
