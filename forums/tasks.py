"""Background work of the forums app: rendering meeting PDFs."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from stakeholders.models import Tenant


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_meeting_document(*, tenant_id: int, meeting_id: int, kind: str) -> None:
    """Render one meeting PDF if its cached copy is stale. Idempotent: a second run finds it current."""
    from .models import Meeting
    from .pdfs import ensure_rendered

    with scopes_disabled():
        tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return
    with scope(tenant=tenant):
        meeting = Meeting.objects.filter(pk=meeting_id).select_related("forum", "tenant").first()
        if meeting is not None:
            ensure_rendered(meeting=meeting, kind=kind)
