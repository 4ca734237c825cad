"""Recording decisions under concurrency: many secretaries' browsers at once, never two decisions on one item.

Real threads on real connections need a database that handles concurrent writers: these run on PostgreSQL
(`DATABASE_URL=postgres://… make test`); SQLite serialises writers itself and is covered by the sequential tests.
"""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_scopes import scope

from forums import services
from forums.models import AgendaItem, Decision
from programs.models import ProgramEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def _run_together(n, work):
    """Start n threads that wait at a barrier, then call work(i) each; collect results and exceptions."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            results[i] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _agenda(fw, count):
    # Disjoint periods: the overlap check (run on commit here) finds nothing to flag between them.
    start = date(2027, 1, 1)
    programs = [fw.program(title=f"Program Sleman nomor {n}", start_date=start + timedelta(days=30 * n),
                           end_date=start + timedelta(days=30 * n + 10)) for n in range(count)]
    meeting = fw.meeting()
    with scope(tenant=fw.world.tenant):
        items = services.agenda_add_programs(meeting=meeting, programs=programs, by=fw.secretary)
    return meeting, items


def test_twenty_users_deciding_on_one_item_make_exactly_one_decision(fw):
    meeting, [item] = _agenda(fw, 1)
    outcomes = ["approve", "needs_revision", "reject", "approve"] * 5

    def decide(i):
        with scope(tenant=fw.world.tenant):
            fresh = AgendaItem.objects.get(pk=item.pk)
            return services.decision_record(item=fresh, by=fw.secretary, outcome=outcomes[i], reason=f"alasan {i}")

    results = _run_together(20, decide)
    ok = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(ok) == 1
    assert len(refused) == 19 and all(isinstance(e, services.ForumError) for e in refused), refused
    with scope(tenant=fw.world.tenant):
        assert Decision.objects.count() == 1
        program = item.program
        program.refresh_from_db()
        decision = Decision.objects.get()
        assert program.status == services.OUTCOME_STATUS[decision.outcome]
        # exactly one status change from the decision (the other one is the move to in_review)
        assert ProgramEvent.objects.filter(program=program, by_forum=True).exclude(to_status="in_review").count() == 1


def test_twenty_users_deciding_on_twenty_items_at_once_all_succeed(fw):
    meeting, items = _agenda(fw, 20)

    def decide(i):
        with scope(tenant=fw.world.tenant):
            fresh = AgendaItem.objects.get(pk=items[i].pk)
            return services.decision_record(item=fresh, by=fw.secretary, outcome="approve")

    results = _run_together(20, decide)
    assert [kind for kind, _ in results] == ["ok"] * 20, [r for kind, r in results if kind == "error"]
    with scope(tenant=fw.world.tenant):
        assert Decision.objects.count() == 20
        assert set(Decision.objects.values_list("agenda_item__program__status", flat=True)) == {"approved"}


def test_closing_while_decisions_are_recorded_never_leaves_a_decision_outside_the_frozen_minutes(fw):
    meeting, items = _agenda(fw, 10)
    with scope(tenant=fw.world.tenant):
        meeting.starts_at = timezone.now() - timedelta(minutes=5)
        meeting.save(update_fields=["starts_at"])

    def act(i):
        with scope(tenant=fw.world.tenant):
            if i == 10:
                from forums.models import Meeting

                return services.meeting_close(meeting=Meeting.objects.get(pk=meeting.pk), by=fw.secretary)
            fresh = AgendaItem.objects.get(pk=items[i].pk)
            return services.decision_record(item=fresh, by=fw.secretary, outcome="approve")

    results = _run_together(11, act)
    assert results[10][0] == "ok", results[10]
    for kind, result in results[:10]:
        assert kind == "ok" or isinstance(result, services.ForumError), result
    with scope(tenant=fw.world.tenant):
        revision = meeting.revisions.get()
        frozen = {i["id"] for i in revision.content["items"] if i["decision"]}
        assert frozen == set(Decision.objects.values_list("agenda_item_id", flat=True))
