"""Registry pages: list, search picker, business page, privacy, import page, export."""

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.umkm.conftest import make_business
from umkm.models import Business


def url(name, *args):
    return reverse(f"umkm:{name}", args=["diy", *args])


def test_list_and_prefix_search(world, bakpia):
    make_business(world.tenant, "3404000000002", "Batik Sari")
    client = world.client_for(world.staff)
    with scope(tenant=world.tenant):
        Business.objects.filter(pk=bakpia.pk).update(scale="mikro")
    page = client.get(url("list")).content.decode()
    assert "Bakpia Mas Joko" in page and "Batik Sari" in page
    assert "<td>Mikro</td>" in page and "Kuliner" in page  # sector and scale by their Indonesian labels
    picker = client.get(url("search"), {"q": "bakpia"}).content.decode()
    assert "Kuliner" in picker
    assert "Gunungkidul" in picker  # the row's regency/city (make_business puts it in the first region, 34.03)
    client.cookies["django_language"] = "en"  # the labels follow the reader's language
    assert "<td>Micro</td>" in client.get(url("list")).content.decode()
    page = client.get(url("list"), {"q": "bak"}).content.decode()
    assert "Bakpia Mas Joko" in page and "Batik Sari" not in page
    page = client.get(url("list"), {"q": "3404"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Batik Sari" in page and "Bakpia" not in page and "<html" not in page


def test_list_filters_by_region_and_sector(world, bakpia):
    from stakeholders.models import Region

    with scope(tenant=world.tenant):
        sleman, kota = Region.objects.get(code="34.04"), Region.objects.get(code="34.71")
    make_business(world.tenant, "3404000000002", "Bakpia Sleman", region=sleman)
    make_business(world.tenant, "3404000000003", "Batik Sleman", region=sleman, sector="kriya")
    make_business(world.tenant, "3471000000004", "Bakpia Kota", region=kota)
    client = world.client_for(world.staff)

    def names(**params):
        page = client.get(url("list"), params).content.decode()
        return [n for n in ("Bakpia Mas Joko", "Bakpia Sleman", "Batik Sleman", "Bakpia Kota") if n in page]

    assert names(region="34.04") == ["Bakpia Sleman", "Batik Sleman"]
    assert names(region="34.04", sector="kriya") == ["Batik Sleman"]
    assert names(region="34.04", q="bakpia") == ["Bakpia Sleman"]
    assert "Sleman" in client.get(url("list"), {"region": "34.04"}).content.decode()
    assert names(region="99.99") == names()  # not a choice: the filter is ignored, not a list of region-less rows


def test_search_picker_by_nib_and_name(world, bakpia):
    client = world.client_for(world.staff)
    assert "Bakpia Mas Joko" in client.get(url("search"), {"q": "347100"}).content.decode()
    assert "Bakpia Mas Joko" in client.get(url("search"), {"q": "BAKPIA m"}).content.decode()
    assert "Bakpia" not in client.get(url("search"), {"q": "mas"}).content.decode()


def test_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    for i in range(30):
        make_business(world.tenant, f"34040000000{i:02d}", f"Usaha {i}")
    client = world.client_for(world.staff)
    client.get(url("list"))
    with django_assert_max_num_queries(12):
        page = client.get(url("list")).content.decode()
    assert "Usaha 29" in page


@pytest.mark.parametrize(("who", "sees_contact"), [
    ("tenant_admin", True), ("staff", False), ("colleague", False),
])
def test_contact_details_only_for_admins_and_enrolling_organisations(world, bakpia, who, sees_contact):
    page = world.client_for(getattr(world, who)).get(url("detail", bakpia.nib)).content.decode()
    assert "Bakpia Mas Joko" in page
    assert ("081234567890" in page) is sees_contact
    assert ("joko@bakpia.test" in page) is sees_contact
    assert ("Jl. Pathuk 25" in page) is sees_contact


def test_other_tenant_gets_404(world, bakpia):
    assert world.client_for(world.outsider).get(url("detail", bakpia.nib)).status_code == 404
    # under their own tenant's prefix the NIB simply does not exist
    response = world.client_for(world.outsider).get(reverse("umkm:detail", args=["jateng", bakpia.nib]))
    assert response.status_code == 404


def test_export_hides_personal_data_from_non_admins_and_neutralises_formulas(world, bakpia):
    make_business(world.tenant, "3404000000009", "=HYPERLINK(1)", owner_name="Ani")
    staff_csv = b"".join(world.client_for(world.staff).get(url("export")).streaming_content).decode()
    assert "Bakpia Mas Joko" in staff_csv and "081234567890" not in staff_csv and "owner_name" not in staff_csv
    assert "'=HYPERLINK(1)" in staff_csv
    admin_csv = b"".join(world.client_for(world.tenant_admin).get(url("export")).streaming_content).decode()
    assert "081234567890" in admin_csv and "Joko Susilo" in admin_csv
    xlsx = world.client_for(world.staff).get(url("export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_import_page_preview_then_confirm(world):
    client = world.client_for(world.tenant_admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"nib,name,region\n3471000000001,Gudeg Yu Djum,34.71\n3471000000001,Twice,34.71\n"
    page = client.post(url("import"), {"kind": "businesses", "file": SimpleUploadedFile("u.csv", data)})
    body = page.content.decode()
    assert "NIB yang sama sudah ada di baris 2" in body
    assert "Confirm" not in body and "Konfirmasi" not in body
    data = b"nib,name,region\n3471000000001,Gudeg Yu Djum,34.71\n"
    page = client.post(url("import"), {"kind": "businesses", "file": SimpleUploadedFile("u.csv", data)})
    token = page.context["token"]
    with scope(tenant=world.tenant):
        assert not Business.objects.exists()
    response = client.post(url("import"), {"token": token, "kind": "businesses"})
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        assert Business.objects.get().name == "Gudeg Yu Djum"
    # the token is spent
    client.post(url("import"), {"token": token, "kind": "businesses"})
    with scope(tenant=world.tenant):
        assert Business.objects.count() == 1


def test_import_page_refuses_plain_staff(world):
    assert world.client_for(world.staff).get(url("import")).status_code == 403


def test_outcome_report_form_and_consent(world, bakpia):
    client = world.client_for(world.tenant_admin)
    response = client.post(url("outcome_add", bakpia.nib), {"date": "2025-03-01", "annual_sales": "2500000000",
                                                           "employees": "4", "qris": "on", "still_active": "on"})
    assert response.status_code == 302
    bakpia.refresh_from_db()
    assert bakpia.scale == "kecil"
    client.post(url("consent", bakpia.nib))
    page = client.get(url("detail", bakpia.nib)).content.decode()
    assert "Dewi Lestari" in page  # who recorded the consent
    assert world.client_for(world.colleague).post(url("consent", bakpia.nib)).status_code == 403


def test_outcome_form_offers_only_the_business_programs(world, bakpia):
    from tests.programs.conftest import make_program
    from umkm.services import enroll_by_nibs

    taken = make_program(world, status="running", title="Program yang diikuti")
    make_program(world, status="running", title="Program lain")
    with scope(tenant=world.tenant):
        enroll_by_nibs(program=taken, nibs=[bakpia.nib])
    client = world.client_for(world.staff)  # the enrolling organisation may report
    form = client.get(url("outcome_add", bakpia.nib)).context["form"]
    assert [p.pk for p in form.fields["program"].queryset] == [taken.pk]
    response = client.post(url("outcome_add", bakpia.nib), {"date": "2025-03-12", "program": taken.pk,
                                                           "annual_sales": "150000000", "still_active": "on"})
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        assert bakpia.outcome_reports.get().program == taken


def test_register_and_correct_a_business_in_the_portal(world, bakpia):
    from tests.programs.conftest import make_program
    from umkm.services import enroll_by_nibs

    admin = world.client_for(world.tenant_admin)
    page = admin.post(url("create"), {"nib": "3404000000077", "name": "=cmd|' /C calc'!A0", "sector": "kuliner",
                                      "annual_sales": "-5"})
    errors = page.context["form"].errors
    assert set(errors) == {"name", "annual_sales"}  # a formula in a name, negative money: nothing saved
    assert admin.post(url("create"), {"nib": bakpia.nib, "name": "Dobel"}).context["form"].errors["nib"]
    response = admin.post(url("create"), {"nib": "3404000000077", "name": "Geplak Bu Tini", "sector": "kuliner",
                                          "kbli": "10792", "annual_sales": "2000000001"})
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        created = Business.objects.get(nib="3404000000077")
    assert (created.scale, created.scale_basis) == ("kecil", "sales")
    # plain staff: no registering; correcting only the businesses their organisation enrolled
    staff = world.client_for(world.staff)
    assert staff.get(url("create")).status_code == 403
    assert staff.get(url("edit", bakpia.nib)).status_code == 403
    program = make_program(world, status="running")
    with scope(tenant=world.tenant):
        enroll_by_nibs(program=program, nibs=[bakpia.nib])
    response = staff.post(url("edit", bakpia.nib), {"nib": "9999999999999", "name": "Bakpia Mas Joko 25",
                                                    "capital": "1000000000"})
    assert response.status_code == 302
    bakpia.refresh_from_db()
    assert bakpia.nib == "3471000000001" and bakpia.name == "Bakpia Mas Joko 25"  # the NIB stays
    assert bakpia.owner_name == ""  # a full form: what was left empty is empty
    assert world.client_for(world.colleague).get(url("edit", bakpia.nib)).status_code == 403
    assert world.client_for(world.outsider).get(url("edit", bakpia.nib)).status_code == 404  # tenant B


def test_registering_an_nib_someone_else_registered_a_moment_ago_is_a_form_error(world, monkeypatch):
    """The race between the form's "already in the registry" check and the save: a message on the form, no 500."""
    from umkm.forms import BusinessForm

    checked = BusinessForm.clean_nib

    def someone_else_registers_it_now(form):
        nib = checked(form)  # the check passed: nobody had the NIB yet
        make_business(world.tenant, nib, "Gudeg Yu Djum")
        return nib

    monkeypatch.setattr(BusinessForm, "clean_nib", someone_else_registers_it_now)
    response = world.client_for(world.tenant_admin).post(url("create"), {"nib": "3404000000077", "name": "Gudeg Kedua"})
    assert response.status_code == 200
    assert "NIB 3404000000077 baru saja didaftarkan oleh orang lain, atas nama Gudeg Yu Djum." in \
        response.content.decode()
    with scope(tenant=world.tenant):
        assert list(Business.objects.values_list("nib", "name")) == [("3404000000077", "Gudeg Yu Djum")]
    monkeypatch.undo()  # without the race, the same form registers the business
    response = world.client_for(world.tenant_admin).post(url("create"), {"nib": "3404000000078", "name": "Gudeg Tiga"})
    assert response.status_code == 302 and response["Location"] == url("detail", "3404000000078")
