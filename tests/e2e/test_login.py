"""Journey: a demo user logs in, switches to English and back, and logs out."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_switch_language_and_logout(page, demo, login):
    page.goto(f"{demo}/diy/")
    assert page.locator("h1").inner_text() == "Masuk"
    assert page.locator("html").get_attribute("lang") == "id"
    login(page, "staf.sleman@satusama.test")  # on the login page the portal sent her to
    assert "Selamat datang, Rina" in page.locator("h1").inner_text()
    assert page.get_by_text("Dinas Koperasi dan UKM Kabupaten Sleman").first.is_visible()

    page.get_by_label("Bahasa").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "Welcome, Rina" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Dashboard").is_visible()

    page.get_by_label("Language").select_option("id")
    page.wait_for_function("document.documentElement.lang === 'id'")
    assert page.get_by_role("link", name="Beranda").is_visible()

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{demo}/")
    page.goto(f"{demo}/diy/")
    assert "/accounts/login/" in page.url
