"""Forms of the registry: filters, import upload, outcome report."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from programs.taxonomy import Sector
from satusama.exports import looks_like_formula
from stakeholders.models import Region

from .importing import BUSINESS, OUTCOMES
from .models import Business, Enrollment, OutcomeReport, Scale


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
    program = forms.ModelChoiceField(queryset=None, required=False, label=_("Program"),
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


class BusinessForm(forms.ModelForm):
    """One business's record, typed in the portal (many at once: the import page)."""

    region = forms.ModelChoiceField(queryset=None, required=False, label=_("Regency/city"))  # set per request

    class Meta:
        model = Business
        fields = [
            "nib", "name", "owner_name", "owner_gender", "phone", "email", "address", "region", "district",
            "village", "sector", "kbli", "capital", "annual_sales", "declared_scale", "year_founded",
            "nib_issued_on", "pirt_number", "pirt_issued_on", "halal_number", "halal_issued_on", "bpom_number",
            "bpom_issued_on",
        ]
        widgets = {f: forms.DateInput(attrs={"type": "date"})
                   for f in ("nib_issued_on", "pirt_issued_on", "halal_issued_on", "bpom_issued_on")}

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.fields["region"].queryset = Region.objects.exclude(kind=Region.Kind.PROVINCE).order_by("code")
        self.fields["declared_scale"].help_text = _("Used only when neither capital nor annual sales is known.")
        if self.instance.pk:
            # The NIB identifies the business; a mistyped one is put right with *Koreksi NIB* (recorded, with a reason).
            self.fields["nib"].disabled = True
            self.fields["nib"].help_text = _(
                "A mistyped NIB is corrected with \"Correct the NIB\" on the business page.")

    def clean_name(self):
        return self._no_formula(self.cleaned_data["name"])

    def clean_owner_name(self):
        return self._no_formula(self.cleaned_data["owner_name"])

    def clean_address(self):
        return self._no_formula(self.cleaned_data["address"])

    @staticmethod
    def _no_formula(value: str) -> str:
        if value and looks_like_formula(value.strip()):
            raise forms.ValidationError(_("Do not start with =, +, -, @: spreadsheets would read it as a formula."))
        return value.strip()

    def clean_year_founded(self):
        year = self.cleaned_data["year_founded"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Not a plausible year."))
        return year

    def clean_nib(self):
        nib = self.cleaned_data["nib"]
        if not self.instance.pk and Business.objects.filter(tenant=self.tenant, nib=nib).exists():
            raise forms.ValidationError(_("A business with this NIB is already in the registry."))
        return nib


class NibCorrectionForm(forms.Form):
    new_nib = forms.CharField(label=_("Correct NIB"), max_length=20,
                              help_text=_("13 digits, as on the OSS certificate."))
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             help_text=_("e.g. one digit mistyped at enrolment; checked against the OSS certificate"))
