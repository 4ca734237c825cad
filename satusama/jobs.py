"""Queue background tasks on commit without losing them when the broker (Redis) is down.

`enqueue_on_commit(task, **kwargs)` sends the task once the transaction commits. If Redis cannot be
reached the task is stored as a PendingTask and the request goes on; `flush_pending_tasks` (Celery beat,
every minute, or `manage.py flush_pending_tasks`) sends it when Redis is back, noting on an e-mail's delivery
record when it left (`EmailDelivery.requeued_at`). Without REDIS_URL tasks run eagerly in-process, as everywhere
else.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from .celery import app
from .models import EmailDelivery, PendingTask

log = logging.getLogger("satusama.jobs")

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def enqueue_on_commit(task, **kwargs) -> None:
    transaction.on_commit(lambda: send_or_keep(task.name, kwargs))


def send_or_keep(name: str, kwargs: dict) -> bool:
    """Send now; on a broker failure keep it for later. True when sent."""
    try:
        app.tasks[name].apply_async(kwargs=kwargs, retry=False)
    except BROKER_ERRORS as exc:
        log.warning("broker unreachable, task %s kept for later: %s", name, exc)
        PendingTask.objects.create(name=name, kwargs=kwargs, last_error=str(exc)[:500])
        return False
    return True


def flush_pending(limit: int = 500) -> int:
    """Re-send kept tasks, oldest first; stops at the first broker failure. Returns how many were sent."""
    sent = 0
    for pending in PendingTask.objects.all()[:limit]:
        if delivery := pending.kwargs.get("delivery"):
            # Before the hand-over, so the lost-mail check always finds it kept or freshly queued.
            EmailDelivery.requeued(delivery)
        try:
            app.tasks[pending.name].apply_async(kwargs=pending.kwargs, retry=False)
        except BROKER_ERRORS as exc:
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1, last_error=str(exc)[:500])
            break
        pending.delete()
        sent += 1
    return sent
