"""Demo overlap data: each tenant's editable synonym list and the flags of the demo programs (idempotent)."""

from __future__ import annotations

from django_scopes import scope

from stakeholders.models import Tenant

from .models import Program
from .overlap_services import CHECKED_STATUSES, recompute_flags_for, seed_synonyms


def seed(tenants: dict[str, Tenant]) -> None:
    for tenant in tenants.values():
        with scope(tenant=tenant):
            seed_synonyms(tenant)
            for program in Program.objects.filter(tenant=tenant, status__in=CHECKED_STATUSES).order_by("pk"):
                # no e-mail: the demo owners did not just submit anything
                recompute_flags_for(program, notify=False)
