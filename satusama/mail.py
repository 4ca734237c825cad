"""Queue an e-mail for the worker once the current transaction commits."""

from django.core.mail import EmailMessage

from .jobs import enqueue_on_commit
from .tasks import send_email


def queue_email(message: EmailMessage) -> None:
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    enqueue_on_commit(
        send_email,
        subject=message.subject, body=message.body, to=list(message.to), from_email=message.from_email, html=html,
    )
