"""Coordination forums, their meetings, agendas, attendance, decisions, frozen minutes and cached PDFs."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from stakeholders.models import Organization, Region, TenantOwned

# Self check-in opens a little before the start: people arrive early and scan the QR code at the door.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)


class Forum(TenantOwned):
    """A Forum Koordinasi: the provincial one, or one per kabupaten/kota."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        REGIONAL = "regional", _("Regency/city")

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="forums",
        verbose_name=_("regency/city"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("short code"), max_length=20, help_text=_("Used in meeting numbers, e.g. FK-SLM."),
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("secretary"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordination forum")
        verbose_name_plural = _("coordination forums")
        ordering = ["level", "region__code", "name"]
        permissions = [("manage_forum", "Manage the forum's meetings")]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="forum_unique_code"),
            models.UniqueConstraint(fields=["tenant", "region"], name="forum_one_per_region"),
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(level="provincial"), name="forum_one_provincial",
            ),
            models.CheckConstraint(
                condition=(models.Q(level="provincial", region__isnull=True)
                           | models.Q(level="regional", region__isnull=False)),
                name="forum_region_matches_level",
            ),
        ]

    def __str__(self):
        return self.name


class ForumUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK object permissions (django-guardian): the chair and the secretary manage their forum."""

    content_object = models.ForeignKey(Forum, on_delete=models.CASCADE)


class ForumGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Forum, on_delete=models.CASCADE)


class ForumMember(TenantOwned):
    """An organisation sitting in a forum, with the person who represents it."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members", verbose_name=_("forum"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, verbose_name=_("organisation"))
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("representative"),
    )
    position = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "forum", "organization"], name="forummember_unique"),
        ]

    def __str__(self):
        return f"{self.organization} – {self.forum}"


def new_checkin_code() -> str:
    # Short enough to type from the screen, long enough not to be guessed during one meeting.
    return secrets.token_urlsafe(9)


class Meeting(TenantOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum"))
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    checkin_code = models.CharField(_("check-in code"), max_length=20, default=new_checkin_code)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "forum", "year", "sequence"], name="meeting_unique_sequence"),
            models.UniqueConstraint(fields=["tenant", "number"], name="meeting_unique_number"),
            models.UniqueConstraint(fields=["tenant", "checkin_code"], name="meeting_unique_checkin_code"),
        ]
        indexes = [models.Index(fields=["tenant", "forum", "-starts_at"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def checkin_open(self, now=None) -> bool:
        """Self check-in works only during the meeting (from shortly before the start until the end)."""
        now = now or timezone.now()
        return not self.is_closed and self.starts_at - CHECKIN_OPENS_BEFORE <= now <= self.ends_at


class Invitee(TenantOwned):
    """Someone invited to a meeting; the attendance list is pre-filled from these rows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    full_name = models.CharField(_("name"), max_length=150)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["organization_name", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "meeting", "user"], condition=models.Q(user__isnull=False), name="invitee_unique",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def invitation_mail_topic(self) -> str:
        """What the invitation e-mails to this person are filed under (satusama.EmailDelivery); the newest counts."""
        return f"meeting-invitation:{self.meeting_id}:{self.pk}"


class AgendaItem(TenantOwned):
    """One item of a meeting's agenda: a program under review or a free topic; its minutes live here."""

    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program review")
        TOPIC = "topic", _("Topic")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TOPIC)
    title = models.CharField(_("title"), max_length=250)
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items",
        verbose_name=_("program"),
    )
    description = models.TextField(_("description"), blank=True)
    standing = models.BooleanField(
        _("standing item"), default=False, help_text=_("Copied when the meeting is duplicated as the next one."),
    )
    minutes = models.TextField(_("discussion summary"), blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position", "pk"]

    def __str__(self):
        return self.title


class AgendaAttachment(TenantOwned):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="forums/attachments/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class Attendance(TenantOwned):
    """Someone present at a meeting: ticked by the secretary or checked in with the meeting's code."""

    class Method(models.TextChoices):
        SECRETARY = "secretary", _("Recorded by the secretary")
        SELF = "self", _("Self check-in")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    invitee = models.ForeignKey(Invitee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    full_name = models.CharField(_("name"), max_length=150)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "meeting", "user"], condition=models.Q(user__isnull=False),
                name="attendance_unique_user",
            ),
            models.UniqueConstraint(
                fields=["tenant", "meeting", "invitee"], condition=models.Q(invitee__isnull=False),
                name="attendance_unique_invitee",
            ),
        ]

    def __str__(self):
        return self.full_name


class Decision(TenantOwned):
    """The forum's decision on a program item; recording it moves the program through its workflow."""

    class Outcome(models.TextChoices):
        # Labels as the program statuses they lead to read ("Disetujui", "Perlu Revisi", "Ditolak").
        APPROVE = "approve", _("Approved")
        NEEDS_REVISION = "needs_revision", _("Needs revision")
        REJECT = "reject", _("Rejected")

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # The program's status change this decision caused (programs never import forums; the link lives here).
    program_event = models.ForeignKey(
        "programs.ProgramEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.agenda_item}: {self.get_outcome_display()}"


class MinutesRevision(TenantOwned):
    """The frozen minutes: revision 1 when the meeting closes, later ones only as amendments with a reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("verification code"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "meeting", "number"], name="minutesrevision_unique"),
        ]
        indexes = [models.Index(fields=["content_hash"])]

    def __str__(self):
        return f"{self.meeting.number} rev. {self.number}"

    @property
    def verification_code(self) -> str:
        """The printed code: the first 16 hex digits of the content hash, in groups of four for reading aloud."""
        short = self.content_hash[:16].upper()
        return "-".join(short[i:i + 4] for i in range(0, 16, 4))


class MeetingDocument(TenantOwned):
    """A rendered meeting PDF, cached by the hash of what it shows; re-rendered only when that changes."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        ATTENDANCE = "attendance", _("Attendance list")
        MINUTES = "minutes", _("Minutes")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    requested_hash = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    rendered_hash = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="forums/pdf/%Y/", blank=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "meeting", "kind"], name="meetingdocument_unique"),
        ]

    def __str__(self):
        return f"{self.meeting.number} {self.kind}"
