"""Cross-cutting background work: sending e-mail."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .models import EmailDelivery

RETRYABLE = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email(self, *, subject: str, body: str, to: list[str], from_email: str, html: str | None = None,
               delivery: str | None = None) -> None:
    """Send one message and mark its delivery sent.

    It carries only plain data, so a retry after a lost worker resends the same mail. A delivery already marked
    sent is not mailed again: a task handed out twice (worker lost after sending, before acknowledging) mails once.
    """
    if delivery and EmailDelivery.is_sent(delivery):
        return
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:
        if delivery:
            retrying = isinstance(exc, RETRYABLE) and self.request.retries < self.max_retries
            EmailDelivery.record_failure(delivery, exc, final=not retrying)
        raise
    if delivery:
        EmailDelivery.mark_sent(delivery)


@shared_task(acks_late=True)
def forget_old_email_deliveries() -> int:
    """Delete delivery records past their use (scheduled daily by Celery beat)."""
    return EmailDelivery.forget_old()


@shared_task(acks_late=True)
def fail_lost_email_deliveries() -> int:
    """Mark failed the e-mails whose task was lost (scheduled hourly by Celery beat); see `EmailDelivery.fail_lost`."""
    return EmailDelivery.fail_lost(after=settings.SATUSAMA_EMAIL_LOST_AFTER)


@shared_task(acks_late=True)
def flush_pending_tasks() -> int:
    """Send the tasks kept while the broker was down (scheduled every minute by Celery beat)."""
    from .jobs import flush_pending

    return flush_pending()
