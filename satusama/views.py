"""Cross-cutting pages: the landing page that lists provinces, the tenant home, the 403 page, public media."""

import logging

from allauth.account import app_settings as account_settings
from allauth.account import views as account_views
from allauth.account.views import EmailVerificationSentView, PasswordResetDoneView
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.defaults import permission_denied as default_permission_denied
from django_scopes import scopes_disabled

from stakeholders.models import Tenant
from stakeholders.selectors import memberships_of, tenants_of

from .adapters import last_account_mail
from .mail import progress, progress_sentence
from .page_cache import cached_page


def landing(request):
    """Send people straight to their province; otherwise list the provinces."""
    if request.user.is_authenticated and (mine := tenants_of(request.user)):
        return redirect("home", tenant_slug=mine[0].slug)
    with scopes_disabled():
        tenants = list(Tenant.objects.all())
    if len(tenants) == 1:
        return redirect("home", tenant_slug=tenants[0].slug)
    return render(request, "landing.html", {"tenants": tenants})


def health(request):
    """Liveness for load balancers, and the framework's ceiling in bench/load.sh: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@cached_page
def tenant_home(request):
    """The tenant dashboard; its figures come from the read-only roadmap.dashboard module."""
    from roadmap.dashboard import build
    from roadmap.views import dashboard_breakdowns

    board = build(request)
    return render(
        request,
        "home.html",
        {"memberships": memberships_of(request.user, request.tenant), "board": board,
         "breakdowns": dashboard_breakdowns(board)},
    )


# Uploaded files anyone may fetch, by folder: only images, each with its one content type. Other uploads (PDFs of
# meetings, imports) are never served from here: their apps serve them after a permission check.
PUBLIC_MEDIA_TYPES = {"logos": {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
                                "gif": "image/gif"}}


def public_media(request, folder, name):
    """Serve an uploaded image so that no browser can take it for a page, whatever bytes it holds.

    The content type comes from our list (never sniffed), `nosniff` forbids guessing, the CSP sandbox keeps any
    script from running even if a file were opened directly, and the disposition names the file as an image.
    """
    extension = name.rpartition(".")[2].lower()
    content_type = PUBLIC_MEDIA_TYPES.get(folder, {}).get(extension)
    path = f"{folder}/{name}"
    if content_type is None or not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response


security_log = logging.getLogger("satusama.security")


def admin_login(request, extra_context=None):
    """The admin panel's login form is never used: it would check passwords outside allauth's rate limits and
    two-factor step. Visitors go to allauth's login page; signed-in people without admin access get a 403."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("account_login"))
    if admin.site.has_permission(request):
        return redirect(next_url)
    raise PermissionDenied


def permission_denied(request, exception=None):
    """Refused permission checks are logged (who, what) before the usual 403 page."""
    security_log.warning(
        "permission refused: user=%s path=%s tenant=%s",
        getattr(request.user, "pk", None), request.path, getattr(getattr(request, "tenant", None), "slug", None),
    )
    return default_permission_denied(request, exception)


class AccountMailState:
    """An allauth "check your inbox" page that says how far its e-mail got (it waits while Redis is down).

    `mail_topics`: the account e-mails this page is about; unknown addresses get one too, so the page reveals
    nothing."""

    mail_topics: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delivery = last_account_mail(self.request, self.mail_topics)
        state = progress([delivery]) if delivery else None
        context.update(delivery=delivery, mail_state=state, mail_sentence=progress_sentence(state))
        return context


class PasswordResetDone(AccountMailState, PasswordResetDoneView):
    mail_topics = ("account:password_reset_key", "account:password_reset_code", "account:unknown_account")


class EmailVerificationSent(AccountMailState, EmailVerificationSentView):
    mail_topics = ("account:email_confirmation_signup", "account:email_confirmation",
                   "account:account_already_exists", "account:unknown_account")


password_reset_done = PasswordResetDone.as_view()
_email_verification_sent = EmailVerificationSent.as_view()


def email_verification_sent(request):
    """allauth's view of the same name, with the e-mail's state when the e-mail carries a link (a code: as it is)."""
    if account_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED:
        return account_views.email_verification_sent(request)
    return _email_verification_sent(request)
