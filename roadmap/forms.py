"""Portal forms of the roadmap: plans, priorities, yearly targets, indicator values and the import upload."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from programs.taxonomy import Intervention, Sector
from stakeholders.models import HelixKind, Region

from .models import RPJMD, Indicator, Priority, Roadmap, Sasaran


class NumberField(forms.DecimalField):
    """A decimal typed the Indonesian way ("1.234,5", "12.000") or the English way ("1234.5"), like the import."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        from .importer import plain_number_text

        if isinstance(value, str):
            value = plain_number_text(value)
        return super().to_python(value)

    def prepare_value(self, value):
        return value.normalize() if hasattr(value, "normalize") and value == value.to_integral_value() else value


class TenantModelForm(forms.ModelForm):
    """The row belongs to the request's tenant before validation (model clean() compares tenants and periods)."""

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.instance.tenant = tenant


class RPJMDForm(TenantModelForm):
    class Meta:
        model = RPJMD
        fields = ["title", "start_year", "end_year", "visi"]


class RoadmapForm(TenantModelForm):
    # Querysets are set per request: tenant-owned managers refuse queries outside a tenant scope.
    rpjmd = forms.ModelChoiceField(label=_("RPJMD"), queryset=None, required=False)

    class Meta:
        model = Roadmap
        fields = ["title", "rpjmd", "start_year", "end_year", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rpjmd"].queryset = RPJMD.objects.filter(tenant=self.tenant)


class PriorityForm(TenantModelForm):
    kinds = forms.MultipleChoiceField(label=_("kinds of assistance"), choices=Intervention.choices,
                                      widget=forms.CheckboxSelectMultiple, required=False)
    sectors = forms.MultipleChoiceField(label=_("sectors"), choices=Sector.choices,
                                        widget=forms.CheckboxSelectMultiple, required=False)
    helix_kinds = forms.MultipleChoiceField(label=_("expected helix kinds"), choices=HelixKind.choices,
                                            widget=forms.CheckboxSelectMultiple, required=False)
    regions = forms.ModelMultipleChoiceField(label=_("target regencies/cities"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    sasaran = forms.ModelMultipleChoiceField(label=_("aligned targets (sasaran)"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    indicators = forms.ModelMultipleChoiceField(label=_("aligned indicators"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Priority
        fields = ["title", "description", "kinds", "sectors", "regions", "helix_kinds", "sasaran", "indicators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.roadmap = roadmap
        self.fields["regions"].queryset = Region.objects.filter(tenant=self.tenant).exclude(kind=Region.Kind.PROVINCE)
        rpjmd_id = roadmap.rpjmd_id
        self.fields["sasaran"].queryset = Sasaran.objects.filter(tenant=self.tenant, tujuan__misi__rpjmd_id=rpjmd_id)
        self.fields["indicators"].queryset = Indicator.objects.filter(
            tenant=self.tenant, sasaran__tujuan__misi__rpjmd_id=rpjmd_id)


class YearValuesForm(forms.Form):
    """One row of number fields per year of a period (e.g. the yearly targets of a priority)."""

    columns: list[tuple[str, str]] = []  # (suffix, label)

    def __init__(self, *args, years: list[int], initial_rows: dict[int, dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            for suffix, label in self.columns:
                name = f"y{year}_{suffix}"
                self.fields[name] = self.field_for(label, year)
                value = initial_rows.get(year, {}).get(suffix)
                if value is not None:
                    self.initial[name] = value

    def field_for(self, label, year):
        return forms.IntegerField(label=f"{label} {year}", required=False, min_value=0)

    @property
    def rows(self):
        """(year, [bound fields]) for the template."""
        return [(y, [self[f"y{y}_{s}"] for s, _label in self.columns]) for y in self.years]

    def values(self) -> dict[int, dict | None]:
        """year → {column: value}, or None when the whole row was left empty (the year has no value)."""
        out = {}
        for y in self.years:
            row = {s: self.cleaned_data.get(f"y{y}_{s}") for s, _label in self.columns}
            out[y] = None if all(v is None for v in row.values()) else row
        return out


class PriorityTargetsForm(YearValuesForm):
    columns = [("umkm_reached", _("UMKM reached")), ("programs", _("programs")), ("budget_idr", _("budget (rupiah)"))]


class IndicatorValuesForm(YearValuesForm):
    columns = [("target", _("target")), ("achievement", _("achievement"))]

    def field_for(self, label, year):
        return NumberField(label=f"{label} {year}", required=False, max_digits=18, decimal_places=2,
                           validators=[MinValueValidator(0)])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("spreadsheet (XLSX or CSV)"),
                           help_text=_("Use the template; the first row holds the column names."))


class LinkProgramForm(forms.Form):
    """A tenant admin links a program to a priority: the choices are programs_to_link() of that priority."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=None,
                                     error_messages={"invalid_choice": _("Choose one of the programs offered.")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = candidates
        self.fields["program"].label_from_instance = lambda p: f"{p.ref} — {p.title} ({p.owner.name})"


class HierarchyNodeForm(TenantModelForm):
    """Code and statement of one element of the RPJMD hierarchy (or an indicator), under its parent element."""

    def __init__(self, *args, parent_field: str, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_field, self.parent = parent_field, parent
        setattr(self.instance, parent_field, parent)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        siblings = type(self.instance).objects.filter(tenant=self.tenant, **{self.parent_field: self.parent})
        if siblings.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The code %(code)s is already used at this place of the hierarchy.")
                                        % {"code": code})
        return code


def hierarchy_form(level, *args, **kwargs) -> HierarchyNodeForm:
    """The form of one level (roadmap.hierarchy.LEVELS), bound or not."""
    form_class = forms.modelform_factory(level.model, form=HierarchyNodeForm, fields=list(level.fields),
                                         widgets={"text": forms.Textarea(attrs={"rows": 2})},
                                         field_classes={"baseline": NumberField, "final_target": NumberField})
    return form_class(*args, parent_field=level.parent, **kwargs)
