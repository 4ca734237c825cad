"""Tenant-wide summaries, cached until the tenant's data changes.

A summary that every member of a tenant sees alike (the dashboard's figures over all programs) is computed once
and kept under a key holding the tenant's *data version*. Any save or delete of a tenant-owned row (a model with a
`tenant` field), and any change of its many-to-many links, gives the tenant a new version once the transaction
commits, so the next request computes afresh. Writes that bypass model signals (`QuerySet.update`, `bulk_create`)
call `data_changed(tenant_id)` themselves. `TIMEOUT` bounds how long a missed change (Redis unreachable at that
moment) can stay visible.

Caching is on when the cache is shared by every process (Redis, `SATUSAMA_TENANT_CACHE`); with the per-process
memory cache of `make run` without Redis, summaries are computed on every request, which is always right.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import cached_property
from django_scopes import scopes_disabled

TIMEOUT = 300  # seconds
_VERSION_KEY = "tenant-data-version:{}"
_USER_VERSION_KEY = "user-data-version:{}"
_GLOBAL_VERSION_KEY = "global-data-version"


def enabled() -> bool:
    return settings.SATUSAMA_TENANT_CACHE


def _current(keys: list[str]) -> list:
    """The versions under `keys`, in one round trip; a key without one gets one (the first writer wins)."""
    found = cache.get_many(keys)
    if missing := [key for key in keys if key not in found]:
        for key in missing:
            cache.add(key, time.time_ns(), None)
        found.update(cache.get_many(missing))
    return [found.get(key, 0) for key in keys]


def versions(tenant_id: int, user_id: int | None = None) -> tuple:
    """The data versions a page of this tenant for this person depends on, in one round trip:
    (everything outside tenants, the tenant's data, the person's account; None for an anonymous visitor)."""
    keys = [_GLOBAL_VERSION_KEY, _VERSION_KEY.format(tenant_id)]
    if not user_id:
        return (*_current(keys), None)
    return tuple(_current([*keys, _USER_VERSION_KEY.format(user_id)]))


def version(tenant_id: int) -> int:
    return _current([_VERSION_KEY.format(tenant_id)])[0]


# This process's copy of each tenant row, with the global data version it was read at: a change of a tenant row
# gives a new global version, which the next request sees in the versions it reads anyway.
_tenants: dict[str, tuple[int, object]] = {}


def tenant_for_slug(slug: str, user_id: int | None = None):
    """(the tenant a URL names or None, its `versions` for this person or None when caching is off)."""
    from stakeholders.models import Tenant

    def read():
        with scopes_disabled():
            return Tenant.objects.filter(slug=slug).first()

    if not enabled():
        return read(), None
    if (known := _tenants.get(slug)) is not None:
        found = versions(known[1].pk, user_id)
        if found[0] == known[0]:
            return known[1], found
    global_before = cache.get(_GLOBAL_VERSION_KEY)  # read before the row, so a change in between is not missed
    if (tenant := read()) is None:
        return None, None
    found = versions(tenant.pk, user_id)
    if found[0] == global_before:
        _tenants[slug] = (global_before, tenant)
    return tenant, found


def cached(tenant_id: int, name: str, compute):
    """`compute()` for this tenant, cached per data version and language."""
    if not enabled():
        return compute()
    key = f"tenant-summary:{tenant_id}:{name}:{translation.get_language()}:{version(tenant_id)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _hash(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def query_digest(queryset) -> str:
    """The key of a query: its SQL holds the filters, the order and what this user may see."""
    return _hash(*queryset.query.sql_with_params())


class CountCachedPaginator(Paginator):
    """A paginator whose total (a COUNT over the whole filtered list) comes from the tenant cache.

    The list's query is compiled for its key once a request: `rendered_results` keys the page's rows by the same
    digest. With caching off no key is built, so the SQL is not compiled for one.
    """

    def __init__(self, object_list, per_page, *, tenant_id: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.tenant_id = tenant_id

    @cached_property
    def query_digest(self) -> str:
        return query_digest(self.object_list)

    @cached_property
    def count(self):
        if not enabled():
            return self.object_list.count()
        return cached(self.tenant_id, f"count:{self.query_digest}", self.object_list.count)


def rendered_results(request, template: str, context: dict) -> str:
    """A list's results partial, rendered once per data version, query, page and query string.

    `context["page"]` is a page of a `CountCachedPaginator`, whose query keys the rendering. Only for partials that
    show nothing but the rows of that list and the links of the query (no form, no per-user buttons): who may see
    which rows is part of the query.
    """
    page = context["page"]

    def render() -> str:
        return render_to_string(template, context, request)

    if not enabled():
        return render()
    key = _hash(page.paginator.query_digest, page.number, context["query"])
    return cached(request.tenant.pk, f"html:{template}:{key}", render)


def _bump(key: str) -> None:
    cache.set(key, time.time_ns(), None)


def _changed(key: str, using: str | None) -> None:
    """The data behind `key`'s version changed: a new version once the current transaction commits."""
    if not enabled():
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _bump(key)
        return
    # One bump per version key per transaction, however many rows it writes. The marker holds the savepoints the
    # bump was registered under: a rolled-back savepoint drops its callbacks, and a later write registers again.
    marker = (key, connection.atomic_blocks[0], tuple(connection.savepoint_ids))
    registered = connection.__dict__.setdefault("_satusama_version_bumps", set())
    if marker in registered:
        return
    registered.difference_update([m for m in registered if m[1] is not marker[1]])  # rolled-back transactions

    def bump():
        registered.discard(marker)
        _bump(key)

    registered.add(marker)
    transaction.on_commit(bump, using=using)


def data_changed(tenant_id: int | None, using: str | None = None) -> None:
    """The tenant's data changed: summaries are recomputed once the current transaction commits."""
    if tenant_id:
        _changed(_VERSION_KEY.format(tenant_id), using)


def user_changed(user_id: int | None, using: str | None = None) -> None:
    """A person's account, sign-in factors or personal grants changed: pages cached for them are made afresh."""
    if user_id:
        _changed(_USER_VERSION_KEY.format(user_id), using)


# Rows outside any tenant and any one person that pages still show or depend on (a tenant's name, group grants).
GLOBAL_MODELS = {"stakeholders.Tenant", "auth.Group", "guardian.GroupObjectPermission",
                 "stakeholders.OrganizationGroupObjectPermission", "forums.ForumGroupObjectPermission"}


def _on_write(sender, instance=None, using=None, **kwargs):
    data_changed(getattr(instance, "tenant_id", None), using=using)
    user_model = get_user_model()
    user_changed(instance.pk if isinstance(instance, user_model) else getattr(instance, "user_id", None), using)
    if kwargs.get("model") is user_model:  # group.user_set.add(…): the people are on the other side
        for user_id in kwargs.get("pk_set") or ():
            user_changed(user_id, using)
    touched = {type(instance)._meta.label} | ({kwargs["model"]._meta.label} if kwargs.get("model") else set())
    if touched & GLOBAL_MODELS:
        _changed(_GLOBAL_VERSION_KEY, using)


def connect_signals() -> None:
    post_save.connect(_on_write, dispatch_uid="satusama.tenant_cache.save")
    post_delete.connect(_on_write, dispatch_uid="satusama.tenant_cache.delete")
    m2m_changed.connect(_on_write, dispatch_uid="satusama.tenant_cache.m2m")
