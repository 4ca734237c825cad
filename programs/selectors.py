"""Reads shared by the list, the exports and the timeline: visible programs, filtered and sorted."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stakeholders.models import HelixKind, Organization, Region

from .models import Program
from .permissions import visible_programs
from .taxonomy import Intervention, Sector, Status

SORTS = {
    "start": ("start_date", "ref"),
    "-start": ("-start_date", "ref"),
    "ref": ("ref",),
    "-ref": ("-ref",),
    "title": ("title", "ref"),
    "owner": ("owner__name", "ref"),
    "status": ("status", "ref"),
    "-updated": ("-updated_at", "ref"),
}


class ProgramFilterForm(forms.Form):
    """The list's filters; they live in the URL (GET), so a filtered list can be bookmarked and exported."""

    # type=search: the list's htmx trigger reloads the results while one types in it.
    q = forms.CharField(required=False, label=_("Search"), max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(required=False, label=_("Status"))
    helix = forms.ChoiceField(required=False, label=_("Helix kind"))
    owner = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False, label=_("Organisation"),
                                   empty_label=_("All"))
    region = forms.ModelChoiceField(queryset=Region.objects.none(), required=False, label=_("Regency/city"),
                                    to_field_name="code", empty_label=_("All"))
    kind = forms.ChoiceField(required=False, label=_("Kind of assistance"))
    sector = forms.ChoiceField(required=False, label=_("Sector"))
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Year"))
    mine = forms.BooleanField(required=False, label=_("Only my organisation's programs"))
    sort = forms.ChoiceField(required=False, label=_("Sort by"))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(Status.choices)
        self.fields["helix"].choices = everything + list(HelixKind.choices)
        self.fields["kind"].choices = everything + list(Intervention.choices)
        self.fields["sector"].choices = everything + list(Sector.choices)
        self.fields["owner"].queryset = Organization.objects.filter(tenant=tenant)
        self.fields["region"].queryset = Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE)
        self.fields["sort"].choices = [
            ("-start", _("Newest start first")), ("start", _("Oldest start first")), ("ref", _("Reference")),
            ("title", _("Title")), ("owner", _("Organisation")), ("status", _("Status")),
            ("-updated", _("Recently changed")),
        ]
        self._priority_field()

    def _priority_field(self):
        if not hasattr(Program, "priorities"):
            return
        priority_model = Program.priorities.field.related_model
        self.fields["priority"] = forms.ModelChoiceField(
            queryset=priority_model.objects.all(), required=False, label=_("Roadmap priority"), empty_label=_("All")
        )

    def ignored_filters(self) -> list[str]:
        """One sentence per filter whose value was not understood (a stale bookmark, a hand-edited URL).

        Only that filter is dropped: the valid ones still apply (cleaned_data keeps them), and the list says so.
        """
        if not self.is_bound or self.is_valid():
            return []
        return [
            _("%(filter)s: “%(value)s” is not a valid value, so this filter is ignored; the other filters still "
              "apply.") % {"filter": self.fields[name].label if name in self.fields else name,
                           "value": str(self.data.get(name, ""))[:40]}
            for name in self.errors
        ]


def filter_programs(qs: QuerySet, data: dict, *, user, tenant) -> QuerySet:
    """Apply cleaned filter values; unknown or invalid values were dropped by the form."""
    if data.get("q"):
        words = data["q"].split()
        for word in words[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(ref__icontains=word) | Q(description__icontains=word))
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("helix"):
        qs = qs.filter(owner__helix=data["helix"])
    if data.get("owner"):
        qs = qs.filter(owner=data["owner"])
    if data.get("region"):
        qs = qs.filter(pk__in=Program.regions.through.objects.filter(region=data["region"]).values("program_id"))
    if data.get("kind"):
        qs = qs.filter(kinds__has_any=[data["kind"]])
    if data.get("sector"):
        qs = qs.filter(sectors__has_any=[data["sector"]])
    if data.get("year"):
        # Programs running at some point in that year, not only those starting in it.
        year = data["year"]
        qs = qs.filter(start_date__lte=datetime.date(year, 12, 31), end_date__gte=datetime.date(year, 1, 1))
    if data.get("priority"):
        qs = qs.filter(priorities=data["priority"])
    if data.get("mine"):
        from .permissions import organizations_user_can_register_for

        qs = qs.filter(owner__in=organizations_user_can_register_for(user, tenant))
    return qs


def program_list(user, tenant, params) -> tuple[ProgramFilterForm, QuerySet]:
    """The filter form and the matching programs, with everything a list row shows prefetched."""
    form = ProgramFilterForm(params, tenant=tenant)
    form.is_valid()
    data = form.cleaned_data  # the valid filters only: an invalid one is dropped alone (form.ignored_filters)
    qs = filter_programs(visible_programs(user, tenant), data, user=user, tenant=tenant)
    qs = qs.order_by(*SORTS.get(data.get("sort") or "-start", SORTS["-start"]))
    return form, qs.select_related("owner").prefetch_related("regions")
