"""Programs on the stakeholders pages: the directory's "kind of assistance" filter and an organisation's programs.

Registered in ProgramsConfig.ready() through stakeholders.extensions (stakeholders does not import programs).
Both follow programs/permissions.visible_programs: nobody finds an organisation, or reads a title, through another
organisation's draft.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.extensions import DirectoryFilter, OrganizationSection

from .models import Program
from .permissions import visible_programs
from .taxonomy import Intervention

SHOWN = 10


def organizations_offering(organizations: QuerySet, kind: str, user, tenant) -> QuerySet:
    """Organisations running (owning) a program this user may see that gives this kind of assistance."""
    if kind not in Intervention.values:
        return organizations
    owners = visible_programs(user, tenant).filter(kinds__has_any=[kind]).values("owner_id")
    return organizations.filter(pk__in=owners)


def organization_programs(request, org) -> dict:
    """The programs it runs and those it partners in, newest first: at most six queries, however many there are."""
    visible = visible_programs(request.user, request.tenant)
    partnered = Program.partners.through.objects.filter(organization_id=org.pk).values("program_id")
    owned = visible.filter(owner=org)
    partner = visible.filter(pk__in=partnered).exclude(owner=org)

    def rows(qs):
        shown = list(qs.select_related("owner").prefetch_related("regions").order_by("-start_date", "ref")[:SHOWN])
        return shown, (qs.count() if len(shown) == SHOWN else len(shown))  # counted only when the list is cut

    owned_programs, owned_total = rows(owned)
    partner_programs, partner_total = rows(partner)
    return {
        "owned_programs": owned_programs, "owned_total": owned_total,
        "partner_programs": partner_programs, "partner_total": partner_total,
        "all_programs_url": f"{reverse('programs:list', args=[request.tenant.slug])}?owner={org.pk}",
    }


ASSISTANCE_FILTER = DirectoryFilter(
    name="kind", label=_("Kind of assistance"), choices=lambda: list(Intervention.choices),
    apply=organizations_offering,
)
PROGRAMS_SECTION = OrganizationSection(template="programs/_organization_programs.html", context=organization_programs)
