"""allauth adapter: account e-mails go through Celery instead of blocking the request."""

from allauth.account.adapter import DefaultAccountAdapter

from .mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the user's language; only the text travels to the worker.
        queue_email(self.render_mail(template_prefix, email, context))
