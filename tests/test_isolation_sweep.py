"""Tenant isolation sweep: every URL of the project, filled with tenant A's objects, requested by outsiders.

The URL list comes from the resolver, and URL parameters are filled from tenant A's rows by their names
(`pk`, `<model>_pk`, `<model>_id`, or any field name of a tenant-owned model such as `ref`, `nib`, `code`),
so a URL added later is covered without editing this test. Each URL is requested with GET and POST, plain and
as an htmx partial, by:
- a user of tenant B, under tenant A's prefix (must be 404) and under B's own prefix with A's ids (must show
  none of A's data);
- an anonymous visitor (must be sent to the login page, or get 404/403/405);
- in the admin panel, tenant B's admin (never sees A's rows);
- a member of tenant A without any role (staff of a new organisation of their own): never a server error, never
  another organisation's draft or a pending invitation, and empty requests change no row.
Views marked `@public` (catalogue, verification links) are open to everyone by design and are skipped.
"""

import itertools
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from satusama.models import EmailDelivery
from stakeholders.models import Tenant, TenantOwned, User

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
MARKER_FIELDS = ("name", "title", "ref", "nib", "number", "email")
VARIANTS = [("get", {}), ("post", {}), ("get", {"HTTP_HX_REQUEST": "true"}), ("post", {"HTTP_HX_REQUEST": "true"})]


def walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), (f"{namespace}:{p.name}" if namespace else p.name), p.callback


def tenant_models():
    return [m for m in apps.get_models() if issubclass(m, TenantOwned)]


def has_tenant_column(model) -> bool:
    """Tenant-owned, or carrying an optional tenant like `satusama.EmailDelivery` (account mails have none)."""
    return issubclass(model, TenantOwned) or any(
        f.name == "tenant" and f.is_relation and f.related_model is Tenant for f in model._meta.get_fields())


def candidates(param: str, tenant: Tenant) -> list:
    """Values of tenant A's rows for a URL parameter, found by the parameter's name."""
    values = []
    base = param.removesuffix("_pk").removesuffix("_id")
    for model in tenant_models():
        qs = model.objects.filter(tenant=tenant).order_by("pk")
        if param == "pk" or (base != param and model._meta.model_name == base.replace("_", "")):
            values += list(qs.values_list("pk", flat=True)[:2])
        elif any(f.name == param and not f.is_relation for f in model._meta.get_fields()):
            values += [v for v in qs.values_list(param, flat=True)[:2] if v not in (None, "")]
    return list(dict.fromkeys(values))


def markers(tenant: Tenant, other: Tenant) -> set[str]:
    """Distinctive strings of tenant A's data that must never reach an outsider."""
    found: set[str] = set()
    others: set[str] = set()
    for model in tenant_models():
        fields = [f.name for f in model._meta.get_fields()
                  if f.name in MARKER_FIELDS and isinstance(f, models.CharField | models.EmailField)]
        for name in fields:
            found |= {str(v) for v in model.objects.filter(tenant=tenant).values_list(name, flat=True)[:20]}
            others |= {str(v) for v in model.objects.filter(tenant=other).values_list(name, flat=True)}
    return {m for m in found - others if len(m) >= 6} | {tenant.name}


def leaked(response, secrets: set[str]) -> list[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(errors="replace")
    else:
        body = response.content.decode(errors="replace")
    return sorted(s for s in secrets if s in body)


def admin_candidates(name: str, param: str, tenant: Tenant) -> list:
    """Admin URLs name their model (`admin:<app>_<model>_change`): take tenant A's rows of that model."""
    if param == "app_label":
        return sorted({m._meta.app_label for m in apps.get_models()})
    if name == "admin:auth_user_password_change":
        name, param = "admin:stakeholders_user_change", "object_id"
    if param != "object_id":
        return []
    app_label, model_name, _action = name.removeprefix("admin:").rsplit("_", 2)
    model = apps.get_model(app_label, model_name)
    if has_tenant_column(model):
        qs = model.objects.filter(tenant=tenant)
    elif model is Tenant:
        qs = Tenant.objects.filter(pk=tenant.pk)
    else:
        # people of tenant A only (and their e-mail addresses, authenticators…)
        a_only = User.objects.filter(memberships__tenant=tenant).exclude(memberships__tenant__in=Tenant.objects.exclude(
            pk=tenant.pk))
        user_field = "pk" if model is User else "user"
        if model is not User and not any(f.name == "user" for f in model._meta.get_fields()):
            return ["1"]
        qs = model.objects.filter(**{f"{user_field}__in": a_only})
    return [str(pk) for pk in qs.order_by("pk").values_list("pk", flat=True)[:2]] or ["1"]


def fill(route: str, name: str, tenant_slug: str, tenant: Tenant):
    """Every way of filling the route's parameters from tenant A (capped), as reversed URLs."""
    params = [m.group("name") for m in PARAM.finditer(route) if m.group("name") != "tenant_slug"]
    pools = []
    for param in params:
        if name == "admin:view_on_site":
            return [], None
        pool = admin_candidates(name, param, tenant) if name.startswith("admin:") else candidates(param, tenant)
        if not pool:
            return None, param
        pools.append(pool[:3])
    urls = []
    for combo in itertools.islice(itertools.product(*pools), 6):
        kwargs = dict(zip(params, combo, strict=True))
        if "<slug:tenant_slug>" in route or "tenant_slug" in route:
            kwargs["tenant_slug"] = tenant_slug
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except Exception:  # noqa: S112 - a value that does not fit the converter is simply not a candidate
            continue
    return urls, None


@pytest.mark.django_db
def test_no_url_shows_tenant_a_to_outsiders():
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tenant_a = Tenant.objects.get(slug="diy")
        tenant_b = Tenant.objects.get(slug="jateng")
        secrets = markers(tenant_a, tenant_b)
        # The demo queues no e-mail: give A a delivery record (admin panel), whose topic B's admin must never see.
        secrets.add(EmailDelivery.objects.create(tenant=tenant_a, topic="invitation:sweep-diy-only").topic)
        outsider = User.objects.get(email="admin.jateng@satusama.test")
        outsider.is_staff = True  # a tenant admin of B with admin-panel access
        outsider.save()
        routes = list(walk(get_resolver().url_patterns))
        filled = {}
        unfillable = []
        for route, name, callback in routes:
            if "tenant_slug" not in route and not route.startswith("admin/"):
                continue
            if getattr(callback, "tenant_public", False) or name == "admin:logout":
                continue
            urls_a, missing = fill(route, name, "diy", tenant_a)
            if missing:
                unfillable.append(f"{name}: no tenant-A value for <{missing}>")
                continue
            urls_b, _ = fill(route, name, "jateng", tenant_a)
            filled[name] = (route, urls_a, urls_b or [])

    assert len(filled) >= 2
    assert unfillable == [], "name the URL parameter after a model field, or extend candidates(): " + str(unfillable)

    b_client = Client()
    b_client.force_login(outsider)
    anonymous = Client()
    problems = []
    for route, urls_a, urls_b in filled.values():
        for url, (method, headers) in itertools.product(urls_a, VARIANTS):
            if route.startswith("admin/"):
                response = getattr(b_client, method)(url, **headers)
                if response.status_code == 200 and (bad := leaked(response, secrets)):
                    problems.append(f"{method.upper()} {url} as tenant B admin shows {bad[:3]}")
                continue
            response = getattr(b_client, method)(url, **headers)
            if response.status_code != 404:
                where = response.get("Location", "")
                problems.append(f"{method.upper()} {url} as tenant B: {response.status_code} {where}, expected 404")
            response = getattr(anonymous, method)(url, **headers)
            login = reverse("account_login")
            if not (response.status_code in (403, 404, 405) or (
                    response.status_code == 302 and response["Location"].startswith(login))):
                problems.append(f"{method.upper()} {url} anonymously: {response.status_code}")
            elif bad := leaked(response, secrets):
                problems.append(f"{method.upper()} {url} anonymously shows {bad[:3]}")
        for url, (method, headers) in itertools.product(urls_b, VARIANTS):
            response = getattr(b_client, method)(url, **headers)
            if response.status_code < 500 and (bad := leaked(response, secrets)):
                problems.append(f"{method.upper()} {url} (tenant B prefix, A's ids) shows {bad[:3]}")
            elif response.status_code >= 500:
                problems.append(f"{method.upper()} {url} (tenant B prefix, A's ids): {response.status_code}")
    assert problems == [], "\n".join(problems)


def counts_of_tenant_rows(tenant: Tenant) -> dict[str, int]:
    return {m._meta.label: m.objects.filter(tenant=tenant).count() for m in tenant_models()}


def role_secrets(tenant: Tenant) -> set[str]:
    """What a member of tenant A with no role must never see: other organisations' drafts, pending invitations."""
    from programs.models import Program
    from stakeholders.models import Invitation

    programs = Program.objects.filter(tenant=tenant)
    shown = set(programs.exclude(status="draft").values_list("title", flat=True))
    drafts = {t for t in programs.filter(status="draft").values_list("title", flat=True) if t not in shown}
    invited = set(Invitation.objects.filter(tenant=tenant, accepted_at=None).values_list("email", flat=True))
    return {s for s in drafts | invited if len(s) >= 12}


@pytest.mark.django_db
def test_a_member_without_a_role_sees_no_restricted_data_and_changes_nothing():
    """A person of tenant A whose only tie is a new organisation of their own: no admin, forum or partner role."""
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="diy")
        from stakeholders.models import HelixKind, Membership, Organization

        org = Organization.objects.create(tenant=tenant, name="Kelompok Usaha Tanpa Peran", helix=HelixKind.COMMUNITY)
        nobody = User.objects.create_user(email="tanpa.peran@satusama.test", password="x-Tanpa-Peran-2026")
        Membership.objects.create(tenant=tenant, organization=org, user=nobody, role=Membership.Role.STAFF)
        from programs.services import create_program

        owner = Membership.objects.filter(tenant=tenant, organization__helix=HelixKind.CAMPUS).first()
        create_program(tenant=tenant, owner=owner.organization, by=owner.user, data={
            "title": "Rancangan rahasia inkubator kopi Menoreh", "description": "Masih disusun.",
            "kinds": ["pelatihan"], "sectors": ["kuliner"],
        })
        secrets = role_secrets(tenant)
        urls = []
        for route, name, callback in walk(get_resolver().url_patterns):
            if "tenant_slug" not in route or getattr(callback, "tenant_public", False):
                continue
            filled, _missing = fill(route, name, "diy", tenant)
            urls += filled or []
        before = counts_of_tenant_rows(tenant)
    assert len(secrets) >= 2, "the demo needs drafts and pending invitations for this test to mean anything"

    client = Client()
    client.force_login(nobody)
    problems = []
    for url, (method, headers) in itertools.product(urls, VARIANTS):
        response = getattr(client, method)(url, **headers)
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {url}: {response.status_code}")
        elif response.status_code == 200 and (bad := leaked(response, secrets)):
            problems.append(f"{method.upper()} {url} shows {bad[:3]}")
    with scopes_disabled():
        after = counts_of_tenant_rows(tenant)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert problems == [], "\n".join(problems)
    assert changed == {}, f"empty requests of a member without a role changed rows: {changed}"


CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+')


def as_made_by_the_view(response) -> tuple:
    """Status and page with the per-request mask of the CSRF token taken out."""
    return response.status_code, CSRF_TOKEN.sub(r"\1\2", response.content.decode())


@pytest.mark.django_db
def test_kept_pages_are_never_served_to_anyone_else(settings):
    """Every page kept whole (satusama/page_cache.py), found through the resolver, is first kept for tenant A's
    admin (plain and as an htmx partial); then tenant B's admin, a member of A in another organisation and an
    anonymous visitor ask for it, and each gets exactly what the view makes for them with caching off."""
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tenant_a = Tenant.objects.get(slug="diy")
        owner, *others = (User.objects.get(email=f"{who}@satusama.test")
                          for who in ("admin.dinas", "staf.kampus", "admin.jateng"))
        routes = walk(get_resolver().url_patterns)
        kept = {name: fill(route, name, "diy", tenant_a)[0] for route, name, view in routes
                if getattr(view, "page_cached", False)}
    assert {"home", "programs:list", "programs:detail", "programs:catalogue"} <= kept.keys()
    clients = {user: Client() for user in (owner, *others)}
    for user, client in clients.items():
        client.force_login(user)
    viewers = [clients[user] for user in others] + [Client()]

    problems, served_kept = [], 0
    for url, headers in itertools.product(itertools.chain(*kept.values()), [{}, {"HTTP_HX_REQUEST": "true"}]):
        settings.SATUSAMA_TENANT_CACHE = True
        for _ in range(2):  # the first visit sets the CSRF cookie, the second keeps the page
            clients[owner].get(url, **headers)
        with CaptureQueriesContext(connection) as queries:
            clients[owner].get(url, **headers)
        served_kept += len(queries) <= 1  # the session's row only
        for viewer in viewers:
            settings.SATUSAMA_TENANT_CACHE = True
            cached = as_made_by_the_view(viewer.get(url, **headers))
            settings.SATUSAMA_TENANT_CACHE = False
            if cached != (made := as_made_by_the_view(viewer.get(url, **headers))):
                problems.append(f"{url} {headers} for {viewer.session.get('_auth_user_id', 'a visitor')}: "
                                f"{cached[0]} with the cache, {made[0]} from the view")
    assert problems == [], "\n".join(problems)
    assert served_kept >= len(kept)  # the owner's pages were really kept
