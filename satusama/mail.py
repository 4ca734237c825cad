"""Queue an e-mail for the worker once the current transaction commits."""

from django.core.mail import EmailMessage

from .tasks import send_email


def queue_email(message: EmailMessage) -> None:
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    send_email.delay_on_commit(
        subject=message.subject, body=message.body, to=list(message.to), from_email=message.from_email, html=html
    )
