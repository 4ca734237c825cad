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
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import cached_property

TIMEOUT = 300  # seconds
_VERSION_KEY = "tenant-data-version:{}"


def enabled() -> bool:
    return settings.SATUSAMA_TENANT_CACHE


def version(tenant_id: int) -> int:
    key = _VERSION_KEY.format(tenant_id)
    current = cache.get(key)
    if current is None:
        cache.add(key, time.time_ns(), None)
        current = cache.get(key, 0)
    return current


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


def _digest(queryset, *parts) -> str:
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha256(repr((sql, params, parts)).encode()).hexdigest()[:32]


def for_query(tenant_id: int, name: str, queryset, compute, *parts):
    """`compute()` cached per data version and language, keyed by the query itself (its SQL holds the filters,
    the order and what this user may see) and by `parts` (page number, query string)."""
    if not enabled():  # no key to build: compiling the SQL for it is wasted work
        return compute()
    return cached(tenant_id, f"{name}:{_digest(queryset, *parts)}", compute)


def count(tenant_id: int, queryset) -> int:
    """`queryset.count()`, cached per data version and query."""
    return for_query(tenant_id, "count", queryset, queryset.count)


def rendered_results(request, template: str, context: dict, queryset) -> str:
    """A list's results partial, rendered once per data version, query, page and query string.

    Only for partials that show nothing but the rows of `queryset` and the links of the query (no form, no
    per-user buttons): who may see which rows is part of the query.
    """
    return for_query(request.tenant.pk, f"html:{template}", queryset,
                     lambda: render_to_string(template, context, request),
                     context["page"].number, context["query"])


class CountCachedPaginator(Paginator):
    """A paginator whose total (a COUNT over the whole filtered list) comes from the tenant cache."""

    def __init__(self, object_list, per_page, *, tenant_id: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.tenant_id = tenant_id

    @cached_property
    def count(self):
        return count(self.tenant_id, self.object_list)


def _bump(tenant_id: int) -> None:
    cache.set(_VERSION_KEY.format(tenant_id), time.time_ns(), None)


def data_changed(tenant_id: int | None, using: str | None = None) -> None:
    """The tenant's data changed: summaries are recomputed once the current transaction commits."""
    if not tenant_id or not enabled():
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _bump(tenant_id)
        return
    # One bump per tenant per transaction, however many rows it writes. The key holds the savepoints the bump was
    # registered under: a rolled-back savepoint drops its callbacks, and a later write registers again.
    marker = (tenant_id, connection.atomic_blocks[0], tuple(connection.savepoint_ids))
    registered = connection.__dict__.setdefault("_satusama_tenant_bumps", set())
    if marker in registered:
        return
    registered.difference_update([m for m in registered if m[1] is not marker[1]])  # rolled-back transactions

    def bump():
        registered.discard(marker)
        _bump(tenant_id)

    registered.add(marker)
    transaction.on_commit(bump, using=using)


def _on_write(sender, instance=None, using=None, **kwargs):
    data_changed(getattr(instance, "tenant_id", None), using=using)


def connect_signals() -> None:
    post_save.connect(_on_write, dispatch_uid="satusama.tenant_cache.save")
    post_delete.connect(_on_write, dispatch_uid="satusama.tenant_cache.delete")
    m2m_changed.connect(_on_write, dispatch_uid="satusama.tenant_cache.m2m")
