"""The tenant home dashboard: key figures and breakdowns computed from programs, own tasks, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from programs.models import Program


def make_programs(world, n, status="running", owner=None, kinds=("pelatihan",)):
    with scope(tenant=world.tenant):
        existing = Program.objects.count()
        Program.objects.bulk_create([
            Program(tenant=world.tenant, ref=f"PRG-T-{existing + i:05d}", owner=owner or world.org,
                    title=f"Program {existing + i}", kinds=list(kinds), sectors=["kuliner"], status=status,
                    start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 11, 30),
                    target_umkm=10, budget_idr=1_000_000)
            for i in range(n)])


def test_home_shows_figures_breakdowns_and_keeps_the_welcome(plan, world):
    make_programs(world, 3, "running")
    make_programs(world, 2, "submitted", owner=world.other_org, kinds=("digitalisasi", "pelatihan"))
    make_programs(world, 4, "draft")
    page = world.client_for(world.staff).get("/diy/").content.decode()
    assert "Selamat datang" in page and "Lembaga Anda" in page
    assert "Program terdaftar" in page
    # 5 non-draft programs; 3 running with 10 target UMKM each and Rp1.000.000 each.
    assert "<dd>5</dd>" in page and "<dd>30</dd>" in page and "Rp3.000.000" in page
    assert '<th scope="row">Pelatihan</th><td class="num">5</td>' in page
    assert '<th scope="row">Digitalisasi</th><td class="num">2</td>' in page
    assert '<th scope="row">Kampus / Akademisi</th><td class="num">2</td>' in page
    assert "<svg" in page
    assert "Sertifikasi halal" in page  # the current roadmap's priorities


def test_own_tasks_show_programs_needing_revision(world):
    make_programs(world, 1, "needs_revision")
    make_programs(world, 1, "needs_revision", owner=world.other_org)
    page = world.client_for(world.staff).get("/diy/").content.decode()
    assert "Tugas Anda" in page
    assert page.count("Perlu Revisi</span>") == 1


def test_dashboard_csv(world):
    make_programs(world, 2, "approved")
    text = world.client_for(world.staff).get(reverse("roadmap:dashboard_csv", args=["diy"])).content.decode()
    assert "status,approved,Disetujui,2" in text


@pytest.mark.parametrize("who", ["staff", "tenant_admin"])
def test_home_query_count_does_not_grow_with_programs(plan, world, who):
    client = world.client_for(getattr(world, who))
    make_programs(world, 10)
    client.get("/diy/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/diy/").status_code == 200
    make_programs(world, 190, "needs_revision")
    with CaptureQueriesContext(connection) as large:
        assert client.get("/diy/").status_code == 200
    assert len(large) == len(small)


def test_open_overlap_flags_of_own_programs_are_tasks(world):
    from programs.overlap_models import OverlapFlag

    make_programs(world, 1, "submitted")
    make_programs(world, 1, "submitted", owner=world.other_org)
    with scope(tenant=world.tenant):
        a, b = Program.objects.order_by("pk")
        flag = OverlapFlag.objects.create(
            tenant=world.tenant, program_a=a, program_b=b, score=0.8,
            reasons=[{"code": "same_region", "params": {"regions": "Sleman"}}])
    page = world.client_for(world.staff).get("/diy/").content.decode()
    assert "Peringatan tumpang tindih yang perlu ditindaklanjuti" in page
    flags = page.split('id="tasks-flags"')[1].split("</div>")[0]
    # Both programs by reference and title, linked; the score and the reasons in words; where to answer.
    assert f'href="/diy/program/{a.ref}/">{a.ref} {a.title}</a>' in flags
    assert f'href="/diy/program/{b.ref}/">{b.ref} {b.title}</a>' in flags
    assert "Kemiripan 80%" in flags and "wilayah sama: Sleman" in flags
    assert f'href="/diy/program/{a.ref}/tumpang-tindih/{flag.pk}/"' in flags
    assert " ~ " not in flags
    with scope(tenant=world.tenant):
        OverlapFlag.objects.update(status="resolved")
    page = world.client_for(world.staff).get("/diy/").content.decode()
    assert f'href="/diy/program/{a.ref}/">{a.ref}' not in page.split('id="tasks-flags"')[1].split("</div>")[0]


def test_the_budget_figure_is_short_enough_for_its_card(world):
    make_programs(world, 1, "approved")
    with scope(tenant=world.tenant):
        Program.objects.update(budget_idr=1_180_000_000)
    page = world.client_for(world.staff).get("/diy/").content.decode()
    assert '<dd title="Rp1.180.000.000">Rp1,18 miliar</dd>' in page


@pytest.mark.parametrize(("amount", "id_text", "en_text"), [
    (None, "–", "–"), (999_999, "Rp999.999", "Rp999,999"), (45_000_000, "Rp45 juta", "Rp45 million"),
    (1_180_000_000, "Rp1,18 miliar", "Rp1.18 billion"), (100_000_000_000, "Rp100 miliar", "Rp100 billion"),
    (2_500_000_000_000, "Rp2,5 triliun", "Rp2.5 trillion"),
])
def test_rupiah_short(amount, id_text, en_text):
    from django.utils import translation

    from satusama.templatetags.satusama import rupiah_short

    with translation.override("id"):
        assert rupiah_short(amount) == id_text
    with translation.override("en"):
        assert rupiah_short(amount) == en_text


def test_forum_tasks_coming_meetings_and_review_queues(world):
    from tests.forums.conftest import ForumWorld

    fw = ForumWorld(world)
    meeting = fw.meeting(title="Rapat Koordinasi Maret")
    past = fw.meeting(title="Rapat yang sudah lewat", days=1)
    with scope(tenant=world.tenant):
        type(past).objects.filter(pk=past.pk).update(starts_at=past.starts_at - datetime.timedelta(days=4))
    fw.meeting(fw.gunungkidul, title="Rapat Forum Gunungkidul")
    fw.program(regions=("34.04",))
    fw.program(regions=("34.04",))
    fw.program(regions=("34.04", "34.71"))  # several regions: the provincial forum's queue

    def section(user, key):
        page = world.client_for(user).get("/diy/").content.decode()
        return page.split(f'id="tasks-{key}"')[1].split("</div>")[0] if f'id="tasks-{key}"' in page else None

    # The secretary runs the Sleman forum: its queue and its coming meeting, not the past one or Gunungkidul's.
    queues = section(fw.secretary, "queues")
    assert f'href="/diy/forum/{fw.sleman.pk}/antrean/">Forum Koordinasi SATUSAMA Kabupaten Sleman</a>' in queues
    assert "2 program diajukan menunggu dimasukkan ke agenda rapat" in queues
    meetings = section(fw.secretary, "meetings")
    assert f'href="/diy/forum/rapat/{meeting.pk}/">{meeting.number} Rapat Koordinasi Maret</a>' in meetings
    assert "sudah lewat" not in meetings and "Gunungkidul" not in meetings
    # A forum member sees the meeting but runs no queue; someone outside the forum sees neither.
    assert "Rapat Koordinasi Maret" in section(world.staff, "meetings") and section(world.staff, "queues") is None
    assert "Rapat Koordinasi Maret" not in section(world.colleague, "meetings")
    # The provincial Dinas sees every forum's coming meetings.
    assert "Rapat Forum Gunungkidul" in section(world.tenant_admin, "meetings")
