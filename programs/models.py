"""Programs (what an organisation will do for UMKM), their recorded status changes, and single-row behaviour."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stakeholders.models import Organization, Region, TenantOwned

from .fields import CodeListField
from .taxonomy import FundingSource, Intervention, Sector, Status, label

REF_PREFIX = "PRG"


class Program(TenantOwned):
    """An assistance program run by one organisation (partners optional) in one or more kabupaten/kota."""

    Status = Status

    ref = models.CharField(_("reference"), max_length=40)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs", verbose_name=_("organisation")
    )
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="partner_programs", verbose_name=_("partner organisations")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kinds = CodeListField(_("kinds of assistance"), codes=Intervention)
    sectors = CodeListField(_("sectors"), codes=Sector)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="programs", verbose_name=_("regencies/cities")
    )
    priorities = models.ManyToManyField(
        "roadmap.Priority", blank=True, related_name="programs", verbose_name=_("roadmap priorities")
    )
    subregions = models.CharField(
        _("kapanewon/kecamatan"), max_length=300, blank=True,
        help_text=_("Optional: the districts where the program takes place, comma separated."),
    )
    # Dates, numbers and contact may stay empty in a draft; submitting checks completeness (completeness_problems).
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    target_umkm = models.PositiveIntegerField(_("target number of UMKM"), null=True, blank=True)
    budget_idr = models.PositiveBigIntegerField(
        _("budget (rupiah)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    funding_source = models.CharField(_("funding source"), max_length=10, choices=FundingSource.choices, blank=True)
    open_for_participants = models.BooleanField(_("open for participants"), default=False)
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    how_to_join = models.TextField(_("how to join"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every write bumps it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[regions, partners], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "ref"], name="program_unique_ref_per_tenant"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="program_end_not_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status"], name="program_tenant_status"),
            # Overlap candidates and the timeline: programs of a tenant whose period touches [a, b].
            models.Index(fields=["tenant", "start_date", "end_date"], name="program_tenant_period"),
            models.Index(fields=["tenant", "owner", "status"], name="program_tenant_owner"),
            models.Index(fields=["tenant", "-updated_at"], name="program_tenant_updated"),
        ]

    def __str__(self):
        return f"{self.ref} {self.title}"

    # --- labels -------------------------------------------------------------------------------------------------
    @property
    def kind_labels(self) -> list[str]:
        return [label(Intervention, code) for code in self.kinds]

    @property
    def sector_labels(self) -> list[str]:
        return [label(Sector, code) for code in self.sectors]

    # --- single-row behaviour -----------------------------------------------------------------------------------
    @property
    def period(self) -> tuple[datetime.date, datetime.date] | None:
        if self.start_date and self.end_date:
            return self.start_date, self.end_date
        return None

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.NEEDS_REVISION)

    @property
    def is_deletable(self) -> bool:
        # Only drafts disappear; anything others have seen is withdrawn or cancelled instead.
        return self.status == Status.DRAFT

    def completeness_problems(self) -> list[str]:
        """What is still missing before the program can be submitted (empty list: complete)."""
        problems = []
        if not self.title.strip():
            problems.append(_("a title"))
        if not self.description.strip():
            problems.append(_("a description"))
        if not self.kinds:
            problems.append(_("at least one kind of assistance"))
        if not self.sectors:
            problems.append(_("at least one sector"))
        if self.pk is None or not self.regions.exists():
            problems.append(_("at least one regency/city"))
        if not self.start_date or not self.end_date:
            problems.append(_("start and end dates"))
        if self.target_umkm is None:
            problems.append(_("the target number of UMKM"))
        if not self.contact_name.strip() or not (self.contact_phone.strip() or self.contact_email.strip()):
            problems.append(_("a contact person with a phone number or e-mail address"))
        if self.open_for_participants and not self.how_to_join.strip():
            problems.append(_("how to join (the program is open for participants)"))
        return problems

    def can_be_approved(self) -> bool:
        """A program with an open overlap flag cannot be approved (design.md); the rule lives in overlap_rules."""
        from .overlap_rules import approval_blockers

        return not approval_blockers(self)

    # --- references ---------------------------------------------------------------------------------------------
    @classmethod
    def next_ref(cls, tenant, year: int | None = None) -> str:
        """The next free PRG-<year>-<4 digits> of this tenant and year (imported refs do not take numbers)."""
        year = year or timezone.localdate().year
        prefix = f"{REF_PREFIX}-{year}-"
        refs = cls.objects.filter(tenant=tenant, ref__startswith=prefix).values_list("ref", flat=True)
        numbers = [int(r[len(prefix):]) for r in refs if r[len(prefix):].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def save_with_new_ref(self, *args, attempts: int = 5, **kwargs) -> None:
        """Save a new program under a generated ref.

        Numbers are handed out to one creator at a time per tenant: the tenant row stays locked (PostgreSQL) until
        the creating transaction ends, so simultaneous registrations wait for each other instead of all taking the
        same number — with 20 people at once, five retries were not enough. The retry stays for the rest.
        """
        tenant_model = self._meta.get_field("tenant").related_model
        with transaction.atomic():
            tenant_model.objects.select_for_update().only("pk").get(pk=self.tenant_id)
            self._save_with_new_ref(*args, attempts=attempts, **kwargs)

    def _save_with_new_ref(self, *args, attempts: int, **kwargs) -> None:
        for attempt in range(attempts):
            self.ref = self.next_ref(self.tenant)
            try:
                with transaction.atomic():
                    self.save(*args, **kwargs)
                return
            except IntegrityError:
                if attempt == attempts - 1:
                    raise


class ProgramEvent(TenantOwned):
    """One status change of a program: who, when, from, to and why (forums link their decisions to it)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="events", verbose_name=_("program"))
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("by"),
    )
    by_forum = models.BooleanField(_("forum decision"), default=False)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("program event")
        verbose_name_plural = _("program events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["tenant", "program", "at"], name="programevent_program_at")]

    def __str__(self):
        return f"{self.program.ref}: {self.from_status} → {self.to_status}"


class ProgramComment(TenantOwned):
    """A remark on a program by its owner, a partner or a tenant admin."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="comments", verbose_name=_("program")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.program.ref}: {self.body[:40]}"


# Overlap flags, synonyms and text profiles live in their own module (the overlap work); imported here so
# Django registers them as models of this app.
from .overlap_models import OverlapFlag, ProgramProfile, SynonymEntry  # noqa: E402, F401
