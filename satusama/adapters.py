"""allauth adapter: account e-mails go through Celery instead of blocking the request."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context

from .mail import queue_email
from .models import EmailDelivery

# The session key under which the last account e-mail's delivery is remembered (for "being processed" pages).
LAST_ACCOUNT_MAIL = "satusama_account_mail"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the user's language; only the text travels to the worker. Account mails belong to no
        # tenant. Known and unknown addresses both get a mail, so the state shown afterwards reveals nothing.
        delivery = queue_email(self.render_mail(template_prefix, email, context),
                               topic=f"account:{template_prefix.rsplit('/', 1)[-1]}")
        request = allauth_context.request
        if request is not None and hasattr(request, "session"):
            request.session[LAST_ACCOUNT_MAIL] = str(delivery.pk)


def last_account_mail(request) -> EmailDelivery | None:
    """The delivery of the account e-mail this browser asked for last (password reset, confirmation), if any."""
    pk = request.session.get(LAST_ACCOUNT_MAIL)
    if not pk:
        return None
    return EmailDelivery.objects.with_scopes_disabled().filter(pk=pk, tenant=None).first()
