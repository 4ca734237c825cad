"""Journey (issue 9, 1e): Mas Joko, who sells bakpia in Kota Yogyakarta, finds an open program on his phone.

No account: from the login page he opens the public catalogue, chooses Kota Yogyakarta and Kuliner, finds the
halal-certification program that is open for registration and sees whom to call — on a 360×740 screen.
"""

import pytest

from tests.e2e.layout import sideways_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HALAL = "Fasilitasi Sertifikasi Halal Gratis untuk Produsen Bakpia dan Gudeg"


def test_anonymous_visitor_finds_an_open_program_on_a_phone(phone, demo):
    page = phone
    page.goto(f"{demo}/diy/")
    assert "/accounts/login/" in page.url  # the portal itself needs an account …
    page.get_by_role("link", name="Katalog Program — SATUSAMA DIY").click()  # … the catalogue does not
    page.wait_for_url(f"{demo}/diy/katalog/")
    assert page.locator("h1").inner_text() == "Katalog Program"
    assert sideways_overflow(page) == []
    everything = page.locator(".catalogue-item").count()
    assert everything >= 5

    page.get_by_label("Kabupaten/Kota").select_option(label="Kota Yogyakarta")
    page.wait_for_url("**/diy/katalog/?*region=34.71*")
    page.get_by_label("Sektor").select_option("kuliner")
    page.wait_for_url("**sector=kuliner*")
    results = page.locator("#catalogue-results")
    card = results.locator(".catalogue-item", has_text=HALAL)
    card.wait_for()
    assert results.locator(".catalogue-item").count() < everything
    # Only programs he can still join: none still waiting for the forum or finished.
    assert "Pendampingan NIB dan P-IRT Usaha Rumahan Banguntapan" not in results.inner_text()
    assert "Onboarding Toko Daring untuk Penjual Bakpia Pathok" not in results.inner_text()

    text = card.inner_text()
    assert "Klinik Bisnis Pendamping UMKM Jogja" in text and "Ratna Sari" in text
    assert "Daftar paling lambat" in text and "Cara mendaftar" in text
    call = card.locator("a[href^='tel:']")
    assert call.is_visible() and call.bounding_box()["height"] >= 44
    card.get_by_text("Tentang program").click()
    assert card.get_by_text("self-declare").is_visible()
    assert sideways_overflow(page) == []

    # The filtered list is a plain URL: reloading or sharing it shows the same programs.
    page.reload()
    assert page.get_by_label("Sektor").input_value() == "kuliner"
    assert page.locator(".catalogue-item", has_text=HALAL).is_visible()
