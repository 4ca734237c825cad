"""The program form (validated as the user types, via htmx) and the small forms of the program page."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organization, Region

from .models import Program
from .taxonomy import FundingSource, Intervention, Sector

# Dates outside these bounds are typing mistakes (2205 for 2025), not plans.
EARLIEST = datetime.date(2015, 1, 1)
PLANNING_HORIZON_YEARS = 10


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgramForm(forms.ModelForm):
    """Create or edit a program; owner is chosen only at creation, among the user's organisations."""

    owner = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organisation"))
    kinds = forms.MultipleChoiceField(
        choices=Intervention.choices, widget=forms.CheckboxSelectMultiple, label=_("Kinds of assistance"),
        error_messages={"required": _("Choose at least one kind of assistance.")},
    )
    sectors = forms.MultipleChoiceField(
        choices=Sector.choices, widget=forms.CheckboxSelectMultiple, label=_("Sectors"),
        error_messages={"required": _("Choose at least one sector.")},
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Regencies/cities"),
        error_messages={"required": _("Choose at least one regency/city.")},
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Partner organisations"),
        help_text=_("Co-organisers; their members can see and comment on the program."),
    )
    target_umkm = forms.IntegerField(
        required=False, min_value=0, label=_("Target number of UMKM"),
        error_messages={"min_value": _("The number cannot be negative.")},
    )
    budget_idr = forms.IntegerField(
        required=False, min_value=0, label=_("Budget (rupiah)"),
        error_messages={"min_value": _("The budget cannot be negative.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Declared here: the default queryset of a scoped model cannot be built at import time.
    priorities = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Roadmap priorities"),
    )

    class Meta:
        model = Program
        fields = [
            "owner", "title", "description", "kinds", "sectors", "priorities", "regions", "subregions", "partners",
            "start_date", "end_date", "target_umkm", "budget_idr", "funding_source", "open_for_participants",
            "registration_deadline", "how_to_join", "contact_name", "contact_phone", "contact_email",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "registration_deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "how_to_join": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, tenant, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].choices = [("", "—"), *FundingSource.choices]
        self.fields["regions"].queryset = Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE)
        self.fields["partners"].queryset = Organization.objects.filter(tenant=tenant)
        if self.instance.pk:
            # The owner of an existing program does not change in the form.
            del self.fields["owner"]
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["owner"].queryset = owners
            if owners.count() == 1:
                self.fields["owner"].initial = owners.first()
        self.fields["priorities"].queryset = matching_priorities(tenant, self.instance)
        self.fields["priorities"].help_text = _("Roadmap priorities this program contributes to.")

    def _check_date(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return value
        latest = timezone.localdate().replace(year=timezone.localdate().year + PLANNING_HORIZON_YEARS)
        if not EARLIEST <= value <= latest:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                params={"earliest": EARLIEST.year, "latest": latest.year}, code="out_of_bounds",
            )
        return value

    def clean_start_date(self):
        return self._check_date("start_date")

    def clean_end_date(self):
        return self._check_date("end_date")

    def clean_registration_deadline(self):
        return self._check_date("registration_deadline")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        deadline = data.get("registration_deadline")
        if deadline and end and deadline > end:
            self.add_error("registration_deadline", _("Registration must close by the end date."))
        partners = data.get("partners")
        owner = data.get("owner") or getattr(self.instance, "owner", None)
        if partners and owner and owner in partners:
            self.add_error("partners", _("The organisation itself cannot be its own partner."))
        return data

    def content(self) -> dict:
        """Cleaned values for programs.services (without the owner and the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("owner", "version")}


def matching_priorities(tenant, program: Program):
    """Roadmap priorities offered to a program: those sharing a kind or a sector with it (all while it has none)."""
    from roadmap.models import Priority

    qs = Priority.objects.filter(tenant=tenant)
    if program.pk and (program.kinds or program.sectors):
        linked = program.priorities.values("pk")
        qs = qs.filter(
            Q(kinds__has_any=program.kinds) | Q(sectors__has_any=program.sectors) | Q(pk__in=linked)
        )
    return qs


class TransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Comment"))


FIELDSETS = [
    (_("The program"), ["owner", "title", "description", "kinds", "sectors", "priorities", "partners"]),
    (_("Where and when"), ["regions", "subregions", "start_date", "end_date"]),
    (_("Target and budget"), ["target_umkm", "budget_idr", "funding_source"]),
    (_("Participants"), ["open_for_participants", "registration_deadline", "how_to_join"]),
    (_("Contact person"), ["contact_name", "contact_phone", "contact_email"]),
]


def fieldsets(form: forms.Form) -> list[tuple[str, list]]:
    """The form's fields grouped for display (fields missing from this form are left out)."""
    known = set(form.fields)
    groups = [(legend, [form[n] for n in names if n in known]) for legend, names in FIELDSETS]
    placed = {n for _legend, names in FIELDSETS for n in names} | {"version"}
    rest = [form[n] for n in form.fields if n not in placed]
    if rest:
        groups[0][1].extend(rest)
    return groups
