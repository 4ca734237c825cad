"""Tenant admins edit the RPJMD hierarchy in the portal: add, edit and reorder each level; others may not."""

import pytest
from django.urls import reverse
from django_scopes import scope

from roadmap.models import Indicator, Misi, Sasaran, Strategi, Tujuan


def url(name, *args):
    return reverse(f"roadmap:{name}", args=["diy", *args])


def test_admin_adds_each_level_inline_and_the_page_shows_it(plan, world):
    client = world.client_for(world.tenant_admin)
    form = client.get(url("node_create", "tujuan", plan.misi.pk), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="node-form-tujuan-new-' in form and "<html" not in form
    response = client.post(url("node_create", "tujuan", plan.misi.pk), {"code": "T2.2", "text": "Koperasi sehat"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/diy/rpjmd/?rpjmd={plan.rpjmd.pk}"
    with scope(tenant=world.tenant):
        tujuan = Tujuan.objects.get(code="T2.2")
        assert tujuan.misi == plan.misi and tujuan.order == 1 + Tujuan.objects.get(code="T2.1").order
    client.post(url("node_create", "sasaran", tujuan.pk), {"code": "S2.2.1", "text": "Koperasi aktif naik"})
    with scope(tenant=world.tenant):
        sasaran = Sasaran.objects.get(code="S2.2.1")
    client.post(url("node_create", "strategi", sasaran.pk), {"code": "ST2.2.1", "text": "Pendampingan koperasi"})
    client.post(url("node_create", "arah_kebijakan", sasaran.pk), {"code": "AK2.2.1", "text": "Tata kelola"})
    response = client.post(url("node_create", "indikator", sasaran.pk), {
        "code": "IKU-9", "name": "Jumlah koperasi sehat", "unit": "unit", "baseline": "1.200",
        "final_target": "1.500,5", "responsible_agency": "Dinas Koperasi dan UKM DIY"})
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        indicator = Indicator.objects.get(code="IKU-9")
        assert str(indicator.baseline) == "1200.00" and str(indicator.final_target) == "1500.50"
        assert Strategi.objects.filter(sasaran=sasaran, code="ST2.2.1").exists()
    page = client.get(url("rpjmd")).content.decode()
    for text in ("T2.2: Koperasi sehat", "S2.2.1:</strong> Koperasi aktif naik", "ST2.2.1: Pendampingan koperasi",
                 "AK2.2.1: Tata kelola", "IKU-9 Jumlah koperasi sehat (unit)", '<td class="num">1.200</td>',
                 '<td class="num">1.500,50</td>', "Tambah misi"):
        assert text in page, text


def test_edit_and_reorder(plan, world):
    client = world.client_for(world.tenant_admin)
    with scope(tenant=world.tenant):
        second = Misi.objects.create(tenant=world.tenant, rpjmd=plan.rpjmd, code="M3", text="Budaya", order=5)
    response = client.post(url("node_edit", "misi", second.pk), {"code": "M3", "text": "Budaya dan pariwisata"})
    assert response.status_code == 302
    client.post(url("node_move", "misi", second.pk), {"direction": "up"})
    with scope(tenant=world.tenant):
        assert list(Misi.objects.filter(rpjmd=plan.rpjmd).values_list("code", "order")) == [("M3", 1), ("M2", 2)]
        assert Misi.objects.get(pk=second.pk).text == "Budaya dan pariwisata"
    page = client.get(url("rpjmd")).content.decode()
    assert page.index("Misi M3") < page.index("Misi M2")


@pytest.mark.parametrize(("level", "data", "message"), [
    ("sasaran", {"code": "S2.1.1", "text": "Sama"}, "Kode S2.1.1 sudah dipakai di tempat ini dalam hierarki."),
    ("sasaran", {"code": "", "text": "Tanpa kode"}, "Bidang ini tidak boleh kosong."),
    ("indikator", {"code": "IKU-8", "name": "X", "unit": "%", "baseline": "-4"}, "lebih besar dari atau sama dengan 0"),
])
def test_bad_input_is_refused_in_words_and_nothing_saved(plan, world, level, data, message):
    client = world.client_for(world.tenant_admin)
    parent = plan.tujuan if level == "sasaran" else plan.sasaran
    with scope(tenant=world.tenant):
        before = (Sasaran.objects.count(), Indicator.objects.count())
    response = client.post(url("node_create", level, parent.pk), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Reswap"] == "outerHTML"
    assert message in response.content.decode()
    with scope(tenant=world.tenant):
        assert (Sasaran.objects.count(), Indicator.objects.count()) == before


@pytest.mark.parametrize("who", ["staff", "org_admin", "colleague"])
def test_only_tenant_admins_edit_the_hierarchy(plan, world, who):
    client = world.client_for(getattr(world, who))
    for method, target in [("get", url("node_create", "misi", plan.rpjmd.pk)),
                           ("post", url("node_create", "misi", plan.rpjmd.pk)),
                           ("get", url("node_edit", "sasaran", plan.sasaran.pk)),
                           ("post", url("node_edit", "indikator", plan.indicator.pk)),
                           ("post", url("node_move", "tujuan", plan.tujuan.pk))]:
        assert getattr(client, method)(target, {"code": "X", "text": "X"}).status_code == 403, target
    assert "Tambah misi" not in client.get(url("rpjmd")).content.decode()


def test_other_tenants_and_unknown_levels_get_404(plan, world):
    client = world.client_for(world.outsider)
    assert client.get(reverse("roadmap:node_edit", args=["jateng", "sasaran", plan.sasaran.pk])).status_code == 404
    admin = world.client_for(world.tenant_admin)
    assert admin.get(url("node_edit", "program", plan.sasaran.pk)).status_code == 404
    assert admin.get(url("node_create", "tujuan", 999999)).status_code == 404


def test_rpjmd_page_query_count_does_not_grow_with_the_hierarchy(plan, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.tenant_admin)
    client.get(url("rpjmd"))
    with CaptureQueriesContext(connection) as small:
        client.get(url("rpjmd"))
    with scope(tenant=world.tenant):
        for i in range(10):
            s = Sasaran.objects.create(tenant=world.tenant, tujuan=plan.tujuan, code=f"S9.{i}", text="x", order=i)
            Indicator.objects.create(tenant=world.tenant, sasaran=s, code=f"I9.{i}", name="y", unit="%")
    with CaptureQueriesContext(connection) as large:
        client.get(url("rpjmd"))
    assert len(large) == len(small)
