"""Tenant summaries are cached per data version; any committed change of the tenant's data gives a new version."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from programs import workflow
from satusama import tenant_cache
from stakeholders.models import Organization
from tests.programs.conftest import make_program

pytestmark = pytest.mark.django_db

FIGURES_SQL = 'SUM("programs_program"."budget_idr")'  # the dashboard's aggregate over every program


@pytest.fixture
def cache_on(settings):
    settings.SATUSAMA_TENANT_CACHE = True


def bumps(callbacks):
    return [c for c in callbacks if c.__qualname__.startswith("_changed.")]


def test_dashboard_figures_come_from_the_cache_until_a_program_changes(
        cache_on, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        program = make_program(world, status="submitted")
    client = world.client_for(world.tenant_admin)
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/diy/").content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/diy/").content.decode()
    assert any(FIGURES_SQL in q["sql"] for q in cold)
    assert not any(FIGURES_SQL in q["sql"] for q in warm)
    assert len(warm) < len(cold)
    assert '<th scope="row">Diajukan</th><td class="num">1</td>' in first
    assert '<th scope="row">Diajukan</th><td class="num">1</td>' in again

    # The tenant admin moves it on: a conditional UPDATE (no model signal) plus an event row (a signal).
    with django_capture_on_commit_callbacks(execute=True), scope(tenant=world.tenant):
        workflow.transition(program=program, to="in_review", by=world.tenant_admin)
    after = client.get("/diy/").content.decode()
    assert '<th scope="row">Diajukan</th><td class="num">0</td>' in after
    assert '<th scope="row">Ditinjau Forum</th><td class="num">1</td>' in after


def test_the_users_own_tasks_show_once_their_change_is_committed(cache_on, world, django_capture_on_commit_callbacks):
    client = world.client_for(world.staff)
    client.get("/diy/")
    client.get("/diy/")  # the page is kept now (tests/test_page_cache.py)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_program(world, status="needs_revision")
    page = client.get("/diy/").content.decode()
    assert "Perlu Revisi</span>" in page


def test_many_writes_in_one_transaction_bump_once(cache_on, world, django_capture_on_commit_callbacks):
    # (A transaction of its own: the fixtures' writes registered theirs in the test's transaction.)
    with django_capture_on_commit_callbacks() as callbacks, scope(tenant=world.tenant), transaction.atomic():
        for i in range(5):
            Organization.objects.create(tenant=world.tenant, name=f"Komunitas {i}", helix="komunitas")
    assert len(bumps(callbacks)) == 1


def test_a_rolled_back_savepoint_does_not_swallow_a_later_change(cache_on, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, scope(tenant=world.tenant), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Organization.objects.create(tenant=world.tenant, name="Batal", helix="komunitas")
            raise RuntimeError
        Organization.objects.create(tenant=world.tenant, name="Jadi", helix="komunitas")
    assert len(bumps(callbacks)) == 1


def test_a_bump_gives_a_new_version(cache_on, world):
    before = tenant_cache.version(world.tenant.pk)
    tenant_cache._bump(tenant_cache._VERSION_KEY.format(world.tenant.pk))  # what the commit callback does
    assert tenant_cache.version(world.tenant.pk) != before


def test_without_a_shared_cache_nothing_is_cached(world, settings):
    settings.SATUSAMA_TENANT_CACHE = False
    calls = []
    for _ in range(2):
        tenant_cache.cached(world.tenant.pk, "x", lambda: calls.append(1))
    assert len(calls) == 2


def test_the_program_list_total_is_cached_per_query_and_refreshed_by_a_change(
        cache_on, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_program(world, status="submitted", title="Program Satu")
    client = world.client_for(world.staff)
    client.get("/diy/program/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/diy/program/")
    assert not any("COUNT(" in q["sql"] for q in warm)
    # Another filter is another query, with its own total.
    assert "0 program" in client.get("/diy/program/?status=approved").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_program(world, status="approved", title="Program Dua")
    assert "1 program" in client.get("/diy/program/?status=approved").content.decode()
    assert "2 program" in client.get("/diy/program/").content.decode()


def test_the_list_is_keyed_by_its_filter_and_by_who_looks_and_its_query_is_compiled_once(
        cache_on, world, settings, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_program(world, status="draft", title="Draf Dinas Sleman")  # its own organisation sees it, no one else
    names, digests = [], []

    def recording(function, calls):
        def wrapper(*args):
            calls.append(args)
            return function(*args)
        return wrapper

    monkeypatch.setattr(tenant_cache, "cached", recording(tenant_cache.cached, names))
    monkeypatch.setattr(tenant_cache, "query_digest", recording(tenant_cache.query_digest, digests))

    def keys(client, path) -> tuple[tuple[str, str], str]:
        names.clear()
        digests.clear()
        page = client.get(path).content.decode()
        assert len(digests) == 1, path  # one compiled query keys both the total and the rows
        count = [name for _tenant, name, _compute in names if name.startswith("count:")]
        rows = [name for _tenant, name, _compute in names if name.startswith("html:programs/_list_results.html:")]
        assert len(count) == len(rows) == 1, names
        return (count[0], rows[0]), page

    staff, colleague = world.client_for(world.staff), world.client_for(world.colleague)
    everything, page = keys(staff, "/diy/program/")
    assert "Draf Dinas Sleman" in page
    drafts, page = keys(staff, "/diy/program/?status=draft")
    assert "Draf Dinas Sleman" in page
    theirs, page = keys(colleague, "/diy/program/")  # another organisation: the same filters, other rows
    assert "Draf Dinas Sleman" not in page
    for one, other in [(everything, drafts), (everything, theirs), (drafts, theirs)]:
        assert one[0] != other[0] and one[1] != other[1]
    # The same list for her in another session (whose page the page cache does not hold): the same keys.
    assert keys(world.client_for(world.staff), "/diy/program/")[0] == everything

    settings.SATUSAMA_TENANT_CACHE = False
    digests.clear()
    assert staff.get("/diy/program/").status_code == 200
    assert digests == []  # no key to build: no SQL compiled for one


def test_list_and_catalogue_rows_are_rendered_once_per_change(cache_on, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_program(world, status="approved", title="Pelatihan Kemasan Tahan Lama", open_for_participants=True,
                     start_date=dt.date(2099, 3, 1), end_date=dt.date(2099, 3, 5))
    staff, visitor = world.client_for(world.staff), Client()
    for client, path in [(staff, "/diy/program/"), (visitor, "/diy/katalog/")]:
        client.get(path)
        with CaptureQueriesContext(connection) as warm:
            page = client.get(path).content.decode()
        assert "Pelatihan Kemasan Tahan Lama" in page
        assert not any("programs_program" in q["sql"] for q in warm), path
    with django_capture_on_commit_callbacks(execute=True):
        make_program(world, status="approved", title="Klinik Ekspor Kerajinan", open_for_participants=True,
                     start_date=dt.date(2099, 4, 1), end_date=dt.date(2099, 4, 5))
    assert "Klinik Ekspor Kerajinan" in staff.get("/diy/program/").content.decode()
    assert "Klinik Ekspor Kerajinan" in visitor.get("/diy/katalog/").content.decode()
    # Partial reloads (htmx) are served from the same rendering.
    partial = staff.get("/diy/program/", headers={"HX-Request": "true"}).content.decode()
    assert "Klinik Ekspor Kerajinan" in partial and "<html" not in partial


def test_program_page_history_and_outcomes_are_cached_until_the_program_changes(
        cache_on, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        program = make_program(world, status="draft")
    client = world.client_for(world.org_admin)
    path = f"/diy/program/{program.ref}/"
    client.get(path)
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    assert not any("historicalprogram" in q["sql"] for q in warm)
    # (Its own transaction: the fixtures' writes left a bump waiting on the test's transaction, which never commits.)
    with django_capture_on_commit_callbacks(execute=True), scope(tenant=world.tenant), transaction.atomic():
        program.title = "Judul Sesudah Rapat"
        program.save()
    page = client.get(path).content.decode()
    assert "<ins>Judul Sesudah Rapat</ins>" in page
