"""Program pages: register, validate while typing, edit with optimistic locking, the program page, workflow."""

import pytest
from django.urls import reverse
from django_scopes import scope

from programs.models import Program, ProgramEvent

from .conftest import make_program


def url(name, *args):
    return reverse(f"programs:{name}", args=["diy", *args])


def form_data(world, **overrides):
    with scope(tenant=world.tenant):
        sleman = world.tenant.region_set.get(code="34.04").pk
    data = {
        "owner": world.org.pk, "title": "Klinik Bisnis Kuliner", "description": "Konsultasi mingguan.",
        "kinds": ["pendampingan"], "sectors": ["kuliner"], "regions": [sleman],
        "start_date": "2025-05-01", "end_date": "2025-08-31", "target_umkm": "25", "budget_idr": "12000000",
        "funding_source": "apbd", "contact_name": "Rina", "contact_phone": "0812 0000 0000", "action": "save",
    }
    data.update(overrides)
    return data


def test_staff_registers_a_draft(world):
    response = world.client_for(world.staff).post(url("create"), form_data(world))
    with scope(tenant=world.tenant):
        program = Program.objects.get(title="Klinik Bisnis Kuliner")
        assert response.status_code == 302 and response["Location"] == url("detail", program.ref)
        assert program.status == "draft" and program.owner == world.org and program.created_by == world.staff
        assert [r.code for r in program.regions.all()] == ["34.04"]
        assert program.history.count() == 1
    page = world.client_for(world.staff).get(url("detail", program.ref)).content.decode()
    assert "Klinik Bisnis Kuliner" in page and "Draf" in page and "Pendampingan / Mentoring" in page


def test_org_admin_saves_and_submits_in_one_step(world):
    world.client_for(world.org_admin).post(url("create"), form_data(world, action="submit"))
    with scope(tenant=world.tenant):
        program = Program.objects.get(title="Klinik Bisnis Kuliner")
        assert program.status == "submitted"
        assert ProgramEvent.objects.get(program=program).by == world.org_admin


def test_submit_of_incomplete_program_keeps_the_draft_and_says_what_is_missing(world):
    client = world.client_for(world.org_admin)
    response = client.post(url("create"), form_data(world, action="submit", description="", contact_name=""),
                           follow=True)
    page = response.content.decode()
    assert "Disimpan sebagai draf, tetapi belum diajukan" in page
    assert "deskripsi" in page and "narahubung" in page
    with scope(tenant=world.tenant):
        assert Program.objects.get(title="Klinik Bisnis Kuliner").status == "draft"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2025-04-01"}, "end_date", "Tanggal selesai tidak boleh sebelum tanggal mulai"),
        ({"budget_idr": "-5"}, "budget_idr", "Anggaran tidak boleh negatif"),
        ({"target_umkm": "-1"}, "target_umkm", "Jumlah tidak boleh negatif"),
        ({"start_date": "2205-01-01", "end_date": "2205-02-01"}, "start_date", "Masukkan tanggal antara 2015"),
    ],
)
def test_fields_are_validated_while_typing(world, overrides, field, message):
    data = form_data(world, **overrides)
    data["_validate"] = "1"
    response = world.client_for(world.staff).post(url("create"), data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert f'id="errors-{field}"' in page and message in page
    with scope(tenant=world.tenant):
        assert not Program.objects.exists()


def test_validation_while_typing_does_not_nag_about_empty_fields(world):
    response = world.client_for(world.staff).post(
        url("create"), {"_validate": "1", "title": "Pel"}, HTTP_HX_REQUEST="true"
    )
    assert "wajib" not in response.content.decode().lower()


def test_at_least_one_region_kind_and_sector_on_save(world):
    response = world.client_for(world.staff).post(url("create"), form_data(world, kinds=[], sectors=[], regions=[]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilih minimal satu jenis bantuan" in page and "Pilih minimal satu sektor" in page
    assert "Pilih minimal satu kabupaten/kota" in page


def test_second_editor_is_refused_and_sees_what_changed(world, program):
    first, second = world.client_for(world.staff), world.client_for(world.org_admin)
    opened_version = program.version
    ok = first.post(url("edit", program.ref), form_data(world, title="Judul dari editor pertama",
                                                         version=opened_version))
    assert ok.status_code == 302
    refused = second.post(url("edit", program.ref), form_data(world, title="Judul dari editor kedua",
                                                              version=opened_version))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Program ini telah diubah sejak Anda membukanya" in page
    assert "Judul dari editor pertama" in page  # what the other person changed
    assert 'value="Judul dari editor kedua"' in page  # nothing typed is lost
    with scope(tenant=world.tenant):
        program.refresh_from_db()
        assert program.title == "Judul dari editor pertama"
        # Saving again on purpose, from the refreshed form, applies the second edit.
        assert f'name="version" value="{program.version}"' in page
    again = second.post(url("edit", program.ref), form_data(world, title="Judul dari editor kedua",
                                                            version=program.version))
    assert again.status_code == 302


def test_program_page_shows_history_diff_and_events(world, program):
    client = world.client_for(world.org_admin)
    client.post(url("edit", program.ref), form_data(world, title="Judul baru", target_umkm="60",
                                                    version=program.version))
    client.post(url("transition", program.ref), {"to": "submitted"})
    page = client.get(url("detail", program.ref)).content.decode()
    assert "Judul baru" in page and "Pelatihan Pemasaran Digital bagi UMKM Kuliner" in page
    assert "<del>40</del>" in page and "<ins>60</ins>" in page
    assert "Draf → Diajukan" in page


def test_program_page_history_names_regions_and_partners_in_a_fixed_number_of_queries(world, program):
    from tests.programs.conftest import query_counts

    client = world.client_for(world.org_admin)
    with scope(tenant=world.tenant):
        regions = {r.code: r.pk for r in world.tenant.region_set.all()}
    codes = ["34.04", "34.71", "34.03"]

    def edit(i):
        program.refresh_from_db()
        response = client.post(url("edit", program.ref), form_data(
            world, title=f"Judul versi {i}", regions=[regions[codes[i % 3]]],
            partners=[world.other_org.pk] if i % 2 else [], version=program.version))
        assert response.status_code == 302

    counts = query_counts(client, url("detail", program.ref), edit, sizes=(2, 8))
    assert counts[2] == counts[8]
    page = client.get(url("detail", program.ref)).content.decode()
    assert "<del>Judul versi 6</del>" in page and "<ins>Judul versi 7</ins>" in page
    # Version 7 moved from Sleman (6) to Kota Yogyakarta (7) and took the campus on as partner: names, not ids.
    assert "<del>Sleman</del></td><td><ins>Kota Yogyakarta</ins>" in page
    assert f"<del>–</del></td><td><ins>{world.other_org.name}</ins>" in page


def test_illegal_transition_answers_409_with_a_message(world, program):
    response = world.client_for(world.tenant_admin).post(url("transition", program.ref), {"to": "completed"})
    assert response.status_code == 409
    assert "tidak dapat diubah menjadi" in response.content.decode()


def test_decision_without_reason_answers_400(world):
    program = make_program(world, status="in_review")
    response = world.client_for(world.tenant_admin).post(url("transition", program.ref), {"to": "approved"})
    assert response.status_code == 400
    assert "Mohon tuliskan alasan" in response.content.decode()


def test_unknown_status_answers_409_not_500(world, program):
    response = world.client_for(world.org_admin).post(url("transition", program.ref), {"to": "nonsense"})
    assert response.status_code == 409


def test_only_drafts_are_deleted(world, program):
    client = world.client_for(world.staff)
    submitted = make_program(world, status="submitted")
    assert client.post(url("delete", submitted.ref)).status_code == 403
    assert client.post(url("delete", program.ref)).status_code == 302
    with scope(tenant=world.tenant):
        assert list(Program.objects.all()) == [submitted]


def test_partner_comments(world):
    program = make_program(world, partners=[world.other_org])
    client = world.client_for(world.colleague)
    client.post(url("comment", program.ref), {"body": "Kami siap menyediakan mentor."})
    assert "Kami siap menyediakan mentor." in client.get(url("detail", program.ref)).content.decode()


def test_form_offers_matching_roadmap_priorities_and_links_them(world, program):
    from roadmap.models import Priority, Roadmap

    with scope(tenant=world.tenant):
        roadmap = Roadmap.objects.create(tenant=world.tenant, title="Peta jalan", start_year=2023, end_year=2027)
        digital = Priority.objects.create(tenant=world.tenant, roadmap=roadmap, title="UMKM go digital",
                                          kinds=["digitalisasi"])
        Priority.objects.create(tenant=world.tenant, roadmap=roadmap, title="Pembiayaan ultra mikro",
                                kinds=["pembiayaan"], sectors=["perdagangan"])
    client = world.client_for(world.staff)
    page = client.get(url("edit", program.ref)).content.decode()
    assert "UMKM go digital" in page and "Pembiayaan ultra mikro" not in page
    client.post(url("edit", program.ref), form_data(world, priorities=[digital.pk], version=program.version))
    with scope(tenant=world.tenant):
        assert list(program.priorities.all()) == [digital]
    listed = client.get(reverse("programs:list", args=["diy"]) + f"?priority={digital.pk}").content.decode()
    assert "Klinik Bisnis Kuliner" in listed and "1 program" in listed
