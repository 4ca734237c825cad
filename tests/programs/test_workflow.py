"""The workflow: every legal and illegal transition, who may make it, reasons, events, concurrency."""

import threading

import pytest
from django.db import connection
from django.utils import translation
from django_scopes import scope

from programs import workflow
from programs.models import Program, ProgramEvent
from programs.taxonomy import Status

from .conftest import make_program

ALL = Status.values


def actor(world, name):
    return getattr(world, name)


# Who makes each legal transition in the tests (by_forum for the decisions made by a forum).
LEGAL = sorted(workflow.TRANSITIONS)


@pytest.mark.parametrize(("frm", "to"), LEGAL)
def test_every_legal_transition_is_recorded(world, frm, to):
    program = make_program(world, status=frm)
    rule = workflow.TRANSITIONS[(frm, to)]
    by = world.org_admin if "owner_admin" in rule.actors else world.tenant_admin
    with scope(tenant=world.tenant):
        event = workflow.transition(program=program, to=to, by=by, reason="Sesuai rapat")
        program.refresh_from_db()
        assert program.status == to
        assert program.version == 2
        assert (event.from_status, event.to_status, event.by, event.reason) == (frm, to, by, "Sesuai rapat")
        assert program.history.first().status == to


@pytest.mark.parametrize(("frm", "to"), [(f, t) for f in ALL for t in ALL if (f, t) not in workflow.TRANSITIONS])
def test_every_illegal_transition_is_refused(world, frm, to):
    program = make_program(world, status=frm)
    with scope(tenant=world.tenant), pytest.raises(workflow.IllegalTransition) as refused:
        workflow.transition(program=program, to=to, by=world.tenant_admin, reason="x")
    assert refused.value.status_code == 409
    with scope(tenant=world.tenant):
        assert Program.objects.get(pk=program.pk).status == frm
        assert not ProgramEvent.objects.exists()


@pytest.mark.parametrize(
    ("who", "frm", "to", "allowed"),
    [
        ("org_admin", "draft", "submitted", True),
        ("staff", "draft", "submitted", False),
        ("colleague", "draft", "submitted", False),
        ("tenant_admin", "draft", "submitted", False),
        ("org_admin", "submitted", "withdrawn", True),
        ("staff", "submitted", "withdrawn", False),
        ("tenant_admin", "in_review", "approved", True),
        ("org_admin", "in_review", "approved", False),
        ("staff", "in_review", "rejected", False),
        ("colleague", "submitted", "needs_revision", False),
        ("org_admin", "approved", "running", True),
        ("tenant_admin", "running", "cancelled", True),
        ("colleague", "running", "completed", False),
    ],
)
def test_who_may_make_a_transition(world, who, frm, to, allowed):
    program = make_program(world, status=frm)
    with scope(tenant=world.tenant):
        if allowed:
            workflow.transition(program=program, to=to, by=actor(world, who), reason="alasan")
            assert Program.objects.get(pk=program.pk).status == to
        else:
            with pytest.raises(workflow.NotAllowed):
                workflow.transition(program=program, to=to, by=actor(world, who), reason="alasan")


def test_forum_decision_needs_no_admin_role_and_is_marked(world):
    program = make_program(world, status="in_review")
    with scope(tenant=world.tenant):
        event = workflow.transition(program=program, to="approved", by=world.staff, by_forum=True)
    assert event.by_forum and event.to_status == "approved"


def test_admin_decision_needs_a_reason(world):
    program = make_program(world, status="in_review")
    with scope(tenant=world.tenant), pytest.raises(workflow.ReasonRequired):
        workflow.transition(program=program, to="rejected", by=world.tenant_admin, reason="  ")


def test_submit_checks_completeness_and_says_what_is_missing(world):
    program = make_program(world, description="", contact_name="")
    with scope(tenant=world.tenant), translation.override("id"), pytest.raises(workflow.Incomplete) as refused:
        workflow.transition(program=program, to="submitted", by=world.org_admin)
    assert "Masih kurang: deskripsi, narahubung dengan nomor telepon" in refused.value.message


def test_approve_is_refused_while_overlap_rules_report_blockers(world, monkeypatch):
    program = make_program(world, status="in_review")
    monkeypatch.setattr(workflow, "approval_blockers", lambda p: ["open flag"])
    with scope(tenant=world.tenant), pytest.raises(workflow.BlockedByOverlap):
        workflow.transition(program=program, to="approved", by=world.tenant_admin, reason="ok")


def test_a_stale_copy_cannot_transition_twice(world):
    program = make_program(world, status="submitted")
    stale = Program.objects.model(pk=program.pk, tenant=program.tenant, status="submitted")
    with scope(tenant=world.tenant):
        workflow.transition(program=program, to="withdrawn", by=world.org_admin)
        with pytest.raises(workflow.IllegalTransition):
            workflow.transition(program=stale, to="withdrawn", by=world.org_admin)
        assert ProgramEvent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins(world):
    program = make_program(world, status="in_review")
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(to):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            with scope(tenant=world.tenant):
                workflow.transition(program=program, to=to, by=world.tenant_admin, reason="rapat")
            outcomes.append(("won", to))
        except workflow.TransitionError as refused:
            outcomes.append(("lost", type(refused).__name__))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=decide, args=(to,)) for to in ("approved", "rejected")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o[0] for o in outcomes) == ["lost", "won"]
    with scope(tenant=world.tenant):
        assert ProgramEvent.objects.filter(program=program).count() == 1
        winner = next(o[1] for o in outcomes if o[0] == "won")
        assert Program.objects.get(pk=program.pk).status == winner
