"""Journey: an org admin invites a colleague, who signs up from the e-mail link and lands in the organisation."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_invites_a_colleague_who_signs_up_and_lands_in_the_organisation(page, browser, demo, login):
    # Pak Hendra, head of division at the Sleman Dinas, invites a new colleague as staff.
    login(page, "kabid.sleman@satusama.test")
    page.get_by_role("link", name="Direktori Lembaga").click()
    page.get_by_role("link", name="Dinas Koperasi dan UKM Kabupaten Sleman").click()
    page.get_by_role("link", name="Kelola anggota").click()
    mail.outbox.clear()
    page.get_by_label("Alamat e-mail").fill("tri.rahayu@slemankab.test")
    page.locator("#id_role").select_option("staff")
    page.get_by_role("button", name="Kirim undangan").click()
    # Committed before the answer, and without Redis the e-mail goes out at once: the message says it was sent.
    assert page.get_by_text("Undangan untuk tri.rahayu@slemankab.test disimpan. E-mail sudah terkirim.").is_visible()
    assert page.locator("#pending-invitations td", has_text="tri.rahayu@slemankab.test").is_visible()

    # The colleague opens the link from the e-mail in her own browser.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tri.rahayu@slemankab.test"]
    link = re.search(r"https?://\S+/gabung/\S+/", mail.outbox[0].body).group(0)
    colleague = browser.new_context(locale="id-ID").new_page()
    colleague.goto(link)
    assert "Bergabung dengan Dinas Koperasi dan UKM Kabupaten Sleman" in colleague.locator("h1").inner_text()
    colleague.get_by_role("link", name="Buat akun").click()
    assert colleague.locator("input[name=email]").input_value() == "tri.rahayu@slemankab.test"
    colleague.locator("input[name=password1]").fill("Kopi-Merapi-2026!")
    colleague.locator("input[name=password2]").fill("Kopi-Merapi-2026!")
    colleague.locator("form").get_by_role("button").last.click()

    colleague.wait_for_url(re.compile(r"/diy/lembaga/\d+/$"))
    assert colleague.locator("h1").inner_text() == "Dinas Koperasi dan UKM Kabupaten Sleman"
    assert colleague.get_by_text("Selamat bergabung di Dinas Koperasi dan UKM Kabupaten Sleman").is_visible()
    assert colleague.locator("#main a[href='mailto:tri.rahayu@slemankab.test']").is_visible()
    colleague.context.close()

    # Back on the admin's page the invitation is no longer pending and the colleague is a member.
    page.reload()
    assert page.locator("#members").get_by_role("cell", name="tri.rahayu@slemankab.test", exact=True).is_visible()
    assert page.locator("#pending-invitations td", has_text="tri.rahayu@slemankab.test").count() == 0
