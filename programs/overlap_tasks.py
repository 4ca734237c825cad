"""Celery task: recompute a program's overlap flags after it was submitted, edited or changed status."""

from celery import shared_task
from django.db import OperationalError
from django_scopes import scope, scopes_disabled


# Two programs submitted at the same moment may check each other; PostgreSQL then aborts one of the two
# transactions as a deadlock. The check is idempotent, so the aborted one simply runs again (eagerly too).
@shared_task(name="programs.recompute_overlap_flags", autoretry_for=(OperationalError,), retry_backoff=True,
             retry_backoff_max=30, max_retries=5, acks_late=True)
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


@shared_task(name="programs.recompute_overlap_flags_of_many", autoretry_for=(OperationalError,), retry_backoff=True,
             retry_backoff_max=30, max_retries=5, acks_late=True)
def recompute_overlap_flags_of_many(*, program_ids: list[int], tenant_id: int) -> int:
    """The same for a batch of programs (an import): one task per batch; each check is idempotent, so a batch run
    again after a lost worker changes nothing it already did. Returns how many flags were opened."""
    return sum(recompute_overlap_flags(program_id=pk, tenant_id=tenant_id) for pk in program_ids)
