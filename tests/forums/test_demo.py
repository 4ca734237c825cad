"""The forums demo tells the programs demo's story: the Sleman secretary finds programs waiting in the review
queue, and a year of meetings records the forum decisions the programs' histories speak of."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Q
from django_scopes import scope, scopes_disabled

from forums.models import AgendaItem, Decision, Forum, Meeting
from forums.routing import forum_for_program
from programs.models import OverlapFlag, Program
from stakeholders.demo import DEMO_PASSWORD
from stakeholders.models import Tenant

DECISION_STATUSES = {"approve": {"approved", "running", "completed", "cancelled"},
                     "needs_revision": {"needs_revision"}, "reject": {"rejected"}}


@pytest.fixture
def diy(db):
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        return Tenant.objects.get(slug="diy")


def test_the_sleman_secretary_sees_programs_waiting_some_with_overlap_flags(client, diy):
    with scope(tenant=diy):
        forum = Forum.objects.get(code="FK-SLM")
        waiting = list(Program.objects.filter(status="submitted", agenda_items=None))
        sleman_waiting = [p for p in waiting if forum_for_program(p) == forum]
    assert forum.secretary.email == "sekretaris.sleman@satusama.test"
    login = client.post("/accounts/login/", {"login": forum.secretary.email, "password": DEMO_PASSWORD})
    assert login.status_code == 302
    page = client.get(f"/diy/forum/{forum.pk}/antrean/").content.decode()
    shown = [p for p in sleman_waiting if p.title in page]
    assert len(shown) >= 4 and len(shown) == len(sleman_waiting)
    flagged = re.findall(r"(\d+) peringatan tumpang tindih terbuka", page)
    assert 2 <= len(flagged) < len(shown)  # some with open overlap flags, not all
    # ... and a coming meeting to put them on
    assert "Rapat Peninjauan Program" in page


def test_a_year_of_meetings_with_agendas_attendance_decisions_and_frozen_minutes(diy):
    """Meetings, decisions and the programs' histories agree with each other."""
    with scope(tenant=diy):
        meetings = list(Meeting.objects.select_related("forum"))
        closed = [m for m in meetings if m.is_closed]
        assert len(meetings) >= 10 and len(closed) >= 10
        assert len({m.forum_id for m in closed}) == 6  # every forum met
        for meeting in closed:
            items = list(meeting.agenda_items.all())
            assert any(i.kind == AgendaItem.Kind.PROGRAM for i in items), meeting.number
            assert all(i.minutes for i in items if not i.standing), meeting.number
            assert meeting.attendances.count() >= 2, meeting.number
            assert meeting.revisions.filter(number=1).exists(), meeting.number
            assert meeting.closed_at > meeting.ends_at and meeting.starts_at < meeting.closed_at
        decisions = list(Decision.objects.select_related("agenda_item__meeting__forum", "agenda_item__program",
                                                         "program_event"))
        assert len(decisions) >= 15
        assert {d.outcome for d in decisions} == set(DECISION_STATUSES)
        for d in decisions:
            meeting, program = d.agenda_item.meeting, d.agenda_item.program
            # the decision is in the program's history, naming the meeting of the forum that reviews it
            assert d.program_event.program_id == program.pk and d.program_event.by_forum
            assert meeting.number in d.program_event.reason
            assert meeting.starts_at <= d.program_event.at <= meeting.ends_at
            assert forum_for_program(program) == meeting.forum
            assert program.status in DECISION_STATUSES[d.outcome], program.ref
            # a forum cannot approve a program with an open flag; the demo's decided programs have none
            assert not OverlapFlag.objects.open().filter(Q(program_a=program) | Q(program_b=program)).exists()
            # earlier steps of its history come before the meeting
            earlier = program.events.filter(to_status__in=["submitted", "in_review"])
            assert all(e.at < meeting.starts_at for e in earlier), program.ref
        # programs in review are on their forum's coming meeting; submitted ones on no agenda (they wait)
        for program in Program.objects.filter(status="in_review"):
            [item] = program.agenda_items.select_related("meeting")
            assert item.meeting.status == Meeting.Status.PLANNED
            assert item.meeting.forum == forum_for_program(program)
            assert item.meeting.number in program.events.get(to_status="in_review").reason
        assert not AgendaItem.objects.filter(program__status="submitted").exists()
