"""Accounts: e-mail login, wrong password, rate limits, logout by POST, mandatory 2FA for tenant admins."""

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scopes_disabled

from .conftest import PASSWORD


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_page_is_indonesian_and_asks_for_email(client, world):
    page = client.get(reverse("account_login")).content.decode()
    assert 'lang="id"' in page
    assert "Masuk" in page
    assert 'type="email"' in page
    assert "username" not in page.lower()


def test_login_with_email_lands_in_tenant(client, world):
    response = login(client, "staf@satusama.test")
    assert response.status_code == 302
    home = client.get("/diy/")
    assert home.status_code == 200
    assert "Rina" in home.content.decode()


def test_wrong_password_shows_form_error_and_is_rate_limited(client, world):
    response = login(client, "staf@satusama.test", "salah-sekali")
    assert response.status_code == 200
    assert "kata sandi yang anda masukkan tidak benar" in response.content.decode()
    for _ in range(5):
        login(client, "staf@satusama.test", "salah-sekali")
    # past 5 failures in 5 minutes, even the right password is refused for this account
    response = login(client, "staf@satusama.test")
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert client.get("/diy/").status_code == 302


def test_logout_needs_post(world):
    client = world.client_for(world.staff)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200  # a confirmation page, still logged in
    assert client.get("/diy/").status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/diy/").status_code == 302


def test_password_reset_mail_is_sent_through_celery(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "staf@satusama.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staf@satusama.test"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_tenant_admin_must_enable_two_factor(world, settings):
    settings.SATUSAMA_REQUIRE_ADMIN_MFA = True
    response = world.client_for(world.tenant_admin).get("/diy/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # ordinary staff are not forced
    assert world.client_for(world.staff).get("/diy/").status_code == 200


def test_tenant_admin_with_totp_passes(world, settings):
    from allauth.mfa.models import Authenticator

    settings.SATUSAMA_REQUIRE_ADMIN_MFA = True
    Authenticator.objects.create(user=world.tenant_admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert world.client_for(world.tenant_admin).get("/diy/").status_code == 200


def test_admin_login_form_never_checks_passwords(client, world):
    """The admin panel's own login form would bypass allauth's rate limits and two-factor step (issue 9)."""
    from stakeholders.models import User

    with scopes_disabled():
        User.objects.create_superuser(email="root@satusama.test", password=PASSWORD)
    # anonymous: sent to allauth's login page, the admin's form is never shown
    response = client.get("/admin/login/?next=/admin/stakeholders/organization/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/stakeholders/organization/" in response["Location"]
    # the right password posted to the admin's form logs nobody in, however often it is tried
    for password in ["salah-1", "salah-2", "salah-3", "salah-4", "salah-5", "salah-6", PASSWORD]:
        response = client.post("/admin/login/", {"username": "root@satusama.test", "password": password})
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    # a signed-in person without admin rights cannot use it to try someone else's password either
    member = world.client_for(world.staff)
    response = member.post("/admin/login/", {"username": "root@satusama.test", "password": PASSWORD})
    assert response.status_code == 403
    assert member.session["_auth_user_id"] == str(world.staff.pk)


def test_failed_logins_lock_out_the_admin_panel_too(client, world):
    next_url = "/admin/"
    assert client.get(next_url)["Location"].startswith("/admin/login/")
    for _ in range(5):
        login(client, "dinas@satusama.test", "salah-sekali")
    response = client.post(f"{reverse('account_login')}?next={next_url}",
                           {"login": "dinas@satusama.test", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert client.get(next_url).status_code == 302
    # once the limit has passed, the same path leads into the panel
    cache.clear()
    response = client.post(f"{reverse('account_login')}?next={next_url}",
                           {"login": "dinas@satusama.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == next_url
    assert client.get(next_url).status_code == 200
    assert client.get("/admin/login/")["Location"] == reverse("admin:index")
