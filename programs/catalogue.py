"""The public catalogue's reads: approved and running programs open for participants, not yet over."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Region

from .models import Program
from .taxonomy import PUBLIC_STATUSES, Intervention, Sector


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search"), widget=forms.SearchInput)
    region = forms.ModelChoiceField(queryset=Region.objects.none(), required=False, to_field_name="code",
                                    label=_("Regency/city"), empty_label=_("All regencies/cities"))
    sector = forms.ChoiceField(required=False, label=_("Sector"))
    kind = forms.ChoiceField(required=False, label=_("Kind of assistance"))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE)
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["kind"].choices = [("", _("All kinds of assistance")), *Intervention.choices]


def catalogue_programs(tenant, filters: dict):
    """What an UMKM owner can still join: public statuses, open for participants, not over, registration open."""
    today = timezone.localdate()
    qs = Program.objects.filter(
        tenant=tenant, status__in=PUBLIC_STATUSES, open_for_participants=True, end_date__gte=today
    ).filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=today))
    if filters.get("region"):
        qs = qs.filter(pk__in=Program.regions.through.objects.filter(region=filters["region"]).values("program_id"))
    if filters.get("sector"):
        # A program for all sectors ("umum") is open to a business of any sector.
        qs = qs.filter(sectors__has_any=[filters["sector"], Sector.UMUM])
    if filters.get("kind"):
        qs = qs.filter(kinds__has_any=[filters["kind"]])
    for word in (filters.get("q") or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word) | Q(owner__name__icontains=word))
    return qs.select_related("owner").prefetch_related("regions").order_by("start_date", "ref")
