"""Roadmap pages: everyone in the tenant reads, only tenant admins edit (portal, htmx), PDF and CSV."""

import io

import pytest
from django.urls import reverse
from django_scopes import scope
from pypdf import PdfReader

from roadmap.models import Priority, PriorityTarget
from stakeholders.models import Region

READERS = ["staff", "org_admin", "colleague", "tenant_admin"]
NON_ADMINS = ["staff", "org_admin", "colleague"]


def url(name, *args):
    return reverse(f"roadmap:{name}", args=["diy", *args])


@pytest.mark.parametrize("who", READERS)
def test_every_member_reads_the_roadmap_and_rpjmd(plan, world, who):
    client = world.client_for(getattr(world, who))
    page = client.get(url("index")).content.decode()
    assert "Sertifikasi halal" in page
    assert "Unduh PDF" in page
    assert ("Tambah prioritas" in page) == (who == "tenant_admin")
    page = client.get(url("rpjmd")).content.decode()
    assert "Persentase UMKM go digital" in page
    assert "Meningkatnya daya saing UMKM" in page


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_tenant_admins_edit(plan, world, who):
    client = world.client_for(getattr(world, who))
    pk = plan.priority.pk
    attempts = [
        ("get", url("priority_create", plan.roadmap.pk)), ("post", url("priority_create", plan.roadmap.pk)),
        ("get", url("priority_edit", pk)), ("post", url("priority_edit", pk)),
        ("post", url("priority_move", pk)), ("post", url("priority_delete", pk)),
        ("get", url("priority_targets", pk)), ("post", url("priority_targets", pk)),
        ("get", url("import")), ("post", url("import")), ("get", url("rpjmd_create")),
        ("get", url("roadmap_create")), ("get", url("indicator_values", plan.indicator.pk)),
        ("post", url("priority_programs", pk)),
    ]
    for method, target in attempts:
        assert getattr(client, method)(target, {"title": "X"}).status_code == 403, target
    with scope(tenant=world.tenant):
        assert Priority.objects.get(pk=pk).title == "Sertifikasi halal"


def test_other_tenant_gets_404(plan, world):
    client = world.client_for(world.outsider)
    assert client.get(url("priority", plan.priority.pk)).status_code == 404
    assert reverse("roadmap:priority", args=["jateng", plan.priority.pk])
    assert client.get(reverse("roadmap:priority", args=["jateng", plan.priority.pk])).status_code == 404


def test_admin_adds_a_priority_inline_with_htmx(plan, world):
    client = world.client_for(world.tenant_admin)
    form = client.get(url("priority_create", plan.roadmap.pk), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="priority-form-new"' in form and "<html" not in form
    with scope(tenant=world.tenant):
        region = Region.objects.get(code="34.03")
    response = client.post(url("priority_create", plan.roadmap.pk), {
        "title": "Digitalisasi UMKM", "kinds": ["digitalisasi"], "sectors": ["kuliner", "kriya"],
        "regions": [region.pk], "helix_kinds": ["business"],
    }, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Digitalisasi UMKM" in page and "Sertifikasi halal" in page
    assert "HX-Retarget" not in response
    with scope(tenant=world.tenant):
        p = Priority.objects.get(title="Digitalisasi UMKM")
        assert p.order == 2 and p.kinds == ["digitalisasi"] and list(p.regions.all()) == [region]


def test_a_refused_priority_form_replaces_itself(plan, world):
    client = world.client_for(world.tenant_admin)
    response = client.post(url("priority_create", plan.roadmap.pk), {"title": "", "kinds": ["terbang"]},
                           HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#priority-form-new"
    page = response.content.decode()
    assert "Bidang ini tidak boleh kosong" in page or "wajib" in page.lower()


def test_reordering_priorities(plan, world):
    with scope(tenant=world.tenant):
        second = Priority.objects.create(tenant=world.tenant, roadmap=plan.roadmap, title="Akses pembiayaan", order=2)
    client = world.client_for(world.tenant_admin)
    response = client.post(url("priority_move", second.pk), {"direction": "up"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.index("Akses pembiayaan") < page.index("Sertifikasi halal")
    with scope(tenant=world.tenant):
        assert list(Priority.objects.filter(roadmap=plan.roadmap).values_list("title", flat=True)) == [
            "Akses pembiayaan", "Sertifikasi halal"]


def test_yearly_targets_form(plan, world):
    client = world.client_for(world.tenant_admin)
    data = {"y2025_umkm_reached": "50", "y2025_programs": "2", "y2025_budget_idr": "100000000",
            "y2026_umkm_reached": "", "y2026_programs": "", "y2026_budget_idr": ""}
    client.post(url("priority_targets", plan.priority.pk), data)
    with scope(tenant=world.tenant):
        rows = list(PriorityTarget.objects.filter(priority=plan.priority).values_list("year", "umkm_reached"))
    assert rows == [(2025, 50)]
    response = client.post(url("priority_targets", plan.priority.pk), {"y2025_umkm_reached": "-3"})
    assert response.status_code == 200
    assert "y2025_umkm_reached" in response.content.decode()
    with scope(tenant=world.tenant):
        assert PriorityTarget.objects.get(priority=plan.priority, year=2025).umkm_reached == 50


def test_indicator_values_inline(plan, world):
    client = world.client_for(world.tenant_admin)
    response = client.post(url("indicator_values", plan.indicator.pk),
                           {"y2026_target": "41,5", "y2025_achievement": "33"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="indicator-{plan.indicator.pk}"' in page
    # Numbers read the Indonesian way, without needless decimals: 41,50 · 33 · baseline 20 · final 45.
    assert '<td class="num">41,50</td>' in page
    assert '<td class="num">33</td>' in page and '<td class="num">20</td>' in page and "20,00" not in page


def test_pdf_contains_priorities_and_targets(plan, world):
    response = world.client_for(world.staff).get(url("pdf", plan.roadmap.pk))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Peta Jalan UMKM DIY 2025–2027" in text
    assert "Sertifikasi halal" in text
    assert "Rp300.000.000" in text
    assert "100" in text
    # Every gap, unfolded and grouped by year (the page folds them; paper cannot), and the outcomes table.
    assert "2026: 0 dari target 3 program" in text
    assert "belum ada lembaga Pemerintah, Kampus / Akademisi yang terlibat" in text
    assert "Median perubahan omzet tahunan" in " ".join(text.split())


def test_coverage_page_and_csv(plan, world):
    client = world.client_for(world.colleague)
    page = client.get(url("priority", plan.priority.pk)).content.decode()
    assert "<svg" in page and "<table" in page
    assert "Sertifikasi halal" in page
    csv_text = client.get(url("priority_csv", plan.priority.pk)).content.decode()
    assert "2026,100,3,300000000,0,0,0" in csv_text
