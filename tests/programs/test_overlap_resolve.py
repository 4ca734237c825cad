"""Answering overlap flags on the program page: each answer, both owners agreeing to merge, who may answer."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from programs.models import OverlapFlag, Program
from programs.overlap_selectors import open_flags_for_user
from programs.overlap_services import recompute_flags_for
from programs.taxonomy import Status
from stakeholders.models import Membership
from tests.umkm.conftest import make_business
from umkm.models import Enrollment

from .conftest import make_program
from .test_overlap_flags import campus_program


@pytest.fixture
def pair(world):
    dinas = make_program(world, status=Status.SUBMITTED)
    campus = campus_program(world, status=Status.SUBMITTED)
    with scope(tenant=world.tenant):
        recompute_flags_for(campus)
        flag = OverlapFlag.objects.get()
    mail.outbox.clear()
    return dinas, campus, flag


def flag_url(world, program, flag, answer=False):
    name = "programs:overlap_flag_answer" if answer else "programs:overlap_flag"
    return reverse(name, args=[world.tenant.slug, program.ref, flag.pk])


def reload(flag):
    with scopes():
        flag.refresh_from_db()
    return flag


def scopes():
    from django_scopes import scopes_disabled

    return scopes_disabled()


def test_both_program_pages_show_the_flag_with_reasons_in_indonesian(world, pair):
    dinas, campus, flag = pair
    for user, program, other in ((world.staff, dinas, campus), (world.colleague, campus, dinas)):
        page = world.client_for(user).get(reverse("programs:detail", args=[world.tenant.slug, program.ref]))
        html = page.content.decode()
        assert other.ref in html and other.title in html
        assert "wilayah sama: Sleman" in html and "topik sama: pemasaran digital" in html
        assert flag_url(world, program, flag) in html


def test_reasons_are_worded_in_english_for_an_english_reader(world, pair):
    _dinas, _campus, flag = pair
    with translation.override("en"):
        reasons = flag.rendered_reasons()
    assert "same region: Sleman" in reasons and "same topic: pemasaran digital" in reasons
    with translation.override("id"):
        assert "wilayah sama: Sleman" in flag.rendered_reasons()


def test_flag_page_shows_both_programs_side_by_side_with_shared_words_marked(world, pair):
    dinas, campus, flag = pair
    html = world.client_for(world.staff).get(flag_url(world, dinas, flag)).content.decode()
    assert dinas.title.split()[0] in html and campus.title.split()[0] in html
    assert "<mark>Sleman</mark>" in html
    # "marketplace" and "media sosial" (campus) and "Pemasaran Digital" (dinas) are the same concept
    for shared in ("Sleman", "Pemasaran Digital", "Jualan Online", "marketplace", "media sosial."):
        assert f"<mark>{shared}</mark>" in html
    # Lists read as lists: the shared kind of assistance marked, a comma (unmarked) between the kinds.
    assert "<td>Pelatihan, <mark>Digitalisasi</mark></td>" in html


def test_withdrawing_alone_is_offered_only_to_whom_the_workflow_allows_it(world, pair):
    dinas, _campus, flag = pair
    staff_page = world.client_for(world.staff).get(flag_url(world, dinas, flag)).content.decode()
    admin_page = world.client_for(world.org_admin).get(flag_url(world, dinas, flag)).content.decode()
    assert 'value="differentiate"' in staff_page and 'value="withdraw"' not in staff_page
    assert 'value="withdraw"' in admin_page


@pytest.mark.parametrize("action", ["not_overlap", "differentiate"])
def test_answers_that_need_a_note(world, pair, action, django_capture_on_commit_callbacks):
    dinas, _campus, flag = pair
    client = world.client_for(world.staff)
    refused = client.post(flag_url(world, dinas, flag, answer=True), {"action": action, "note": " "})
    assert refused.status_code == 400
    assert reload(flag).is_open
    with django_capture_on_commit_callbacks(execute=True):
        client.post(flag_url(world, dinas, flag, answer=True), {"action": action, "note": "Sasaran kami katering"})
    flag = reload(flag)
    assert flag.status == OverlapFlag.Status.RESOLVED and flag.resolution == action
    assert flag.resolved_by == world.staff and flag.note == "Sasaran kami katering"
    # both owners hear about the answer
    assert {world.staff.email, world.colleague.email} <= set(mail.outbox[-1].to)


def test_withdraw_goes_through_the_workflow(world, pair, django_capture_on_commit_callbacks):
    dinas, _campus, flag = pair
    staff_answer = world.client_for(world.staff).post(flag_url(world, dinas, flag, answer=True), {"action": "withdraw"})
    assert staff_answer.status_code == 400  # only an admin of the organisation may withdraw
    assert reload(flag).is_open
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(world.org_admin).post(flag_url(world, dinas, flag, answer=True), {"action": "withdraw"})
    assert reload(flag).resolution == OverlapFlag.Resolution.WITHDRAW
    with scope(tenant=world.tenant):
        assert Program.objects.get(pk=dinas.pk).status == Status.WITHDRAWN


def test_collaborate_needs_both_owners_then_merges(world, pair, django_capture_on_commit_callbacks):
    dinas, campus, flag = pair
    with scope(tenant=world.tenant):
        Membership.objects.filter(user=world.colleague).update(role="admin")
    dinas_client, campus_client = world.client_for(world.staff), world.client_for(world.colleague)
    dinas_client.post(flag_url(world, dinas, flag, answer=True), {"action": "propose", "joint": "mine"})
    flag = reload(flag)
    assert flag.is_open and flag.joint_program_id == dinas.pk and flag.proposed_by == world.staff
    # the proposer cannot accept their own proposal
    assert dinas_client.post(flag_url(world, dinas, flag, answer=True), {"action": "accept"}).status_code == 403
    page = campus_client.get(flag_url(world, campus, flag)).content.decode()
    assert "Terima dan gabungkan" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = campus_client.post(flag_url(world, campus, flag, answer=True), {"action": "accept"})
    assert answer.status_code == 302
    flag = reload(flag)
    assert flag.resolution == OverlapFlag.Resolution.COLLABORATE and flag.joint_program_id == dinas.pk
    with scope(tenant=world.tenant):
        joint, absorbed = Program.objects.get(pk=dinas.pk), Program.objects.get(pk=campus.pk)
        assert list(joint.partners.all()) == [world.other_org]
        assert joint.version == dinas.version + 1
        assert absorbed.status == Status.WITHDRAWN
        assert joint.ref in absorbed.events.first().reason


def test_merging_moves_the_enrolments_and_links_the_withdrawn_program_to_the_joint_one(world, pair):
    dinas, campus, flag = pair
    shared, only_campus = make_business(world.tenant, "3404000000001"), make_business(world.tenant, "3404000000002")
    with scope(tenant=world.tenant):
        Membership.objects.filter(user=world.colleague).update(role="admin")
        Enrollment.objects.create(tenant=world.tenant, program=dinas, business=shared)
        Enrollment.objects.create(tenant=world.tenant, program=campus, business=shared)
        Enrollment.objects.create(tenant=world.tenant, program=campus, business=only_campus)
    propose = {"action": "propose", "joint": "mine"}
    world.client_for(world.staff).post(flag_url(world, dinas, flag, answer=True), propose)
    world.client_for(world.colleague).post(flag_url(world, campus, flag, answer=True), {"action": "accept"})
    with scope(tenant=world.tenant):
        joint = sorted(Enrollment.objects.filter(program=dinas).values_list("business__nib", flat=True))
        assert joint == ["3404000000001", "3404000000002"]  # the shared business once, the other moved over
    page = world.client_for(world.colleague).get(reverse("programs:detail", args=[world.tenant.slug, campus.ref]))
    html = page.content.decode()
    assert "Ditarik" in html
    assert reverse("programs:detail", args=[world.tenant.slug, dinas.ref]) in html


def test_staff_choose_collaboration_and_the_other_program_absorbs_theirs(
    world, pair, django_capture_on_commit_callbacks
):
    """scenarios.md 2: the campus staff member (not an admin) chooses "Kolaborasi", the Dinas program absorbs theirs,
    both organisations appear as organisers and the businesses they had enrolled move over."""
    dinas, campus, flag = pair
    enrolled = [make_business(world.tenant, f"34040000001{i:02d}") for i in range(12)]
    with scope(tenant=world.tenant):
        assert Membership.objects.get(user=world.colleague).role == "staff"
        for business in enrolled:
            Enrollment.objects.create(tenant=world.tenant, program=campus, business=business)
    campus_client = world.client_for(world.colleague)
    proposal = campus_client.post(flag_url(world, campus, flag, answer=True), {"action": "propose", "joint": "theirs"})
    assert proposal.status_code == 302
    flag = reload(flag)
    assert flag.joint_program_id == dinas.pk and flag.proposed_by == world.colleague and flag.is_open
    with scope(tenant=world.tenant):
        assert Program.objects.get(pk=campus.pk).status == Status.SUBMITTED  # nothing happens before both agree
    # Ibu Rina, Dinas staff, accepts: the merge happens
    with django_capture_on_commit_callbacks(execute=True):
        accepted = world.client_for(world.staff).post(flag_url(world, dinas, flag, answer=True), {"action": "accept"})
    assert accepted.status_code == 302
    flag = reload(flag)
    assert flag.resolution == OverlapFlag.Resolution.COLLABORATE and flag.resolved_by == world.staff
    with scope(tenant=world.tenant):
        absorbed = Program.objects.get(pk=campus.pk)
        assert absorbed.status == Status.WITHDRAWN
        withdrawal = absorbed.events.first()
        assert withdrawal.by == world.colleague and dinas.ref in withdrawal.reason  # in the campus's name
        assert list(Program.objects.get(pk=dinas.pk).partners.all()) == [world.other_org]
        assert Enrollment.objects.filter(program=dinas).count() == 12
        assert not Enrollment.objects.filter(program=campus).exists()
    page = world.client_for(world.colleague).get(reverse("programs:detail", args=[world.tenant.slug, dinas.ref]))
    html = page.content.decode()
    assert world.org.name in html and world.other_org.name in html


def test_staff_accept_a_proposal_that_absorbs_their_own_program(world, pair):
    dinas, campus, flag = pair
    propose = {"action": "propose", "joint": "mine"}
    world.client_for(world.staff).post(flag_url(world, dinas, flag, answer=True), propose)
    accepted = world.client_for(world.colleague).post(flag_url(world, campus, flag, answer=True), {"action": "accept"})
    assert accepted.status_code == 302
    assert reload(flag).resolution == OverlapFlag.Resolution.COLLABORATE
    with scope(tenant=world.tenant):
        assert Program.objects.get(pk=campus.pk).status == Status.WITHDRAWN


def test_staff_still_cannot_withdraw_outside_a_merge_both_owners_agreed_to(world, pair):
    """Agreeing to a merge is an answer to a flag; withdrawing alone stays an admin's step (README permissions)."""
    _dinas, campus, flag = pair
    refused = world.client_for(world.colleague).post(flag_url(world, campus, flag, answer=True), {"action": "withdraw"})
    assert refused.status_code == 400
    client = world.client_for(world.colleague)
    page = client.get(reverse("programs:detail", args=[world.tenant.slug, campus.ref]))
    assert 'value="withdrawn"' not in page.content.decode()
    direct = client.post(reverse("programs:transition", args=[world.tenant.slug, campus.ref]), {"to": "withdrawn"})
    assert direct.status_code == 403
    with scope(tenant=world.tenant):
        assert Program.objects.get(pk=campus.pk).status == Status.SUBMITTED
    assert reload(flag).is_open


def test_one_person_in_both_organisations_cannot_agree_for_both(world, pair):
    dinas, campus, flag = pair
    with scope(tenant=world.tenant):
        Membership.objects.create(tenant=world.tenant, user=world.staff, organization=world.other_org, role="staff")
    client = world.client_for(world.staff)
    client.post(flag_url(world, dinas, flag, answer=True), {"action": "propose", "joint": "mine"})
    assert client.post(flag_url(world, campus, flag, answer=True), {"action": "accept"}).status_code == 403
    assert reload(flag).is_open


def test_declining_a_proposal_keeps_the_flag_open(world, pair):
    dinas, campus, flag = pair
    propose = {"action": "propose", "joint": "theirs"}  # the Dinas offers to be absorbed
    world.client_for(world.staff).post(flag_url(world, dinas, flag, answer=True), propose)
    assert reload(flag).joint_program_id == campus.pk
    world.client_for(world.colleague).post(flag_url(world, campus, flag, answer=True), {"action": "decline"})
    flag = reload(flag)
    assert flag.is_open and flag.proposed_by is None and flag.joint_program is None


@pytest.mark.parametrize(("who", "status"), [
    ("staff", 302), ("colleague", 302), ("tenant_admin", 403), ("outsider", 404), ("nobody", 404),
])
def test_who_may_answer(world, pair, who, status):
    dinas, campus, flag = pair
    program = campus if who == "colleague" else dinas
    response = world.client_for(getattr(world, who)).post(
        flag_url(world, program, flag, answer=True), {"action": "not_overlap", "note": "beda sasaran"}
    )
    assert response.status_code == status


def test_in_app_list_of_open_flags_for_a_user(world, pair):
    _dinas, _campus, flag = pair
    with scope(tenant=world.tenant):
        assert list(open_flags_for_user(world.staff)) == [flag]
        assert list(open_flags_for_user(world.colleague)) == [flag]
        assert list(open_flags_for_user(world.tenant_admin)) == []


def test_in_app_page_lists_the_flags_of_my_programs_with_the_latest_answer(world, pair):
    dinas, campus, flag = pair
    url = reverse("programs:overlap_flags", args=[world.tenant.slug])
    propose = {"action": "propose", "joint": "mine"}
    world.client_for(world.staff).post(flag_url(world, dinas, flag, answer=True), propose)
    page = world.client_for(world.colleague).get(url).content.decode()
    # the campus sees its own program first, the proposal, and where to answer
    assert page.index(campus.ref) < page.index(dinas.ref)
    assert "Rina Wulandari mengusulkan penggabungan ke " + dinas.ref in page
    assert flag_url(world, campus, flag) in page
    world.client_for(world.colleague).post(
        flag_url(world, campus, flag, answer=True), {"action": "not_overlap", "note": "sasaran berbeda"}
    )
    page = world.client_for(world.staff).get(url).content.decode()
    assert "Bukan tumpang tindih" in page and "sasaran berbeda" in page and "Arif Nugroho" in page
    assert dinas.ref in world.client_for(world.tenant_admin).get(url).content.decode()  # admins see every flag
    with scope(tenant=world.tenant):
        Membership.objects.filter(user=world.colleague).delete()
    assert world.client_for(world.colleague).get(url).status_code == 404


def test_in_app_page_makes_the_same_queries_for_one_flag_or_many(world, pair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, url = world.client_for(world.staff), reverse("programs:overlap_flags", args=[world.tenant.slug])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        other = campus_program(world, status=Status.SUBMITTED, title=f"Kelas Jualan Online Angkatan {i}")
        with scope(tenant=world.tenant):
            recompute_flags_for(other, notify=False)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("/tumpang-tindih/") >= 5
    assert len(many) <= len(one)
