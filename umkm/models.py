"""The UMKM registry: businesses (by NIB), their outcome reports, and their enrolments in programs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from programs.taxonomy import Sector
from stakeholders.models import Region, TenantOwned

from . import scale as scale_rules

NIB_RE = r"^\d{13}$"
KBLI_RE = r"^\d{5}$"

validate_nib = RegexValidator(NIB_RE, _("An NIB is a number of exactly 13 digits."), code="nib")
validate_kbli = RegexValidator(KBLI_RE, _("A KBLI 2020 code is a number of exactly 5 digits."), code="kbli")
non_negative = MinValueValidator(0, _("A money amount cannot be negative."))


class Scale(models.TextChoices):
    MIKRO = scale_rules.MIKRO, _("Micro")
    KECIL = scale_rules.KECIL, _("Small")
    MENENGAH = scale_rules.MENENGAH, _("Medium")
    BESAR = scale_rules.BESAR, _("Large (outside UMKM)")


class ScaleBasis(models.TextChoices):
    CAPITAL = scale_rules.CAPITAL, _("business capital")
    SALES = scale_rules.SALES, _("annual sales")
    DECLARED = scale_rules.DECLARED, _("declared by the owner")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Business(TenantOwned):
    """One UMKM, identified by its NIB within the tenant."""

    nib = models.CharField(_("NIB"), max_length=13, validators=[validate_nib])
    name = models.CharField(_("business name"), max_length=200)
    owner_name = models.CharField(_("owner name"), max_length=150, blank=True)
    owner_gender = models.CharField(_("owner gender"), max_length=6, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="businesses",
        verbose_name=_("regency/city"),
    )
    district = models.CharField(_("kapanewon/kecamatan"), max_length=100, blank=True)
    village = models.CharField(_("kalurahan/desa"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    kbli = models.CharField(_("KBLI 2020 code"), max_length=5, blank=True, validators=[validate_kbli])
    # Figures given at registration; outcome reports supersede them.
    capital = models.BigIntegerField(_("business capital (Rp)"), null=True, blank=True, validators=[non_negative])
    annual_sales = models.BigIntegerField(_("annual sales (Rp)"), null=True, blank=True, validators=[non_negative])
    declared_scale = models.CharField(_("declared scale"), max_length=10, choices=Scale.choices, blank=True)
    # Derived from the latest figures by umkm.services.refresh_scale; stored so lists can filter on it.
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True, editable=False)
    scale_basis = models.CharField(_("scale based on"), max_length=10, choices=ScaleBasis.choices, blank=True,
                                   editable=False)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    nib_issued_on = models.DateField(_("NIB issued on"), null=True, blank=True)
    pirt_number = models.CharField(_("P-IRT number"), max_length=40, blank=True)
    pirt_issued_on = models.DateField(_("P-IRT issued on"), null=True, blank=True)
    halal_number = models.CharField(_("halal certificate number"), max_length=60, blank=True)
    halal_issued_on = models.DateField(_("halal certificate issued on"), null=True, blank=True)
    bpom_number = models.CharField(_("BPOM number"), max_length=40, blank=True)
    bpom_issued_on = models.DateField(_("BPOM issued on"), null=True, blank=True)
    consent_at = models.DateTimeField(_("owner consented to data sharing on"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("consent recorded by"),
    )
    # Created from a bare NIB (enrolment list, program import): to be completed.
    is_minimal = models.BooleanField(_("incomplete record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        # The unique constraint's btree on (tenant, nib) also serves NIB lookups and NIB-prefix ranges.
        # The name-prefix index is created by migration 0002 per database vendor (an expression index).
        constraints = [models.UniqueConstraint(fields=["tenant", "nib"], name="business_unique_nib_per_tenant")]
        indexes = [models.Index(fields=["tenant", "region", "sector"], name="business_region_sector")]

    def __str__(self):
        return f"{self.name} ({self.nib})"

    @property
    def licences(self) -> list[tuple[str, str, object]]:
        """(label, number, date) of each licence held, NIB first."""
        held = [(_("NIB"), self.nib, self.nib_issued_on)]
        for label, number, issued in (
            (_("P-IRT"), self.pirt_number, self.pirt_issued_on),
            (_("Halal"), self.halal_number, self.halal_issued_on),
            (_("BPOM"), self.bpom_number, self.bpom_issued_on),
        ):
            if number or issued:
                held.append((label, number, issued))
        return held


class NibCorrection(TenantOwned):
    """A mistyped NIB put right: the record keeps its history, and links to the old NIB still find it."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="nib_corrections",
                                 verbose_name=_("business"))
    old_nib = models.CharField(_("previous NIB"), max_length=13)
    new_nib = models.CharField(_("corrected NIB"), max_length=13)
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("corrected by"))
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("NIB correction")
        verbose_name_plural = _("NIB corrections")
        ordering = ["business", "corrected_at", "pk"]
        # An old link (/umkm/<old NIB>/) is followed to the corrected record.
        indexes = [models.Index(fields=["tenant", "old_nib"], name="nib_correction_old")]

    def __str__(self):
        return f"{self.old_nib} → {self.new_nib}"


class OutcomeReport(TenantOwned):
    """A business's figures on one date, typically at a program's start and end."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="outcome_reports",
                                 verbose_name=_("business"))
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcome_reports",
        verbose_name=_("program"), help_text=_("The program this report measures, when there is one."),
    )
    date = models.DateField(_("date"))
    annual_sales = models.BigIntegerField(_("annual sales (Rp)"), null=True, blank=True, validators=[non_negative])
    capital = models.BigIntegerField(_("business capital (Rp)"), null=True, blank=True, validators=[non_negative])
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    markets = models.CharField(_("markets reached"), max_length=200, blank=True,
                               help_text=_("e.g. local, regional, national, export"))
    online_shop = models.BooleanField(_("sells in an online shop"), default=False)
    qris = models.BooleanField(_("accepts QRIS"), default=False)
    bookkeeping_app = models.BooleanField(_("uses a bookkeeping app"), default=False)
    still_active = models.BooleanField(_("business still active"), default=True)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")
        ordering = ["business", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "business", "date"], name="outcome_one_per_business_day"),
        ]

    def __str__(self):
        return f"{self.business} – {self.date}"

    def compute_scale(self) -> str:
        return scale_rules.derive_scale(capital=self.capital, annual_sales=self.annual_sales)[0]


class Enrollment(TenantOwned):
    """A business taking part in a program (peserta / penerima manfaat)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped out")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments",
                                verbose_name=_("program"))
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="enrollments",
                                 verbose_name=_("business"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    attendance = models.PositiveSmallIntegerField(_("sessions attended"), null=True, blank=True)
    # The double-enrolment warning shown when the business was enrolled (other programs' refs), kept for the record.
    warning = models.CharField(_("warning at enrolment"), max_length=300, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("enrolled by"))
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["program", "business__name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "program", "business"], name="enrollment_unique"),
        ]
        # The business page's history and the overlap engine's shared businesses read by business.
        indexes = [models.Index(fields=["tenant", "business"], name="enrollment_business")]

    def __str__(self):
        return f"{self.business} – {self.program.ref}"

    @property
    def counts_towards_quota(self) -> bool:
        return self.status != self.Status.DROPPED
