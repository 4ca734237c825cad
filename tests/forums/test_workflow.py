"""Forums and programs: the routing rule, agenda → in_review, decisions moving programs, refusals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from forums import services
from forums.documents import minutes_snapshot
from forums.models import AgendaItem, Decision, Meeting
from forums.routing import forum_for_program, routed_to
from programs.models import OverlapFlag, Program, ProgramEvent


def test_routing_rule_single_region_to_its_forum_multi_region_to_the_province(fw):
    single = fw.program(regions=("34.04",))
    multi = fw.program(regions=("34.04", "34.71"), title="Pameran Produk UMKM DIY")
    elsewhere = fw.program(regions=("34.03",), title="Klinik Bisnis Gunungkidul")
    with scope(tenant=fw.world.tenant):
        assert forum_for_program(single) == fw.sleman
        assert forum_for_program(multi) == fw.province
        assert forum_for_program(elsewhere) == fw.gunungkidul
        # the SQL form of the rule agrees with the Python form
        programs = Program.objects.all()
        assert set(routed_to(fw.sleman, programs)) == {single}
        assert set(routed_to(fw.province, programs)) == {multi}
        assert set(routed_to(fw.gunungkidul, programs)) == {elsewhere}


def test_meeting_numbers_count_per_forum_and_year(fw):
    first = fw.meeting()
    second = fw.meeting(days=14)
    other_forum = fw.meeting(fw.province)
    year = timezone.localtime(first.starts_at).year
    assert first.number == f"01/FK-SLM/{year}"
    assert second.number == f"02/FK-SLM/{year}"
    assert other_forum.number == f"01/FK-DIY/{year}"


def test_meeting_in_the_past_is_refused_and_nothing_is_created(fw):
    with pytest.raises(services.ForumError, match="sudah lewat"):
        fw.meeting(days=-1)
    with scope(tenant=fw.world.tenant):
        assert Meeting.objects.count() == 0


def test_members_are_invited_when_a_meeting_is_planned(fw):
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        names = set(meeting.invitees.values_list("full_name", flat=True))
    assert names == {"Budi Santoso", "Kepala Bidang", "Rina Wulandari"}


def test_putting_a_program_on_the_agenda_moves_it_to_in_review(fw):
    program = fw.program()
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        [item] = services.agenda_add_programs(meeting=meeting, programs=[program], by=fw.secretary)
        program.refresh_from_db()
        event = program.events.latest("at")
    assert item.kind == AgendaItem.Kind.PROGRAM and item.title == program.title
    assert program.status == "in_review"
    assert (event.from_status, event.to_status, event.by_forum) == ("submitted", "in_review", True)
    assert meeting.number in event.reason


def test_agenda_items_move_up_and_down_renumbered_and_not_in_a_closed_meeting(fw):
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        a, b, c = (services.agenda_add_topic(meeting=meeting, title=t) for t in ("A", "B", "C"))
        AgendaItem.objects.filter(pk=a.pk).update(position=5)  # a gap, as deletions leave
        services.agenda_move(item=c, up=True)

        def order():
            return list(meeting.agenda_items.order_by("position").values_list("title", "position"))

        assert order() == [("C", 1), ("B", 2), ("A", 3)]
        services.agenda_move(item=c, up=True)  # already first: nothing moves
        services.agenda_move(item=b, up=False)
        assert order() == [("C", 1), ("A", 2), ("B", 3)]
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
        meeting.refresh_from_db()
        with pytest.raises(services.ForumError):
            services.agenda_move(item=AgendaItem.objects.get(pk=a.pk), up=True)
        assert order() == [("C", 1), ("A", 2), ("B", 3)]


def test_a_program_of_another_forum_is_refused_and_nothing_changes(fw):
    ours = fw.program()
    theirs = fw.program(regions=("34.03",), title="Klinik Bisnis Gunungkidul")
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        with pytest.raises(services.ForumError, match="Gunungkidul"):
            services.agenda_add_programs(meeting=meeting, programs=[ours, theirs], by=fw.secretary)
        assert meeting.agenda_items.count() == 0
        ours.refresh_from_db()
        assert ours.status == "submitted"
        assert ProgramEvent.objects.count() == 0


def _on_agenda(fw, **program_fields):
    program = fw.program(**program_fields)
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        [item] = services.agenda_add_programs(meeting=meeting, programs=[program], by=fw.secretary)
    return program, meeting, item


@pytest.mark.parametrize(("outcome", "status"), [
    ("approve", "approved"), ("needs_revision", "needs_revision"), ("reject", "rejected"),
])
def test_a_decision_moves_the_program_with_an_event_naming_the_meeting(
        fw, outcome, status, django_capture_on_commit_callbacks):
    program, meeting, item = _on_agenda(fw, contact_email="rina@sleman.test")
    mail.outbox.clear()
    with scope(tenant=fw.world.tenant), django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_record(item=item, by=fw.secretary, outcome=outcome,
                                            conditions="Libatkan Universitas Contoh", reason="Dibahas bersama")
        program.refresh_from_db()
    assert program.status == status
    event = decision.program_event
    assert event.program_id == program.pk and event.to_status == status and event.by_forum
    assert meeting.number in event.reason and "Dibahas bersama" in event.reason
    [message] = mail.outbox
    assert message.to == ["rina@sleman.test"] and program.ref in message.subject


def test_a_decision_on_a_program_with_an_open_overlap_flag_is_refused(fw):
    program, meeting, item = _on_agenda(fw)
    other = fw.program(title="Workshop Jualan Online untuk Usaha Makanan", owner=fw.world.other_org)
    with scope(tenant=fw.world.tenant):
        a, b = sorted([program, other], key=lambda p: p.pk)
        flag = OverlapFlag.objects.create(tenant=fw.world.tenant, program_a=a, program_b=b, score=0.8)
        for outcome in ("approve", "reject"):
            with pytest.raises(services.ForumError, match="tumpang tindih"):
                services.decision_record(item=item, by=fw.secretary, outcome=outcome, reason="Duplikasi")
        program.refresh_from_db()
        assert program.status == "in_review"
        assert not Decision.objects.exists()
        # once the owners answer the flag, the forum decides, and the minutes say how the overlap was settled
        flag.status, flag.resolution, flag.note = "resolved", "differentiate", "Sasaran dibedakan: kuliner basah"
        flag.save()
        services.decision_record(item=item, by=fw.secretary, outcome="approve")
        [overlap] = next(i for i in minutes_snapshot(meeting)["items"] if i["id"] == item.pk)["overlaps"]
    assert overlap == {"other_ref": other.ref, "other_title": other.title, "status": "resolved",
                       "resolution": "differentiate", "note": "Sasaran dibedakan: kuliner basah"}


def test_a_second_decision_on_the_same_item_is_refused_and_changes_nothing(fw):
    program, meeting, item = _on_agenda(fw)
    with scope(tenant=fw.world.tenant):
        services.decision_record(item=item, by=fw.secretary, outcome="approve")
        with pytest.raises(services.ForumError, match="sudah"):
            services.decision_record(item=AgendaItem.objects.get(pk=item.pk), by=fw.secretary, outcome="reject",
                                     reason="Berubah pikiran")
        program.refresh_from_db()
        assert program.status == "approved"
        assert Decision.objects.get().outcome == "approve"


def test_a_decision_other_than_approval_needs_a_reason(fw):
    program, meeting, item = _on_agenda(fw)
    with scope(tenant=fw.world.tenant), pytest.raises(services.ForumError, match="alasan"):
        services.decision_record(item=item, by=fw.secretary, outcome="reject")


def test_closing_freezes_the_minutes_and_amendments_make_revisions(fw, django_capture_on_commit_callbacks):
    program, meeting, item = _on_agenda(fw)
    tenant = fw.world.tenant
    with scope(tenant=tenant):
        services.minutes_save(item=item, text="Program dibahas; peserta sepakat.", by=fw.secretary)
        services.decision_record(item=item, by=fw.secretary, outcome="approve")
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
        meeting.refresh_from_db()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            first = services.meeting_close(meeting=meeting, by=fw.secretary)
        assert meeting.status == "closed" or Meeting.objects.get(pk=meeting.pk).status == "closed"
        assert first.content["items"][0]["minutes"] == "Program dibahas; peserta sepakat."
        assert {m.to[0] for m in mail.outbox} >= {"staf@satusama.test"}
        item.refresh_from_db()
        with pytest.raises(services.ForumError, match="ditutup"):
            services.minutes_save(item=item, text="diubah diam-diam", by=fw.secretary)
        item.refresh_from_db()
        assert item.minutes == "Program dibahas; peserta sepakat."
        with pytest.raises(services.ForumError, match="alasan"):
            services.minutes_amend(meeting=item.meeting, by=fw.secretary, reason=" ", minutes={item.pk: "x"})
        second = services.minutes_amend(meeting=item.meeting, by=fw.secretary, reason="Salah ketik nama lembaga",
                                        minutes={item.pk: "Program dibahas; semua peserta sepakat."})
        first.refresh_from_db()
    assert second.number == 2 and second.reason == "Salah ketik nama lembaga"
    assert second.content_hash != first.content_hash
    assert first.content["items"][0]["minutes"] == "Program dibahas; peserta sepakat."  # revision 1 unchanged


def test_check_in_only_during_the_meeting(fw):
    meeting = fw.meeting()
    tenant = fw.world.tenant
    with scope(tenant=tenant):
        with pytest.raises(services.ForumError, match="selama rapat"):
            services.check_in(meeting=meeting, code=meeting.checkin_code, user=fw.member)
        during = meeting.starts_at + timedelta(minutes=10)
        attendance = services.check_in(meeting=meeting, code=meeting.checkin_code, user=fw.member, now=during)
        assert attendance.method == "self" and attendance.invitee is not None
        # a second scan does not count twice
        services.check_in(meeting=meeting, code=meeting.checkin_code, user=fw.member, now=during)
        assert meeting.attendances.count() == 1
        with pytest.raises(services.ForumError, match="tidak berlaku"):
            services.check_in(meeting=meeting, code="salah", user=fw.chair, now=during)
        after = meeting.ends_at + timedelta(minutes=1)
        with pytest.raises(services.ForumError, match="selama rapat"):
            services.check_in(meeting=meeting, code=meeting.checkin_code, user=fw.chair, now=after)
        assert meeting.attendances.count() == 1


def test_duplicate_as_next_meeting_copies_invitees_and_standing_items(fw):
    meeting = fw.meeting()
    tenant = fw.world.tenant
    with scope(tenant=tenant):
        services.agenda_add_topic(meeting=meeting, title="Pembukaan oleh Ketua", standing=True)
        services.agenda_add_topic(meeting=meeting, title="Evaluasi pameran", standing=False)
        services.invitee_add(meeting=meeting, name="Tamu Undangan", organization_name="Bank Contoh")
        start = meeting.starts_at + timedelta(days=1)
        new = services.meeting_duplicate(meeting=meeting, by=fw.secretary, starts_at=start,
                                         ends_at=start + timedelta(hours=2))
        assert list(new.agenda_items.values_list("title", flat=True)) == ["Pembukaan oleh Ketua"]
        names = set(meeting.invitees.values_list("full_name", flat=True))
        assert set(new.invitees.values_list("full_name", flat=True)) == names
        assert new.number.startswith("02/FK-SLM/") and new.place == meeting.place


def test_attachments_are_checked_by_size_and_content(fw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        item = services.agenda_add_topic(meeting=meeting, title="Paparan")
        with pytest.raises(services.ForumError, match="Jenis berkas"):
            services.attachment_add(item=item, upload=SimpleUploadedFile("virus.exe", b"MZ..."), by=fw.secretary)
        with pytest.raises(services.ForumError, match="Isi berkas"):
            services.attachment_add(item=item, upload=SimpleUploadedFile("paparan.pdf", b"not a pdf"),
                                    by=fw.secretary)
        ok = services.attachment_add(item=item, upload=SimpleUploadedFile("paparan.pdf", b"%PDF-1.4 ..."),
                                     by=fw.secretary)
        assert ok.content_type == "application/pdf" and item.attachments.count() == 1
