"""Tenancy: resolve the tenant from the URL prefix, guard membership, and run the request inside its scope."""

import functools
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, get_urlconf, resolve, reverse
from django_scopes import scope, scopes_disabled

from stakeholders.permissions import administered_tenant_ids, is_tenant_admin, is_tenant_member

from . import page_cache, tenant_cache

security_log = logging.getLogger("satusama.security")

TENANT_KWARG = "tenant_slug"


def public(view_func):
    """Mark a tenant view as open to anonymous visitors (catalogue, verification links, invitations)."""
    view_func.tenant_public = True
    return view_func


def indonesian_unless_chosen(get_response):
    """Bahasa Indonesia until the person picks English in the switcher (a cookie), whatever the browser's language.

    Many people in Indonesian offices run an English-language browser; that is not a choice of the portal's language.
    """

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware


@functools.lru_cache(maxsize=4096)
def _resolve(urlconf, path: str):
    """`resolve(path)`, remembered: a kept page (satusama/page_cache.py) is answered before Django's handler resolves
    the path, and walking the tenant's URL patterns was a sixth of its cost. Unknown paths raise and are not kept."""
    return resolve(path, urlconf)


class TenantMiddleware:
    """Every request under /<slug>/ runs inside `scope(tenant=…)`, rendered inside it (pretix does the same).

    Unknown slug: 404. Anonymous visitor on a non-public page: login. Logged-in non-member: 404, so nobody
    learns what exists in another tenant. The admin panel runs scoped to the tenants the user administers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.is_tenant_admin = False
        try:
            match = _resolve(get_urlconf(), request.path_info)
        except Resolver404:
            match = None

        if match and TENANT_KWARG in match.kwargs:
            return self._tenant_request(request, match)
        if match and match.app_name == "admin" and request.user.is_authenticated:
            return self._admin_request(request)
        return self.get_response(request)

    def _tenant_request(self, request, match):
        cached_page = page_cache.applies(request, match.func)
        tenant, versions = tenant_cache.tenant_for_slug(
            match.kwargs[TENANT_KWARG], page_cache.viewer(request) if cached_page else None)
        if tenant is None:
            raise Http404
        request.tenant = tenant
        page_key = page_cache.key_for(request, tenant, versions) if cached_page else None
        if (page := page_cache.get(page_key)) is not None:
            return page
        if not getattr(match.func, "tenant_public", False):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
            if not is_tenant_member(request.user, tenant):
                security_log.info("refused: user %s is not a member of tenant %s", request.user.pk, tenant.slug)
                raise Http404
        request.is_tenant_admin = is_tenant_admin(request.user, tenant)
        with scope(tenant=tenant):
            response = self.get_response(request)
        page_cache.store(page_key, request, response)
        return response

    def _admin_request(self, request):
        if request.user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        tenant_ids = administered_tenant_ids(request.user)
        request.is_tenant_admin = bool(tenant_ids)
        with scope(tenant=tenant_ids):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Views get the tenant as request.tenant; the slug only serves URL reversing.
        view_kwargs.pop(TENANT_KWARG, None)


class AdminMfaMiddleware:
    """Tenant admins must turn on two-factor login before they use the portal (SATUSAMA_REQUIRE_ADMIN_MFA)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SATUSAMA_REQUIRE_ADMIN_MFA
            and getattr(request, "is_tenant_admin", False)
            and not request.user.is_superuser
            and not _has_totp(request.user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
