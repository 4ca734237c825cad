"""Queue an e-mail for the worker once the current transaction commits, and tell pages how far it got.

`queue_email(message, topic=…, tenant=…)` records an `EmailDelivery` in the caller's transaction and queues
`send_email` on commit with the delivery's id; the task marks it sent. While Redis is down the task waits as a
`PendingTask` and the delivery stays "being processed" until `flush_pending_tasks` sends it on.

`flash_mail(request, done, deliveries)` is the one way a view tells the user what it did and how far its e-mails
got: being sent, waiting for the mail service, sent or failed — never "sent" for a mail that is only queued.
"""

from collections.abc import Iterable, Sequence

from django.contrib import messages
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

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


# How far the e-mails of one action got (`progress`), the least advanced first.
FAILED, WAITING, SENDING, SENT = "failed", "waiting", "sending", "sent"


def progress(deliveries: Sequence[EmailDelivery]) -> str | None:
    """How far these e-mails are now, read afresh: the least advanced of them, or None for no e-mail.

    FAILED (no retry left), WAITING (the task is kept in the outbox until Redis answers), SENDING (with the queue or
    a worker, retries included), SENT.
    """
    pks = [delivery.pk for delivery in deliveries]
    if not pks:
        return None
    states = set(EmailDelivery.objects.with_scopes_disabled().filter(pk__in=pks).values_list("status", flat=True))
    if EmailDelivery.Status.FAILED in states:
        return FAILED
    if EmailDelivery.Status.QUEUED in states:
        return WAITING if EmailDelivery.waiting_in_outbox(pks) else SENDING
    return SENT


def progress_sentence(state: str | None, count: int = 1) -> str:
    """The sentence that says `progress` to the user, for one e-mail or several; "" for no e-mail."""
    one = count == 1
    match state:
        case "sent":
            return _("The e-mail has been sent.") if one else _("The e-mails have been sent.")
        case "sending":
            return _("The e-mail is being sent.") if one else _("The e-mails are being sent.")
        case "waiting":
            return (_("The e-mail will be sent as soon as the mail service is available again.") if one
                    else _("The e-mails will be sent as soon as the mail service is available again."))
        case "failed":
            return (_("The e-mail could not be sent; try again later.") if one
                    else _("Some of the e-mails could not be sent; try again later."))
    return ""


# A delay is worth a warning, a failure an error; the action itself (`done`) succeeded either way.
LEVELS = {SENT: messages.SUCCESS, SENDING: messages.SUCCESS, WAITING: messages.WARNING, FAILED: messages.ERROR}


def mail_message(done: str, deliveries: Sequence[EmailDelivery]) -> tuple[int, str]:
    """The level and text of the message that says `done` — what the user did, one sentence — and how far its
    e-mails got (see `flash_mail`)."""
    state = progress(deliveries)
    text = " ".join(part for part in (done, progress_sentence(state, len(deliveries))) if part)
    return LEVELS.get(state, messages.SUCCESS), text


def flash_mail(request, done: str, deliveries: Sequence[EmailDelivery]) -> None:
    """Flash `done` — what the user did, one sentence — followed by how far its e-mails got.

    Call it once the action's transaction has committed (services are atomic, requests are not), when each e-mail
    has gone to the queue or to the outbox (or, without Redis, already been sent).
    """
    messages.add_message(request, *mail_message(done, deliveries))
