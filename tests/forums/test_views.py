"""Forum pages by persona: secretary and chair edit, members read, others 404; tenant admins see all."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from forums import services
from forums.models import AgendaItem, Meeting


def persona(fw, name):
    w = fw.world
    return {"secretary": fw.secretary, "chair": fw.chair, "member": fw.member, "tenant_admin": w.tenant_admin,
            "non_member": w.colleague, "other_tenant": w.outsider}[name]


READ = {"secretary": 200, "chair": 200, "member": 200, "tenant_admin": 200, "non_member": 404, "other_tenant": 404}
WRITE = {"secretary": 302, "chair": 302, "member": 403, "tenant_admin": 403, "non_member": 404, "other_tenant": 404}


@pytest.mark.parametrize("who", list(READ))
def test_reading_a_meeting(fw, who):
    meeting = fw.meeting(title="Rapat Pleno Forum Sleman")
    client = fw.world.client_for(persona(fw, who))
    for url in (f"/diy/forum/{fw.sleman.pk}/", f"/diy/forum/rapat/{meeting.pk}/",
                f"/diy/forum/rapat/{meeting.pk}/rapat.ics"):
        response = client.get(url)
        assert response.status_code == READ[who], (url, who)
        if READ[who] == 404:
            assert b"Rapat Pleno Forum Sleman" not in response.content


@pytest.mark.parametrize("who", list(WRITE))
def test_adding_an_agenda_item(fw, who):
    meeting = fw.meeting()
    response = fw.world.client_for(persona(fw, who)).post(
        f"/diy/forum/rapat/{meeting.pk}/agenda/", {"title": "Evaluasi pameran UMKM"})
    assert response.status_code == WRITE[who]
    with scope(tenant=fw.world.tenant):
        added = AgendaItem.objects.filter(title="Evaluasi pameran UMKM").exists()
    assert added is (WRITE[who] == 302)


def test_forum_list_shows_only_visible_forums(fw):
    page = fw.world.client_for(fw.member).get("/diy/forum/").content.decode()
    assert "Forum Koordinasi SATUSAMA Kabupaten Sleman" in page
    assert "Gunungkidul" not in page  # not a member there
    admin_page = fw.world.client_for(fw.world.tenant_admin).get("/diy/forum/").content.decode()
    assert "Gunungkidul" in admin_page and "Forum Koordinasi SATUSAMA DIY" in admin_page


def test_meeting_page_query_count_does_not_grow_with_the_agenda(fw, django_assert_num_queries):
    meeting = fw.meeting()
    client = fw.world.client_for(fw.secretary)
    client.get(f"/diy/forum/rapat/{meeting.pk}/")
    with scope(tenant=fw.world.tenant):
        for n in range(3):
            services.agenda_add_topic(meeting=meeting, title=f"Topik {n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(f"/diy/forum/rapat/{meeting.pk}/")
    with scope(tenant=fw.world.tenant):
        for n in range(10):
            services.agenda_add_topic(meeting=meeting, title=f"Topik lain {n}")
            services.invitee_add(meeting=meeting, name=f"Tamu {n}")
    with CaptureQueriesContext(connection) as large:
        page = client.get(f"/diy/forum/rapat/{meeting.pk}/").content.decode()
    assert "Topik lain 9" in page and "Tamu 9" in page
    assert len(large.captured_queries) == len(small.captured_queries)


def test_secretary_puts_programs_from_the_queue_on_the_agenda(fw):
    waiting = fw.program(title="Pelatihan Pemasaran Digital bagi UMKM Kuliner")
    fw.program(regions=("34.04", "34.71"), title="Pameran Produk Lintas Kabupaten")  # provincial forum's
    meeting = fw.meeting()
    client = fw.world.client_for(fw.secretary)
    page = client.get(f"/diy/forum/{fw.sleman.pk}/antrean/").content.decode()
    assert waiting.ref in page and "Pameran Produk Lintas Kabupaten" not in page
    response = client.post(f"/diy/forum/{fw.sleman.pk}/antrean/", {"meeting": meeting.pk, "program": [waiting.pk]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "in_review"
    page = client.get(f"/diy/forum/rapat/{meeting.pk}/").content.decode()
    assert "Pelatihan Pemasaran Digital bagi UMKM Kuliner" in page and "Ditinjau Forum" in page
    # the queue is for officers only
    assert fw.world.client_for(fw.member).get(f"/diy/forum/{fw.sleman.pk}/antrean/").status_code == 403


def test_a_refusal_is_shown_and_changes_nothing(fw):
    meeting = fw.meeting()
    client = fw.world.client_for(fw.secretary)
    response = client.post(f"/diy/forum/rapat/{meeting.pk}/ubah/", {
        "title": "Digeser", "starts_at": (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (timezone.localtime() - timedelta(days=2, hours=-2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Aula",
    }, follow=True)
    assert "sudah lewat" in response.content.decode()
    with scope(tenant=fw.world.tenant):
        assert Meeting.objects.get(pk=meeting.pk).title == "Rapat Koordinasi Program"


def test_self_check_in_by_link_during_the_meeting(fw):
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5),
                                                     ends_at=timezone.now() + timedelta(hours=1))
    url = f"/diy/forum/rapat/{meeting.pk}/check-in/{meeting.checkin_code}/"
    secretary_page = fw.world.client_for(fw.secretary).get(f"/diy/forum/rapat/{meeting.pk}/").content.decode()
    assert "<svg" in secretary_page and url in secretary_page  # the QR code and its link
    client = fw.world.client_for(fw.world.colleague)  # not invited: a walk-in with the code
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert "kehadiran Anda sudah tercatat" in response.content.decode()
    assert client.get(f"/diy/forum/rapat/{meeting.pk}/check-in/salah/").status_code == 404
    with scope(tenant=fw.world.tenant):
        assert list(meeting.attendances.values_list("full_name", "method")) == [("Arif Nugroho", "self")]


def test_review_queue_query_count_does_not_grow_with_the_programs(fw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.models import OverlapFlag

    client = fw.world.client_for(fw.secretary)
    first = fw.program(title="Pelatihan Pemasaran Digital bagi UMKM Kuliner")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/diy/forum/{fw.sleman.pk}/antrean/")
    more = [fw.program(title=f"Klinik Bisnis Sleman {n}") for n in range(6)]
    with scope(tenant=fw.world.tenant):
        for other in more[:2]:
            OverlapFlag.objects.create(tenant=fw.world.tenant, program_a=first, program_b=other, score=0.7)
    with CaptureQueriesContext(connection) as large:
        page = client.get(f"/diy/forum/{fw.sleman.pk}/antrean/").content.decode()
    assert "Klinik Bisnis Sleman 5" in page
    assert "2 peringatan tumpang tindih terbuka" in page  # the first program's two open flags
    assert page.count("1 peringatan tumpang tindih terbuka") == 2
    assert len(large.captured_queries) == len(small.captured_queries)


def test_secretary_invites_a_guest_and_a_nameless_one_is_refused(fw):
    meeting = fw.meeting()
    client = fw.world.client_for(fw.secretary)
    url = f"/diy/forum/rapat/{meeting.pk}/undangan/"
    page = client.post(url, {"name": "", "organization_name": "Pers"}, follow=True).content.decode()
    assert "Isi nama undangan." in page
    client.post(url, {"name": "Wahyu Prasetyo", "organization_name": "Radio Komunitas", "email": "wahyu@radio.test"})
    with scope(tenant=fw.world.tenant):
        guests = list(meeting.invitees.filter(organization_name__in=["Pers", "Radio Komunitas"])
                      .values_list("full_name", "email"))
    assert guests == [("Wahyu Prasetyo", "wahyu@radio.test")]
    assert fw.world.client_for(fw.member).post(url, {"name": "Tamu"}).status_code == 403


def test_secretary_sends_the_invitation_by_email(fw, django_capture_on_commit_callbacks):
    from django.core import mail

    meeting = fw.meeting(title="Rapat Peninjauan Program")
    with scope(tenant=fw.world.tenant):
        services.agenda_add_topic(meeting=meeting, title="Evaluasi pameran UMKM")
    client = fw.world.client_for(fw.secretary)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/diy/forum/rapat/{meeting.pk}/kirim-undangan/")
    assert response.status_code == 302
    assert {m.to[0] for m in mail.outbox} == {"sekretaris@satusama.test", "kepala@satusama.test",
                                               "staf@satusama.test"}
    message = mail.outbox[0]
    assert meeting.number in message.subject and "Rapat Peninjauan Program" in message.subject
    assert "1. Evaluasi pameran UMKM" in message.body and f"/diy/forum/rapat/{meeting.pk}/" in message.body
    # members read the meeting but do not send its invitation
    assert fw.world.client_for(fw.member).post(f"/diy/forum/rapat/{meeting.pk}/kirim-undangan/").status_code == 403


def test_meeting_page_counts_invitation_mails_being_processed_and_sent(fw, django_capture_on_commit_callbacks):
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        for n in range(3):
            services.invitee_add(meeting=meeting, name=f"Tamu {n}", email=f"tamu{n}@lembaga.id")
        invited = meeting.invitees.exclude(email="").count()
    client = fw.world.client_for(fw.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/diy/forum/rapat/{meeting.pk}/kirim-undangan/")
    page = client.get(f"/diy/forum/rapat/{meeting.pk}/").content.decode()
    assert f"Undangan e-mail: {invited} terkirim, 0 sedang diproses" in page
    # Sent again: each invitee counts once, by their newest e-mail; the broker took all but one (e.g. Redis down).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/diy/forum/rapat/{meeting.pk}/kirim-undangan/")
    assert len(callbacks) == invited >= 3
    for callback in callbacks[:-1]:
        callback()
    page = client.get(f"/diy/forum/rapat/{meeting.pk}/").content.decode()
    assert f"Undangan e-mail: {invited - 1} terkirim, 1 sedang diproses" in page
