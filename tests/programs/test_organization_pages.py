"""Programs on the stakeholders pages: the directory's kind-of-assistance filter and an organisation's programs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.programs.conftest import make_program

pytestmark = pytest.mark.django_db


def directory(client, **params):
    return client.get(reverse("stakeholders:directory", args=["diy"]), params).content.decode()


def org_page(client, org):
    return client.get(reverse("stakeholders:organization", args=["diy", org.pk])).content.decode()


def test_directory_filters_by_kind_of_assistance(world):
    make_program(world, owner=world.org, status="submitted", kinds=["pembiayaan"], title="Kredit Usaha Rakyat")
    make_program(world, owner=world.other_org, status="approved", kinds=["pelatihan"], title="Kelas Ekspor")
    client = world.client_for(world.staff)
    page = directory(client)
    assert 'name="kind"' in page and "Akses Pembiayaan" in page
    finance = directory(client, kind="pembiayaan")
    assert world.org.name in finance and world.other_org.name not in finance
    training = directory(client, kind="pelatihan", helix="campus")
    assert world.other_org.name in training and world.org.name not in training
    # the helix pills keep the kind filter, and count only what it shows
    assert "kind=pelatihan" in training
    pill = '<a href="?helix=government&amp;kind=pelatihan">Pemerintah</a>\n      <span class="count">0</span>'
    assert pill in training
    # an unknown kind shows everything instead of failing
    everything = directory(client, kind="sulap")
    assert world.org.name in everything and world.other_org.name in everything


def test_kind_filter_does_not_reveal_another_organisations_draft(world):
    make_program(world, owner=world.org, status="draft", kinds=["sertifikasi"], title="Rahasia Dapur")
    outsider_view = directory(world.client_for(world.colleague), kind="sertifikasi")
    assert world.org.name not in outsider_view
    assert world.org.name in directory(world.client_for(world.staff), kind="sertifikasi")


def test_organisation_page_lists_its_programs_and_partnerships(world):
    make_program(world, owner=world.org, status="approved", title="Pendampingan Halal Sleman")
    make_program(world, owner=world.org, status="draft", title="Draf Belum Diajukan")
    make_program(world, owner=world.other_org, status="running", title="Kelas Bersama Kampus",
                 partners=[world.org])
    colleague = org_page(world.client_for(world.colleague), world.org)
    assert "Pendampingan Halal Sleman" in colleague and "Disetujui" in colleague
    assert "Draf Belum Diajukan" not in colleague  # another organisation's draft stays hidden
    assert "Kelas Bersama Kampus" in colleague and "Sebagai mitra" in colleague
    own = org_page(world.client_for(world.staff), world.org)
    assert "Draf Belum Diajukan" in own
    assert "Kelas Bersama Kampus" in org_page(world.client_for(world.staff), world.other_org)


@pytest.mark.parametrize("page", ["organization", "directory"])
def test_program_hooks_keep_pages_constant_in_queries(world, page):
    client = world.client_for(world.colleague)
    url = (reverse("stakeholders:organization", args=["diy", world.org.pk]) if page == "organization"
           else reverse("stakeholders:directory", args=["diy"]) + "?kind=pelatihan")

    def measure():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        return len(queries), body

    # both measurements past the ten shown, so both count the rest
    for i in range(11):
        make_program(world, owner=world.org, status="approved", title=f"Program Uji {i:02}",
                     partners=[world.other_org])
    small, _ = measure()
    for i in range(11, 30):
        make_program(world, owner=world.org, status="approved", title=f"Program Uji {i:02}",
                     partners=[world.other_org])
    large, body = measure()
    assert large == small
    if page == "organization":
        assert body.count("Program Uji") == 10 and "Semua 30 program lembaga ini" in body
