"""Whole pages are kept per person (satusama/page_cache.py) and made afresh whenever anything they show may change."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from programs.models import Program
from satusama import tenant_cache
from stakeholders.models import Membership
from tests.programs.conftest import make_program

pytestmark = pytest.mark.django_db

# A kept page costs the session (its row, or nothing when sessions come from Redis as in CI and production).
SESSION_ONLY = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


@pytest.fixture
def cache_on(settings):
    settings.SATUSAMA_TENANT_CACHE = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Writes inside `with committed():` reach the cache as a committed transaction does. (A transaction of its own:
    the fixtures' writes left their bumps waiting on the test's transaction, which never commits.)"""

    @contextmanager
    def transaction_that_commits():
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return transaction_that_commits


def warm(client, path, **kwargs):
    """The first visit gets the CSRF cookie, the second is kept; what the second showed."""
    client.get(path, **kwargs)
    return client.get(path, **kwargs).content.decode()


def kept(client, path) -> bool:
    """Whether this visit was answered from the kept page (no query but the session's)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries) <= SESSION_ONLY


def test_a_page_seen_again_is_served_without_running_the_view(cache_on, world, committed, django_assert_num_queries):
    with committed():
        program = make_program(world, status="submitted", title="Pelatihan Kemasan Tahan Lama")
    client = world.client_for(world.staff)
    for path in ["/diy/", "/diy/program/", f"/diy/program/{program.ref}/", "/diy/katalog/"]:
        first = warm(client, path)
        with django_assert_num_queries(SESSION_ONLY):
            again = client.get(path)
        assert again.status_code == 200
        assert again.content.decode() == first, path
        assert again["Content-Type"] == "text/html; charset=utf-8"


def test_a_committed_change_makes_the_page_afresh(cache_on, world, committed):
    with committed():
        program = make_program(world, status="submitted", title="Judul Lama")
    client = world.client_for(world.staff)
    path = f"/diy/program/{program.ref}/"
    assert "Judul Lama" in warm(client, path)
    with committed(), scope(tenant=world.tenant):
        Program.objects.filter(pk=program.pk).update(title="Judul Baru")  # no signal: the writer says so
        tenant_cache.data_changed(world.tenant.pk)
    page = client.get(path).content.decode()
    assert "Judul Baru" in page and "Judul Lama" not in page
    assert "Judul Baru" in client.get("/diy/program/").content.decode()


def signed_in_as(page):
    return page.split('class="user-link"', 1)[1].split(">", 1)[1].split("<", 1)[0] if "user-link" in page else None


def test_each_person_gets_their_own_page(cache_on, world):
    rina, arif = world.client_for(world.staff), world.client_for(world.colleague)
    assert signed_in_as(warm(rina, "/diy/")) == "Rina"
    assert signed_in_as(warm(arif, "/diy/")) == "Arif"
    assert signed_in_as(rina.get("/diy/").content.decode()) == "Rina"


def test_a_removed_member_is_refused_not_served_the_kept_page(cache_on, world, committed):
    client = world.client_for(world.staff)
    warm(client, "/diy/")
    with committed(), scopes_disabled():
        Membership.objects.filter(user=world.staff).delete()
    assert client.get("/diy/").status_code == 404


def test_a_deactivated_account_or_a_new_password_ends_the_kept_pages(cache_on, world, committed):
    client, other = world.client_for(world.staff), world.client_for(world.colleague)
    warm(client, "/diy/")
    warm(other, "/diy/")
    with committed():
        world.staff.is_active = False
        world.staff.save()
    assert client.get("/diy/").status_code == 302
    with committed():
        world.colleague.set_password("Sandi-Baru-2026")
        world.colleague.save()
    response = other.get("/diy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_of_another_tenant_never_gets_a_kept_page(cache_on, world):
    warm(world.client_for(world.staff), "/diy/")
    assert world.client_for(world.outsider).get("/diy/").status_code == 404
    assert Client().get("/diy/").status_code == 302  # anonymous: to the login page


def test_a_flash_message_is_shown_once_and_never_kept(cache_on, world, committed):
    with committed():
        program = make_program(world, status="draft", title="Program Draf")
    client = world.client_for(world.org_admin)
    path = f"/diy/program/{program.ref}/"
    warm(client, path)
    with committed():
        response = client.post(f"{path}komentar/", {"body": "Mohon dicek ulang anggarannya."}, follow=True)
    assert "Komentar Anda telah ditambahkan." in response.content.decode()
    after = warm(client, path)
    assert "Mohon dicek ulang anggarannya." in after
    assert "Komentar Anda telah ditambahkan." not in after


def test_language_and_htmx_partials_have_pages_of_their_own(cache_on, world):
    client = world.client_for(world.staff)
    indonesian = warm(client, "/diy/program/")
    client.cookies["django_language"] = "en"
    english = warm(client, "/diy/program/")
    assert english != indonesian and 'lang="en"' in english
    partial = warm(client, "/diy/program/", headers={"HX-Request": "true"})
    assert "<html" not in partial
    assert "<html" in client.get("/diy/program/").content.decode()


def test_a_kept_page_carries_a_csrf_token_that_still_works(cache_on, world, committed):
    with committed():
        program = make_program(world, status="draft", title="Program Draf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.org_admin)
    path = f"/diy/program/{program.ref}/"
    warm(client, path)
    page = client.get(path).content.decode()  # from the cache
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"{path}komentar/", {"body": "Setuju.", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_page_that_set_a_new_csrf_cookie_is_not_kept(cache_on, world):
    client = world.client_for(world.staff)
    client.get("/diy/")  # no CSRF cookie yet: the page makes one
    assert not kept(client, "/diy/")
    assert kept(client, "/diy/")


def test_anonymous_visitors_and_signed_in_people_see_their_own_catalogue(cache_on, world):
    visitor, staff = Client(), world.client_for(world.staff)
    anonymous = warm(visitor, "/diy/katalog/")
    assert signed_in_as(anonymous) is None
    assert signed_in_as(warm(staff, "/diy/katalog/")) == "Rina"
    assert visitor.get("/diy/katalog/").content.decode() == anonymous


def test_without_the_shared_cache_no_page_is_kept(world):
    client = world.client_for(world.staff)
    warm(client, "/diy/")
    assert not kept(client, "/diy/")


def test_pages_not_marked_are_never_kept(cache_on, world):
    client = world.client_for(world.staff)
    for path in ["/diy/program/baru/", "/diy/program/linimasa/"]:
        warm(client, path)
        assert not kept(client, path)


def test_a_new_sign_in_factor_or_grant_makes_the_persons_pages_afresh(cache_on, world, committed):
    from allauth.mfa.models import Authenticator

    before = tenant_cache.versions(world.tenant.pk, world.staff.pk)
    with committed():
        Authenticator.objects.create(user=world.staff, type=Authenticator.Type.RECOVERY_CODES, data={})
    after = tenant_cache.versions(world.tenant.pk, world.staff.pk)
    assert after[2] != before[2] and after[:2] == before[:2]
    with committed():
        get_user_model().objects.filter(pk=world.staff.pk).first().groups.create(name="Pemantau")
    assert tenant_cache.versions(world.tenant.pk, world.staff.pk)[0] != after[0]  # a group: outside tenants


def test_a_renamed_tenant_shows_its_new_name_on_the_next_page(cache_on, world, committed):
    client = world.client_for(world.staff)
    assert "SATUSAMA DIY" in warm(client, "/diy/")
    with committed():
        world.tenant.name = "SATUSAMA Daerah Istimewa Yogyakarta"
        world.tenant.save()
    assert "SATUSAMA Daerah Istimewa Yogyakarta" in client.get("/diy/").content.decode()
    assert "SATUSAMA Daerah Istimewa Yogyakarta" in client.get("/diy/program/linimasa/").content.decode()
