"""The live "similar programs" panel beside the program form: unsaved values in, the closest programs out."""

import pytest
from django.urls import reverse
from django_scopes import scope

from programs.taxonomy import Status
from stakeholders.models import Region, TenantRole

from .conftest import make_program
from .test_overlap_flags import CAMPUS_TITLE, campus_program


def similar(world, user, data):
    return world.client_for(user).post(reverse("programs:similar", args=[world.tenant.slug]), data)


@pytest.fixture
def existing(world):
    submitted = campus_program(world, status=Status.SUBMITTED)
    draft = campus_program(world, title="Kelas Jualan Online Rahasia", status=Status.DRAFT)
    unrelated = campus_program(world, status=Status.SUBMITTED, title="Fasilitasi Sertifikat Halal Self Declare",
                               description="Pendampingan sertifikasi halal bagi usaha mikro pangan.",
                               kinds=["sertifikasi"])
    return submitted, draft, unrelated


def test_panel_lists_similar_programs_with_reasons_before_saving(world, existing):
    submitted, draft, unrelated = existing
    with scope(tenant=world.tenant):
        sleman = Region.objects.get(tenant=world.tenant, code="34.04")
    response = similar(world, world.staff, {
        "title": "Pelatihan Pemasaran Digital bagi UMKM Kuliner", "description": "Belajar berjualan online.",
        "kinds": ["pelatihan", "digitalisasi"], "sectors": ["kuliner"], "regions": [sleman.pk],
        "start_date": "2025-03-10", "end_date": "2025-03-12",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert CAMPUS_TITLE in html and submitted.ref in html
    assert "topik sama: pemasaran digital" in html and "wilayah sama: Sleman" in html
    assert "akan ditandai tumpang tindih" in html
    assert draft.ref not in html  # another organisation's draft stays private
    assert html.index(submitted.ref) < html.index(unrelated.ref) if unrelated.ref in html else True


def test_panel_works_with_only_a_title(world, existing):
    submitted, _draft, _unrelated = existing
    html = similar(world, world.staff, {"title": "Workshop jualan online usaha makanan"}).content.decode()
    assert submitted.ref in html
    assert "wilayah sama" not in html  # no region typed yet: nothing said about place


def test_panel_is_empty_for_too_little_text_and_refused_to_non_members(world, existing):
    assert similar(world, world.staff, {"title": "ab"}).content.decode().strip() == ""
    # a tenant viewer belongs to no organisation: may not register programs, so no panel
    with scope(tenant=world.tenant):
        TenantRole.objects.create(tenant=world.tenant, user=world.nobody, role=TenantRole.Role.VIEWER)
    assert similar(world, world.nobody, {"title": CAMPUS_TITLE}).status_code == 403
    assert similar(world, world.outsider, {"title": CAMPUS_TITLE}).status_code == 404


def test_editing_a_program_does_not_list_itself(world, existing):
    submitted, _draft, _unrelated = existing
    html = similar(world, world.colleague, {"title": CAMPUS_TITLE, "ref": submitted.ref}).content.decode()
    assert submitted.ref not in html


def test_form_page_wires_the_panel(world):
    html = world.client_for(world.staff).get(reverse("programs:create", args=[world.tenant.slug])).content.decode()
    assert 'id="similar-programs"' in html
    assert reverse("programs:similar", args=[world.tenant.slug]) in html
    assert "keyup changed delay:500ms" in html


def test_existing_program_is_reused_for_a_second_org(world):
    # same wording by another organisation in another place still shows (score is about substance)
    make_program(world, status=Status.SUBMITTED, regions=("34.03",))
    html = similar(world, world.colleague, {"title": "Pelatihan Pemasaran Digital UMKM Kuliner"}).content.decode()
    assert "Pelatihan Pemasaran Digital bagi UMKM Kuliner" in html


def test_older_programs_on_the_typed_topic_join_the_latest(world, monkeypatch):
    """Past the latest programs, the panel finds older ones whose stored profile names a typed topic ("jualan online"
    is the concept of "pemasaran digital"), by the profile's concept list."""
    import datetime

    from programs import overlap_selectors
    from programs.overlap_services import Context, profiles_for

    monkeypatch.setattr(overlap_selectors, "SIMILAR_POOL", 2)
    older = campus_program(world, status=Status.SUBMITTED, start_date=datetime.date(2020, 3, 1),
                           end_date=datetime.date(2020, 3, 31))
    latest = [
        campus_program(world, status=Status.SUBMITTED, title=f"Fasilitasi Sertifikat Halal {i}",
                       description="Pendampingan sertifikasi halal bagi usaha mikro pangan.", kinds=["sertifikasi"])
        for i in range(3)
    ]
    with scope(tenant=world.tenant):
        ctx = Context.of(world.tenant)
        profiles_for([older, *latest], version=ctx.version, synonyms=ctx.synonyms)  # as checking them stores them
    html = similar(world, world.staff, {"title": "Pelatihan pemasaran digital"}).content.decode()
    assert older.ref in html and "topik sama: pemasaran digital" in html
    html = similar(world, world.staff, {"title": "Pelatihan pembukuan sederhana"}).content.decode()
    assert older.ref not in html  # no shared topic: only the latest two were compared
