"""Cross-cutting plumbing tables."""

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class PendingTask(models.Model):
    """A background task that could not reach the broker (Redis down); re-sent by `flush_pending_tasks`.

    It holds only a task name and plain keyword arguments (ids), never tenant data.
    """

    name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.name} {self.kwargs}"


class EmailDelivery(models.Model):
    """One queued e-mail and how far it got, so the page that caused it can say "being processed" or "sent".

    It keeps what a page needs to answer that — what the mail is about (`topic`, e.g. "invitation:12"), how many
    recipients, when it was sent, the last error — never the addresses or the text. Rows about a tenant's objects
    carry that tenant and are read through its scope; account mails (password reset, address confirmation) belong
    to no tenant and have none.
    """

    # Pages show the newest mail of a current invitation or meeting; older records serve nobody and are deleted.
    KEPT_FOR = timedelta(days=180)

    class Status(models.TextChoices):
        QUEUED = "queued", _("being processed")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("stakeholders.Tenant", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("province"))
    topic = models.CharField(_("topic"), max_length=100)
    recipients = models.PositiveIntegerField(_("recipients"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    # Set when its task left the outbox (PendingTask) for the queue, Redis being back: the lost-task check counts
    # from then, not from `created_at`.
    requeued_at = models.DateTimeField(_("handed to the queue from the outbox at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [
            models.Index(fields=["tenant", "topic", "created_at"], name="email_delivery_topic"),
            # The hourly lost-task check reads the few rows still queued, not 180 days of sent ones.
            models.Index(fields=["created_at"], condition=Q(status="queued"), name="email_delivery_queued"),
        ]

    def __str__(self):
        return f"{self.topic} {self.status}"

    # The worker reaches a delivery by its id alone (it has no tenant scope and needs none to mark one row).
    @classmethod
    def is_sent(cls, pk: str) -> bool:
        return cls.objects.with_scopes_disabled().filter(pk=pk, status=cls.Status.SENT).exists()

    @classmethod
    def mark_sent(cls, pk: str) -> bool:
        """Mark it sent; a second call changes nothing. True when this call marked it."""
        return bool(cls.objects.with_scopes_disabled().filter(pk=pk).exclude(status=cls.Status.SENT).update(
            status=cls.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="",
        ))

    @classmethod
    def record_failure(cls, pk: str, error: Exception, *, final: bool) -> None:
        """Count a failed attempt; `final` (no retry left) marks it failed, otherwise it stays queued."""
        changes = {"attempts": F("attempts") + 1, "last_error": f"{type(error).__name__}: {error}"[:500]}
        if final:
            changes["status"] = cls.Status.FAILED
        cls.objects.with_scopes_disabled().filter(pk=pk).exclude(status=cls.Status.SENT).update(**changes)

    @classmethod
    def requeued(cls, pk: str) -> None:
        """Its task leaves the outbox for the queue now (`flush_pending`): the wait for the worker starts again."""
        cls.objects.with_scopes_disabled().filter(pk=pk, status=cls.Status.QUEUED).update(requeued_at=timezone.now())

    @staticmethod
    def waiting_in_outbox(pks: Iterable | None = None) -> set[str]:
        """The ids (as text) of the deliveries whose task waits in the outbox (PendingTask) for Redis; of `pks` only,
        when given. Reads the id from each kept task's arguments, never the mail's text."""
        kept = PendingTask.objects.filter(kwargs__has_key="delivery")
        if pks is not None:
            kept = kept.filter(kwargs__delivery__in=[str(pk) for pk in pks])
        return {str(pk) for pk in kept.values_list("kwargs__delivery", flat=True)}

    @classmethod
    def fail_lost(cls, *, after: timedelta, now=None) -> int:
        """Mark failed the deliveries still queued `after` they went to the queue; returns how many.

        Their task was lost — a worker died without handing it back, Redis was emptied, the process stopped between
        the commit and the hand-over — so pages would say "being processed" for ever; failed, they say so and the
        mail can be sent again. A delivery whose task still waits in the outbox for Redis is not lost and is left
        alone; one that left the outbox counts from then (`requeued_at`). Should the task turn up after all, it
        still sends the mail and marks it sent.
        """
        cutoff = (now or timezone.now()) - after
        waiting = cls.waiting_in_outbox()
        lost = cls.objects.with_scopes_disabled().filter(
            Q(requeued_at__isnull=True, created_at__lt=cutoff) | Q(requeued_at__lt=cutoff), status=cls.Status.QUEUED,
        ).exclude(pk__in=waiting)
        hours = after.total_seconds() / 3600
        return lost.update(status=cls.Status.FAILED,
                           last_error=f"Lost: no word from the mail worker within {hours:g} h of queueing")

    @classmethod
    def forget_old(cls, now=None) -> int:
        """Delete the records older than KEPT_FOR; returns how many."""
        cutoff = (now or timezone.now()) - cls.KEPT_FOR
        deleted, _by_model = cls.objects.with_scopes_disabled().filter(created_at__lt=cutoff).delete()
        return deleted
