"""The RPJMD hierarchy (visi → misi → tujuan → sasaran → indicators) and the UMKM roadmap aligned to it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.fields import CodeListField
from programs.taxonomy import Intervention, Sector, label
from stakeholders.models import HelixKind, Region, TenantOwned

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def validate_year_in(year: int | None, start: int | None, end: int | None, field: str = "year") -> None:
    """A yearly value must fall inside its plan's period (clear message with the period)."""
    if year is None or start is None or end is None:
        return
    if not start <= year <= end:
        raise ValidationError(
            {field: _("The year %(year)s is outside the period %(start)s–%(end)s.")
             % {"year": year, "start": start, "end": end}},
            code="year_outside_period",
        )


class PeriodMixin(models.Model):
    """A plan that covers whole years, start to end inclusive."""

    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)

    class Meta:
        abstract = True

    @property
    def years(self) -> list[int]:
        if self.start_year is None or self.end_year is None:
            return []
        return list(range(self.start_year, self.end_year + 1))

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def clean_period(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")},
                                  code="end_before_start")


class RPJMD(PeriodMixin, TenantOwned):
    """A province's five-year development plan (Rencana Pembangunan Jangka Menengah Daerah)."""

    title = models.CharField(_("title"), max_length=200)
    visi = models.TextField(_("vision (visi)"), blank=True)

    class Meta:
        verbose_name = _("RPJMD")
        verbose_name_plural = _("RPJMD")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "start_year"], name="rpjmd_unique_start_per_tenant"),
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                   name="rpjmd_end_not_before_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.clean_period()
        if self.tenant_id and self.start_year and self.end_year:
            clash = (RPJMD.objects.filter(tenant_id=self.tenant_id, start_year__lte=self.end_year,
                                          end_year__gte=self.start_year)
                     .exclude(pk=self.pk).first())
            if clash:
                raise ValidationError(
                    _("The period %(period)s overlaps “%(other)s” (%(other_period)s); "
                      "two RPJMDs of one province cannot cover the same year.")
                    % {"period": self.period_label, "other": clash.title, "other_period": clash.period_label},
                    code="rpjmd_overlap",
                )


class OrderedNode(TenantOwned):
    """A numbered, ordered statement of the hierarchy (misi, tujuan, sasaran, …)."""

    code = models.CharField(_("code"), max_length=30, help_text=_("e.g. M1, T1.2, S1.2.1"))
    text = models.TextField(_("statement"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class Misi(OrderedNode):
    rpjmd = models.ForeignKey(RPJMD, on_delete=models.CASCADE, related_name="misi", verbose_name=_("RPJMD"))

    class Meta(OrderedNode.Meta):
        verbose_name = _("mission (misi)")
        verbose_name_plural = _("missions (misi)")
        constraints = [models.UniqueConstraint(fields=["tenant", "rpjmd", "code"], name="misi_unique_code")]


class Tujuan(OrderedNode):
    misi = models.ForeignKey(Misi, on_delete=models.CASCADE, related_name="tujuan", verbose_name=_("mission (misi)"))

    class Meta(OrderedNode.Meta):
        verbose_name = _("goal (tujuan)")
        verbose_name_plural = _("goals (tujuan)")
        constraints = [models.UniqueConstraint(fields=["tenant", "misi", "code"], name="tujuan_unique_code")]


class Sasaran(OrderedNode):
    tujuan = models.ForeignKey(Tujuan, on_delete=models.CASCADE, related_name="sasaran",
                               verbose_name=_("goal (tujuan)"))

    class Meta(OrderedNode.Meta):
        verbose_name = _("target (sasaran)")
        verbose_name_plural = _("targets (sasaran)")
        constraints = [models.UniqueConstraint(fields=["tenant", "tujuan", "code"], name="sasaran_unique_code")]


class Strategi(OrderedNode):
    """Optional level under a sasaran."""

    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="strategi",
                                verbose_name=_("target (sasaran)"))

    class Meta(OrderedNode.Meta):
        verbose_name = _("strategy (strategi)")
        verbose_name_plural = _("strategies (strategi)")
        constraints = [models.UniqueConstraint(fields=["tenant", "sasaran", "code"], name="strategi_unique_code")]


class ArahKebijakan(OrderedNode):
    """Policy direction under a sasaran, optionally under one of its strategies."""

    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="arah_kebijakan",
                                verbose_name=_("target (sasaran)"))
    strategi = models.ForeignKey(Strategi, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="arah_kebijakan", verbose_name=_("strategy (strategi)"))

    class Meta(OrderedNode.Meta):
        verbose_name = _("policy direction (arah kebijakan)")
        verbose_name_plural = _("policy directions (arah kebijakan)")
        constraints = [models.UniqueConstraint(fields=["tenant", "sasaran", "code"], name="arahkebijakan_unique_code")]

    def clean(self):
        if self.strategi_id and self.sasaran_id and self.strategi.sasaran_id != self.sasaran_id:
            raise ValidationError({"strategi": _("The strategy belongs to another target.")})


class Indicator(TenantOwned):
    """A performance indicator (indikator kinerja) of a sasaran with a target per year."""

    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="indicators",
                                verbose_name=_("target (sasaran)"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2, null=True, blank=True,
                                   validators=NON_NEGATIVE)
    final_target = models.DecimalField(_("final target"), max_digits=18, decimal_places=2, null=True, blank=True,
                                       validators=NON_NEGATIVE)
    responsible_agency = models.CharField(_("responsible agency"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "sasaran", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=models.Q(baseline__gte=0) | models.Q(baseline__isnull=True),
                                   name="indicator_baseline_non_negative"),
            models.CheckConstraint(condition=models.Q(final_target__gte=0) | models.Q(final_target__isnull=True),
                                   name="indicator_final_target_non_negative"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def rpjmd(self) -> RPJMD:
        return self.sasaran.tujuan.misi.rpjmd


class IndicatorYearValue(TenantOwned):
    """A non-negative value of an indicator for one year inside the RPJMD period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, validators=NON_NEGATIVE)

    class Meta:
        abstract = True
        ordering = ["year"]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self):
        if self.indicator_id:
            rpjmd = self.indicator.rpjmd
            validate_year_in(self.year, rpjmd.start_year, rpjmd.end_year)


class IndicatorTarget(IndicatorYearValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("indicator"))

    class Meta(IndicatorYearValue.Meta):
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "indicator", "year"], name="indicatortarget_unique_year"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="indicatortarget_non_negative"),
        ]


class IndicatorAchievement(IndicatorYearValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="achievements",
                                  verbose_name=_("indicator"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(IndicatorYearValue.Meta):
        verbose_name = _("indicator achievement")
        verbose_name_plural = _("indicator achievements")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "indicator", "year"], name="indicatorachievement_unique_year"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="indicatorachievement_non_negative"),
        ]


class Roadmap(PeriodMixin, TenantOwned):
    """The Dinas' UMKM development roadmap (peta jalan) for a period, aligned to an RPJMD."""

    title = models.CharField(_("title"), max_length=200)
    rpjmd = models.ForeignKey(RPJMD, on_delete=models.SET_NULL, null=True, blank=True, related_name="roadmaps",
                              verbose_name=_("RPJMD"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "title"], name="roadmap_unique_title"),
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                   name="roadmap_end_not_before_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.clean_period()
        if self.rpjmd_id and self.start_year and self.end_year:
            if self.rpjmd.tenant_id != self.tenant_id:
                raise ValidationError({"rpjmd": _("Choose an RPJMD of this province.")})
            if self.start_year < self.rpjmd.start_year or self.end_year > self.rpjmd.end_year:
                raise ValidationError(
                    _("The roadmap period must lie inside the RPJMD period %(period)s.")
                    % {"period": self.rpjmd.period_label},
                    code="roadmap_outside_rpjmd",
                )


class Priority(TenantOwned):
    """A roadmap priority (e.g. "Sertifikasi halal"): what it covers, where, who should take part, yearly targets."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="priorities",
                                verbose_name=_("roadmap"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sasaran = models.ManyToManyField(Sasaran, blank=True, related_name="priorities",
                                     verbose_name=_("aligned targets (sasaran)"))
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="priorities",
                                        verbose_name=_("aligned indicators"))
    kinds = CodeListField(_("kinds of assistance"), codes=Intervention)
    sectors = CodeListField(_("sectors"), codes=Sector)
    regions = models.ManyToManyField(Region, blank=True, related_name="roadmap_priorities",
                                     verbose_name=_("target regencies/cities"))
    helix_kinds = CodeListField(_("expected helix kinds"), codes=HelixKind)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("roadmap priority")
        verbose_name_plural = _("roadmap priorities")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["tenant", "roadmap", "title"], name="priority_unique_title")]

    def __str__(self):
        return self.title

    @property
    def kind_labels(self) -> list[str]:
        return [label(Intervention, c) for c in self.kinds]

    @property
    def sector_labels(self) -> list[str]:
        return [label(Sector, c) for c in self.sectors]

    @property
    def helix_labels(self) -> list[str]:
        return [label(HelixKind, c) for c in self.helix_kinds]


class PriorityTarget(TenantOwned):
    """What a priority should reach in one year of the roadmap."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="targets",
                                 verbose_name=_("roadmap priority"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    umkm_reached = models.PositiveIntegerField(_("UMKM reached"), default=0)
    programs = models.PositiveIntegerField(_("programs"), default=0)
    budget_idr = models.PositiveBigIntegerField(_("budget (rupiah)"), default=0)

    class Meta:
        verbose_name = _("priority target")
        verbose_name_plural = _("priority targets")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["tenant", "priority", "year"], name="prioritytarget_unique")]

    def __str__(self):
        return f"{self.priority} {self.year}"

    def clean(self):
        if self.priority_id:
            roadmap = self.priority.roadmap
            validate_year_in(self.year, roadmap.start_year, roadmap.end_year)
