"""Celery task: recompute a program's overlap flags after it was submitted, edited or changed status."""

from celery import shared_task
from django_scopes import scope, scopes_disabled


@shared_task(name="programs.recompute_overlap_flags")
def recompute_overlap_flags(*, program_id: int, tenant_id: int) -> int:
    """Ids in, re-fetched here, inside the tenant's scope. Returns how many flags were opened."""
    from stakeholders.models import Tenant

    from .models import Program
    from .overlap_services import recompute_flags_for

    with scopes_disabled():
        tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return 0
    with scope(tenant=tenant):
        program = Program.objects.filter(tenant=tenant, pk=program_id).first()
        if program is None:  # a draft deleted before the task ran
            return 0
        return len(recompute_flags_for(program))
