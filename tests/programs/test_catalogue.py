"""The public catalogue: open to anyone, shows only approved/running programs still open to join, filters."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import make_program, query_counts

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=30)
LATER = TODAY + datetime.timedelta(days=90)


def catalogue_url(query=""):
    return reverse("programs:catalogue", args=["diy"]) + (f"?{query}" if query else "")


def open_program(world, title, **fields):
    values = {"status": "approved", "open_for_participants": True, "start_date": SOON, "end_date": LATER,
              "how_to_join": "Isi formulir di balai desa.", "registration_deadline": SOON}
    values.update(fields)
    return make_program(world, title=title, **values)


@pytest.fixture
def programs(world):
    return {
        "halal": open_program(world, "Sertifikasi Halal Bakpia Kota", kinds=["sertifikasi"], sectors=["kuliner"],
                              regions=("34.71",), owner=world.other_org, contact_phone="0812-3456-7890"),
        "running": open_program(world, "Kelas Batik Gunungkidul Berjalan", status="running", kinds=["pelatihan"],
                                sectors=["kriya"], regions=("34.03",), start_date=TODAY - datetime.timedelta(10),
                                registration_deadline=None),
        "general": open_program(world, "Klinik Pembukuan Lintas Sektor", kinds=["pembiayaan"], sectors=["umum"],
                                regions=("34.04", "34.71")),
        # Never listed:
        "closed": open_program(world, "Program Tertutup", open_for_participants=False),
        "submitted": open_program(world, "Program Masih Diajukan", status="submitted"),
        "draft": open_program(world, "Program Draf Rahasia", status="draft"),
        "rejected": open_program(world, "Program Ditolak", status="rejected"),
        "completed": open_program(world, "Program Sudah Selesai", status="completed"),
        "over": open_program(world, "Program Sudah Lewat", start_date=TODAY - datetime.timedelta(60),
                             end_date=TODAY - datetime.timedelta(1), registration_deadline=None),
        "deadline": open_program(world, "Pendaftaran Sudah Tutup", registration_deadline=TODAY - datetime.timedelta(1)),
    }


def shown(page, programs):
    return {key for key, p in programs.items() if p.title in page}


def test_anonymous_visitor_sees_only_open_approved_and_running_programs(world, programs):
    response = Client().get(catalogue_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert shown(page, programs) == {"halal", "running", "general"}
    assert "3 program terbuka untuk peserta" in page
    # What an UMKM owner needs to act: organiser, dates, how to join and whom to call.
    assert "Universitas Contoh Yogyakarta" in page and "Isi formulir di balai desa." in page
    assert 'href="tel:081234567890"' in page and "Kota Yogyakarta" in page


def test_the_rest_of_the_tenant_still_needs_a_login(world, programs):
    client = Client()
    for name, args in [("list", []), ("timeline", []), ("detail", [programs["halal"].ref]), ("export", [])]:
        response = client.get(reverse(f"programs:{name}", args=["diy", *args]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_unknown_tenant_is_404(db):
    assert Client().get("/nowhere/katalog/").status_code == 404


def test_other_tenants_programs_are_not_in_the_catalogue(world, programs):
    page = Client().get(reverse("programs:catalogue", args=["jateng"])).content.decode()
    assert shown(page, programs) == set()
    assert "0 program terbuka untuk peserta" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=34.71", {"halal", "general"}),
        ("region=34.03", {"running"}),
        # A program for all sectors ("umum") suits a culinary business too.
        ("sector=kuliner", {"halal", "general"}),
        ("sector=kriya", {"running", "general"}),
        ("kind=sertifikasi", {"halal"}),
        ("region=34.71&sector=kuliner&kind=sertifikasi", {"halal"}),
        ("q=bakpia", {"halal"}),
        ("q=universitas+contoh", {"halal"}),
        ("q=tidak-ada-yang-cocok", set()),
        # An unknown code drops that filter only.
        ("region=99.99&kind=pelatihan", {"running"}),
        ("sector=bogus", {"halal", "running", "general"}),
    ],
)
def test_filters(world, programs, query, expected):
    page = Client().get(catalogue_url(query)).content.decode()
    assert shown(page, programs) == expected


def test_htmx_request_gets_the_results_fragment(world, programs):
    response = Client().get(catalogue_url("kind=sertifikasi"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "Sertifikasi Halal Bakpia Kota" in page
    assert "Kelas Batik" not in page


def test_filters_stay_in_the_pagination_links(world):
    for i in range(25):
        open_program(world, f"Pelatihan Nomor {i:02d}", kinds=["pelatihan"], regions=("34.03",))
    client = Client()
    first = client.get(catalogue_url("kind=pelatihan")).content.decode()
    assert "?kind=pelatihan&amp;page=2" in first
    second = client.get(catalogue_url("kind=pelatihan&page=2")).content.decode()
    assert "Halaman 2 dari 2" in second and second.count('class="card catalogue-item"') == 5


def test_english_visitor_reads_english(world, programs):
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(catalogue_url()).content.decode()
    assert "Program catalogue" in page and "3 programs open for participants" in page
    assert "How to join" in page


def test_login_page_and_members_menu_link_the_catalogue(world, programs):
    assert catalogue_url() in Client().get("/accounts/login/").content.decode()
    assert catalogue_url() in Client().get("/").content.decode()
    assert catalogue_url() in world.client_for(world.staff).get("/diy/").content.decode()


def test_query_count_is_the_same_for_10_and_60_programs(world):
    counts = query_counts(Client(), catalogue_url("sector=kuliner"), lambda i: open_program(
        world, f"Klinik Usaha {i}", regions=("34.04", "34.71"), partners=[world.other_org]))
    assert counts[10] == counts[60], counts
    assert counts[10] <= 6, counts
