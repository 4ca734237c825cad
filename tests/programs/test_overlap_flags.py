"""Overlap flags in the portal: opened on submit on both programs, idempotent, auto-closed, blocking approval."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from programs import workflow
from programs.models import OverlapFlag, ProgramProfile, SynonymEntry
from programs.overlap_services import recompute_flags_for, seed_synonyms, synonyms_changed, synonyms_for
from programs.taxonomy import Status
from stakeholders.models import Membership

from .conftest import make_program

CAMPUS_TITLE = "Workshop Jualan Online untuk Usaha Makanan"
CAMPUS_TEXT = "Mahasiswa membantu pemilik warung makan membuka toko di marketplace dan berpromosi di media sosial."


@pytest.fixture
def dinas_program(world):
    return make_program(world, status=Status.SUBMITTED)


def campus_program(world, **fields):
    values = {"title": CAMPUS_TITLE, "description": CAMPUS_TEXT, "kinds": ["digitalisasi"],
              "start_date": datetime.date(2025, 3, 1), "end_date": datetime.date(2025, 3, 31)}
    values.update(fields)
    return make_program(world, owner=world.other_org, **values)


def flags(world):
    with scope(tenant=world.tenant):
        return list(OverlapFlag.objects.select_related("program_a", "program_b"))


def test_submitting_opens_one_flag_seen_from_both_programs(world, dinas_program, django_capture_on_commit_callbacks):
    campus = campus_program(world)
    with scope(tenant=world.tenant):
        # an admin of the campus submits its program: the recomputation runs on commit
        Membership.objects.filter(user=world.colleague).update(role="admin")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(program=campus, to=Status.SUBMITTED, by=world.colleague)
    [flag] = flags(world)
    assert {flag.program_a_id, flag.program_b_id} == {dinas_program.pk, campus.pk}
    assert flag.program_a_id < flag.program_b_id
    assert flag.status == OverlapFlag.Status.OPEN and flag.score >= 0.4
    codes = {r["code"] for r in flag.reasons}
    assert {"same_region", "period_overlap", "same_topic"} <= codes
    with scope(tenant=world.tenant):
        assert list(OverlapFlag.objects.open_for(dinas_program)) == [flag]
        assert list(OverlapFlag.objects.open_for(campus)) == [flag]
    # both owners are told by e-mail
    [message] = mail.outbox
    assert set(message.to) >= {world.staff.email, world.org_admin.email, world.colleague.email}
    assert dinas_program.ref in message.subject and campus.ref in message.subject
    assert "wilayah sama: Sleman" in message.body


def test_recompute_is_idempotent(world, dinas_program):
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        first = recompute_flags_for(campus)
        again = recompute_flags_for(campus)
        from_other_side = recompute_flags_for(dinas_program)
        assert len(first) == 1 and again == [] and from_other_side == []
        assert OverlapFlag.objects.count() == 1
        assert ProgramProfile.objects.count() == 2


def test_flag_closes_itself_when_an_edit_removes_the_overlap_and_reopens(world, dinas_program):
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        recompute_flags_for(campus)
        campus.start_date, campus.end_date = datetime.date(2025, 9, 1), datetime.date(2025, 9, 30)
        campus.save()
        recompute_flags_for(campus)
        [flag] = OverlapFlag.objects.all()
        assert flag.status == OverlapFlag.Status.RESOLVED and flag.resolution == ""
        assert campus.ref in flag.note and flag.resolved_at
        assert not OverlapFlag.objects.open_for(dinas_program).exists()
        campus.start_date, campus.end_date = datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
        campus.save()
        assert len(recompute_flags_for(campus)) == 1
        flag.refresh_from_db()
        assert flag.is_open and flag.note == ""


def test_unrelated_programs_get_no_flag(world, dinas_program):
    other_place = campus_program(world, status=Status.SUBMITTED, regions=("34.03",))
    other_kind = campus_program(world, status=Status.SUBMITTED, title="Fasilitasi Sertifikasi Halal Self Declare",
                                description="Pendampingan pengajuan sertifikat halal bagi usaha mikro pangan.",
                                kinds=["sertifikasi"])
    draft = campus_program(world)
    with scope(tenant=world.tenant):
        for program in (dinas_program, other_place, other_kind, draft):
            recompute_flags_for(program)
        assert OverlapFlag.objects.count() == 0


def test_approval_is_refused_while_a_flag_is_open(world, dinas_program):
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        recompute_flags_for(campus)
        with pytest.raises(workflow.BlockedByOverlap):
            workflow.transition(program=dinas_program, to=Status.APPROVED, by=world.tenant_admin, reason="ok")
        assert not dinas_program.can_be_approved()
        OverlapFlag.objects.update(status=OverlapFlag.Status.RESOLVED, resolution="not_overlap")
        workflow.transition(program=dinas_program, to=Status.APPROVED, by=world.tenant_admin, reason="ok")
        dinas_program.refresh_from_db()
        assert dinas_program.status == Status.APPROVED


def test_approving_in_the_portal_is_refused_with_a_clear_message_while_a_flag_is_open(world, dinas_program):
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        recompute_flags_for(campus)
    url = reverse("programs:transition", args=[world.tenant.slug, dinas_program.ref])
    response = world.client_for(world.tenant_admin).post(url, {"to": Status.APPROVED, "reason": "rapat 3 Maret"})
    assert response.status_code == 409
    assert "masih memiliki peringatan tumpang tindih yang terbuka" in response.content.decode()
    with scope(tenant=world.tenant):
        dinas_program.refresh_from_db()
        assert dinas_program.status == Status.SUBMITTED


def test_withdrawing_closes_the_flags_of_the_program(world, dinas_program, django_capture_on_commit_callbacks):
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        recompute_flags_for(campus)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(program=dinas_program, to=Status.WITHDRAWN, by=world.org_admin)
        [flag] = OverlapFlag.objects.all()
        assert flag.status == OverlapFlag.Status.RESOLVED
        assert flag.resolution == OverlapFlag.Resolution.WITHDRAW


def test_editing_the_synonyms_changes_the_next_check(world, dinas_program):
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        assert seed_synonyms(world.tenant) > 300
        assert seed_synonyms(world.tenant) == 0  # idempotent
        version, _synonyms = synonyms_for(world.tenant)
        assert version != "default"
        SynonymEntry.objects.create(tenant=world.tenant, concept="digitalmarketing", phrase="kelas ngonten")
        synonyms_changed(world.tenant)
        new_version, synonyms = synonyms_for(world.tenant)
        assert new_version != version
        assert "digitalmarketing" in [t for t, _c in synonyms.canonical_tokens(["kelas", "ngonten"])]
        recompute_flags_for(campus)
        assert OverlapFlag.objects.count() == 1


def test_the_same_businesses_flag_programs_of_distinct_sectors_and_retrieval_keeps_them(world):
    """Retrieval leaves out, in the database, programs whose sectors keep the score under the threshold — but not
    those sharing enrolled businesses: same businesses, same kind, same time is an overlap whatever the sector."""
    from programs.overlap_services import overlaps_of
    from tests.umkm.conftest import make_business
    from umkm.models import Enrollment

    dates = {"start_date": datetime.date(2025, 3, 1), "end_date": datetime.date(2025, 3, 31)}
    culinary = make_program(world, status=Status.SUBMITTED, kinds=["pembiayaan"], **dates,
                            title="Klinik KUR bagi UMKM", description="Pengajuan kredit usaha rakyat.")
    fashion = make_program(world, owner=world.other_org, status=Status.SUBMITTED, kinds=["pembiayaan"],
                           sectors=["fesyen"], title="Pendampingan Akses Modal Penjahit",
                           description="Pembukuan dan pengajuan pinjaman bank.", **dates)
    with scope(tenant=world.tenant):
        assert overlaps_of(culinary) == [] and overlaps_of(fashion) == []
        for nib in ("3404000000011", "3404000000012"):
            business = make_business(world.tenant, nib)
            for program in (culinary, fashion):
                Enrollment.objects.create(tenant=world.tenant, program=program, business=business)
        [(other, result)] = overlaps_of(culinary)
        assert (other.pk, other.ref) == (fashion.pk, fashion.ref) and result.is_overlap
        assert "shared_businesses" in {reason.code for reason in result.reasons}
        assert [other.ref for other, _result in overlaps_of(fashion)] == [culinary.ref]
