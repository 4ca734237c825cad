"""Forms of the registry: filters, import upload, outcome report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from programs.taxonomy import Sector
from stakeholders.models import Region

from .importing import BUSINESS, OUTCOMES
from .models import Enrollment, OutcomeReport, Scale


class BusinessFilterForm(forms.Form):
    q = forms.CharField(label=_("NIB or name starts with"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Regency/city"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False,
                               choices=[("", _("All sectors")), *Sector.choices])
    scale = forms.ChoiceField(label=_("Scale"), required=False, choices=[("", _("All scales")), *Scale.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regencies/cities"))] + [
            (r.code, str(r)) for r in Region.objects.exclude(kind=Region.Kind.PROVINCE).order_by("code")
        ]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=[
        (BUSINESS, _("businesses")), (OUTCOMES, _("outcome reports")),
    ], initial=BUSINESS)
    file = forms.FileField(label=_("CSV (UTF-8) or XLSX file"))

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        if program is not None:
            # A program's page uploads its participants' outcome reports, nothing else.
            del self.fields["kind"]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("kind", OUTCOMES)
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."))
        return upload


class OutcomeReportForm(forms.ModelForm):
    # The choices are set per business in __init__ (no query at import time: tenant data needs a scope).
    program = forms.ModelChoiceField(queryset=None, required=False, label=_("program"),
                                     help_text=_("The program this report measures, when there is one."))

    class Meta:
        model = OutcomeReport
        fields = ["date", "program", "annual_sales", "capital", "employees", "markets", "online_shop", "qris",
                  "bookkeeping_app", "still_active"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, business=None, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business
        # Only the programs this business took part in (and the user may see) can be the report's program.
        self.fields["program"].queryset = programs if programs is not None else Program.objects.none()
        self.fields["program"].label_from_instance = lambda p: f"{p.ref} {p.title}"

    def clean(self):
        cleaned = super().clean()
        date = cleaned.get("date")
        if date and self.business and self.business.outcome_reports.filter(date=date).exists():
            self.add_error("date", _("This business already has a report on that date."))
        return cleaned


class UnderservedForm(BusinessFilterForm):
    years = forms.IntegerField(label=_("No assistance in the last (years)"), min_value=1, max_value=20, initial=3,
                               required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        del self.fields["scale"]


class EnrollmentForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["status", "attendance"]
