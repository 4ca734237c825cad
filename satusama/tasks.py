"""Cross-cutting background work: sending e-mail."""

import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email(self, *, subject: str, body: str, to: list[str], from_email: str, html: str | None = None) -> None:
    """Send one message. It carries only plain data, so a retry after a lost worker resends the same mail."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task(acks_late=True)
def flush_pending_tasks() -> int:
    """Send the tasks kept while the broker was down (scheduled every minute by Celery beat)."""
    from .jobs import flush_pending

    return flush_pending()
