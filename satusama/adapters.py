"""allauth adapter: account e-mails go through Celery instead of blocking the request."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.utils.translation import gettext as _

from .mail import mail_message, queue_email
from .models import EmailDelivery

# The session key under which the last account e-mail's delivery is remembered (for "being processed" pages).
LAST_ACCOUNT_MAIL = "satusama_account_mail"
# allauth's "Confirmation e-mail sent to …", said instead with how far that e-mail got.
CONFIRMATION_SENT = "account/messages/email_confirmation_sent.txt"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the user's language; only the text travels to the worker. Account mails belong to no
        # tenant. Known and unknown addresses both get a mail, so the state shown afterwards reveals nothing.
        delivery = queue_email(self.render_mail(template_prefix, email, context),
                               topic=f"account:{template_prefix.rsplit('/', 1)[-1]}")
        request = allauth_context.request
        if request is not None and hasattr(request, "session"):
            request.session[LAST_ACCOUNT_MAIL] = str(delivery.pk)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        if message_template == CONFIRMATION_SENT and (delivery := last_account_mail(request)) is not None:
            done = _("To confirm %(email)s, follow the link in the e-mail we send there.") % {
                "email": (message_context or {}).get("email", "")}
            level, message = mail_message(done, [delivery])
            message_template = None
        super().add_message(request, level, message_template, message_context, extra_tags, message)


def last_account_mail(request, topics: tuple[str, ...] | None = None) -> EmailDelivery | None:
    """The delivery of the account e-mail this browser asked for last (password reset, confirmation), if any;
    with `topics`, only if it is one of those (a page about the confirmation e-mail shows no password-reset mail)."""
    pk = request.session.get(LAST_ACCOUNT_MAIL)
    if not pk:
        return None
    deliveries = EmailDelivery.objects.with_scopes_disabled().filter(pk=pk, tenant=None)
    if topics is not None:
        deliveries = deliveries.filter(topic__in=topics)
    return deliveries.first()
