"""Queue an e-mail for the worker once the current transaction commits, and tell pages how far it got.

`queue_email(message, topic=…, tenant=…)` records an `EmailDelivery` in the caller's transaction and queues
`send_email` on commit with the delivery's id; the task marks it sent. While Redis is down the task waits as a
`PendingTask` and the delivery stays "being processed" until `flush_pending_tasks` sends it on.
"""

from collections.abc import Iterable

from django.core.mail import EmailMessage

from .jobs import enqueue_on_commit
from .models import EmailDelivery
from .tasks import send_email


def queue_email(message: EmailMessage, *, topic: str, tenant=None) -> EmailDelivery:
    """`topic` names what the mail is about ("invitation:12"); `tenant` when it is about a tenant's object."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    delivery = EmailDelivery.objects.create(tenant=tenant, topic=topic, recipients=len(message.to))
    enqueue_on_commit(
        send_email,
        subject=message.subject, body=message.body, to=list(message.to), from_email=message.from_email, html=html,
        delivery=str(delivery.pk),
    )
    return delivery


def latest_deliveries(topics: Iterable[str]) -> dict[str, EmailDelivery]:
    """The newest delivery of each topic (a re-send replaces the one before), in one query, in the active scope."""
    latest: dict[str, EmailDelivery] = {}
    topics = list(topics)
    if not topics:
        return latest
    for delivery in EmailDelivery.objects.filter(topic__in=topics).order_by("created_at"):
        latest[delivery.topic] = delivery
    return latest


def count_by_status(deliveries: dict[str, EmailDelivery]) -> dict[str, int]:
    """Recipients per status ({"sent": 12, "queued": 3}) of deliveries already read, e.g. by `latest_deliveries`."""
    counts: dict[str, int] = {}
    for delivery in deliveries.values():
        counts[delivery.status] = counts.get(delivery.status, 0) + delivery.recipients
    return counts
