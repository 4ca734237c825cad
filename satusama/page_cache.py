"""Whole pages kept per person until anything they show may have changed.

The pages most requests ask for — the dashboard, the program list and page, the public catalogue — are marked
`@cached_page`. With the shared cache on (Redis, `SATUSAMA_TENANT_CACHE`) the HTML a person got is kept under a key
made of everything such a page depends on:

- the data versions (`tenant_cache.versions`): the tenant's data (programs, memberships, roles: every tenant-owned
  row), the person's account (password, active flag, sign-in factors, personal grants) and the few rows outside
  any tenant; every committed change gives a new version, so the next request makes the page afresh;
- who asks: the person and the session's proof of sign-in, or nobody on a public page;
- the CSRF secret the page's forms carry (their tokens stay valid), the host and address with its query string,
  the language, the htmx headers (a partial is not the page) and today's date (pages say what is coming).

A page is kept only when it was a 200 that sets no cookie, left the session as it was and showed or queued no
message; a request that brings messages is always answered by the view. On a hit the view does not run: whether
the person may see the page was decided, from the same versions, when it was made. `tenant_cache.TIMEOUT` bounds
how long a change that gave no new version (Redis unreachable at that moment) can stay visible.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from . import tenant_cache

# What htmx tells a view about the request (django-htmx's request.htmx reads these).
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER",
                "HTTP_HX_TRIGGER_NAME", "HTTP_HX_HISTORY_RESTORE_REQUEST", "HTTP_HX_PROMPT")


def cached_page(view_func):
    """Mark a read-only page (GET has no effect) whose content depends only on what the page key holds."""
    view_func.page_cached = True
    return view_func


@dataclass(frozen=True)
class PageKey:
    name: str
    csrf: str  # the CSRF secret the request brought ("" for none)


def applies(request, view_func) -> bool:
    """Whether a kept page may answer this request: a marked page, asked for without a message to show."""
    return (
        getattr(view_func, "page_cached", False) and request.method == "GET" and tenant_cache.enabled()
        and CookieStorage.cookie_name not in request.COOKIES and "_messages" not in request.session
    )


def viewer(request) -> int | None:
    """Who the page is for, as the session says (None: nobody signed in)."""
    return request.session.get(SESSION_KEY)


def key_for(request, tenant, versions: tuple) -> PageKey:
    """The page's key; `versions` are `tenant_cache.versions(tenant, viewer(request))`."""
    csrf = request.META.get("CSRF_COOKIE", "")
    parts = (
        versions, viewer(request), request.session.get(HASH_SESSION_KEY), csrf,
        request.scheme, request.get_host(), request.get_full_path(), translation.get_language(),
        [request.META.get(header) for header in HTMX_HEADERS], timezone.localdate().isoformat(),
    )
    return PageKey(f"page:{tenant.pk}:{hashlib.sha256(repr(parts).encode()).hexdigest()}", csrf)


def get(key: PageKey | None) -> HttpResponse | None:
    stored = cache.get(key.name) if key else None
    if stored is None:
        return None
    headers, content = stored
    return HttpResponse(content, headers=headers)


def store(key: PageKey | None, request, response) -> None:
    """Keep the response under `key` if it is a plain page that the same key would make again."""
    if (
        key is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or request.session.modified
        or len(messages.get_messages(request))
        or request.META.get("CSRF_COOKIE", "") != key.csrf  # a new secret: its cookie must go out with the page
    ):
        return
    headers = {name: value for name, value in response.items() if name.lower() != "set-cookie"}
    cache.set(key.name, (headers, response.content), tenant_cache.TIMEOUT)
