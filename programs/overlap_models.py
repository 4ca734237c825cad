"""Overlap data: flags between two programs, the tenant's editable synonym list, cached text profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stakeholders.models import TenantOwned

from .fields import CodeListField
from .models import Program


class OverlapFlagQuerySet(models.QuerySet):
    def involving(self, program: Program) -> OverlapFlagQuerySet:
        return self.filter(Q(program_a=program) | Q(program_b=program))

    def open(self) -> OverlapFlagQuerySet:
        return self.filter(status=OverlapFlag.Status.OPEN)

    def open_for(self, program: Program) -> OverlapFlagQuerySet:
        """Open flags involving `program`: each one blocks its approval (overlap_rules.approval_blockers)."""
        return self.open().involving(program).filter(tenant_id=program.tenant_id)


class OverlapFlag(TenantOwned):
    """Two programs that overlap by the engine's rule (programs/overlap.py), stored once per unordered pair."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        COLLABORATE = "collaborate", _("Collaborate (merged into one program)")
        DIFFERENTIATE = "differentiate", _("Differentiated (target, region or period changed)")
        WITHDRAW = "withdraw", _("Program withdrawn")
        NOT_OVERLAP = "not_overlap", _("Not an overlap")

    # program_a has the smaller id, so each unordered pair has exactly one row.
    program_a = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="overlap_flags_as_a", verbose_name=_("program A")
    )
    program_b = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="overlap_flags_as_b", verbose_name=_("program B")
    )
    score = models.FloatField(_("score"))
    # [{"code": ..., "params": {...}}]: worded at display time in the reader's language (overlap.Reason.render).
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # A collaboration needs both owners: one proposes (naming the joint program), the other accepts.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("collaboration proposed by"),
    )
    proposed_for = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("collaboration proposed for"),
    )
    proposed_at = models.DateTimeField(_("collaboration proposed at"), null=True, blank=True)
    joint_program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("joint program"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager(tenant="tenant", _manager_class=models.Manager.from_queryset(OverlapFlagQuerySet))

    class Meta:
        verbose_name = _("overlap flag")
        verbose_name_plural = _("overlap flags")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "program_a", "program_b"], name="overlapflag_unique_pair"),
            models.CheckConstraint(condition=Q(program_a__lt=models.F("program_b")), name="overlapflag_a_before_b"),
        ]
        indexes = [
            models.Index(fields=["tenant", "program_a", "status"], name="overlapflag_a_status"),
            models.Index(fields=["tenant", "program_b", "status"], name="overlapflag_b_status"),
        ]

    def __str__(self):
        return f"{self.program_a_id} ~ {self.program_b_id} ({self.score:.2f})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def other(self, program: Program) -> Program:
        return self.program_b if program.pk == self.program_a_id else self.program_a

    def rendered_reasons(self) -> list[str]:
        """The reasons worded in the active language."""
        from .overlap import Reason

        return [Reason(r["code"], r.get("params") or {}).render() for r in self.reasons]


class SynonymEntry(TenantOwned):
    """One phrase of a concept ("digitalmarketing": "jualan online"); the first phrase words the concept."""

    concept = models.CharField(_("concept"), max_length=60)
    phrase = models.CharField(_("phrase"), max_length=120)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["concept", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "concept", "phrase"], name="synonymentry_unique"),
        ]

    def __str__(self):
        return f"{self.concept}: {self.phrase}"


class ProgramProfile(TenantOwned):
    """A program's stemmed text profile, so checking one program never re-stems the others."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, primary_key=True, related_name="overlap_profile",
        verbose_name=_("program"),
    )
    # Which title/description and synonym list it was computed from; anything else means stale.
    source_hash = models.CharField(_("source hash"), max_length=64)
    data = models.JSONField(_("profile"))
    # The profile's specific concepts (data["c"]) again, as a list `concepts__has_any` filters (GIN-indexed on
    # PostgreSQL, migration 0007): the live panel finds older programs on the same topic by it.
    concepts = CodeListField(_("concepts"))

    class Meta:
        verbose_name = _("text profile")
        verbose_name_plural = _("text profiles")

    def __str__(self):
        return f"profile of {self.program_id}"


# Register the Celery task with the app in every process that loads the models (web and worker).
from . import overlap_tasks  # noqa: E402, F401
