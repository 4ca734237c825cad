"""E-mail delivery records: queued with the business change, marked sent by the task once, shown where users look."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from satusama.mail import count_by_status, latest_deliveries, queue_email
from satusama.models import EmailDelivery
from satusama.tasks import forget_old_email_deliveries, send_email
from stakeholders import services as stakeholder_services

from .test_faults import free_port


def payload(delivery=None, **extra):
    return {"subject": "Uji", "body": "Isi", "to": ["a@satusama.test"], "from_email": "x@satusama.test",
            **({"delivery": str(delivery.pk)} if delivery else {}), **extra}


def fresh(delivery) -> EmailDelivery:
    return EmailDelivery.objects.with_scopes_disabled().get(pk=delivery.pk)


def invite(world, email="calon@lembaga.id"):
    with scope(tenant=world.tenant):
        return stakeholder_services.invitation_create(
            organization=world.org, email=email, role="staff", by=world.org_admin, site_url="http://testserver",
        )


def test_delivery_is_recorded_in_the_callers_transaction_and_marked_sent_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery = queue_email(EmailMessage(subject="Uji", body="Isi", to=["a@x.test", "b@x.test"]),
                               topic="invitation:1", tenant=world.tenant)
        assert fresh(delivery).status == EmailDelivery.Status.QUEUED
        assert mail.outbox == []
    delivery = fresh(delivery)
    assert (delivery.status, delivery.recipients, delivery.attempts) == ("sent", 2, 1)
    assert delivery.sent_at is not None
    assert len(mail.outbox) == 1


def test_no_delivery_and_no_mail_when_the_business_change_rolls_back(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_email(EmailMessage(subject="Batal", body="", to=["a@x.test"]), topic="x:1", tenant=world.tenant)
        raise RuntimeError
    assert not EmailDelivery.objects.with_scopes_disabled().exists()
    assert mail.outbox == []


def test_task_marks_sent_once_and_does_not_mail_a_sent_delivery_again(world):
    delivery = EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:7")
    send_email.apply(kwargs=payload(delivery))
    first = fresh(delivery)
    assert first.status == "sent" and len(mail.outbox) == 1
    # The same message handed out again (a worker lost after sending, before acknowledging): no second mail.
    send_email.apply(kwargs=payload(delivery))
    again = fresh(delivery)
    assert len(mail.outbox) == 1
    assert (again.sent_at, again.attempts) == (first.sent_at, 1)
    assert EmailDelivery.mark_sent(str(delivery.pk)) is False


def test_task_without_a_delivery_still_sends(db):
    send_email.apply(kwargs=payload())
    assert [m.subject for m in mail.outbox] == ["Uji"]


def test_a_failed_attempt_keeps_it_queued_and_the_last_one_marks_it_failed(world, settings):
    delivery = EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:8")
    EmailDelivery.record_failure(str(delivery.pk), ConnectionRefusedError(111, "Connection refused"), final=False)
    after_first = fresh(delivery)
    assert (after_first.status, after_first.attempts) == ("queued", 1)  # a retry is coming: still being processed
    assert after_first.last_error.startswith("ConnectionRefusedError")

    # A real SMTP connection to a port nobody listens on; run eagerly, the task goes through all its retries.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    send_email.apply(kwargs=payload(delivery))
    failed = fresh(delivery)
    assert failed.status == "failed" and failed.sent_at is None
    assert failed.attempts == 1 + send_email.max_retries + 1
    assert "ConnectionRefusedError" in failed.last_error


def test_a_sent_delivery_is_never_turned_back_to_failed(world):
    delivery = EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:12")
    assert EmailDelivery.mark_sent(str(delivery.pk)) is True
    EmailDelivery.record_failure(str(delivery.pk), TimeoutError("late"), final=True)
    assert fresh(delivery).status == "sent"


def test_deliveries_are_read_only_inside_their_tenant(world):
    mine = EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:9")
    EmailDelivery.objects.create(tenant=world.other_tenant, topic="invitation:9", status="sent")
    EmailDelivery.objects.create(tenant=None, topic="invitation:9", status="sent")
    with scope(tenant=world.tenant):
        assert latest_deliveries(["invitation:9"]) == {"invitation:9": mine}


def test_latest_delivery_of_a_topic_wins(world):
    EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:10", status="failed")
    newer = EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:10")
    with scope(tenant=world.tenant):
        assert latest_deliveries(["invitation:10", "invitation:11"]) == {"invitation:10": newer}
        assert latest_deliveries([]) == {}
        assert count_by_status(latest_deliveries(["invitation:10"])) == {"queued": 1}


def test_records_past_their_use_are_deleted(world):
    old = EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:13", status="sent")
    recent = EmailDelivery.objects.create(tenant=None, topic="account:password_reset_key")
    EmailDelivery.objects.with_scopes_disabled().filter(pk=old.pk).update(
        created_at=timezone.now() - EmailDelivery.KEPT_FOR - timedelta(days=1))
    assert forget_old_email_deliveries.apply().get() == 1
    assert list(EmailDelivery.objects.with_scopes_disabled().values_list("pk", flat=True)) == [recent.pk]


def test_pending_invitations_show_being_processed_then_sent(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.org_admin)
    url = reverse("stakeholders:people", args=["diy", world.org.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(world)
    with scope(tenant=world.tenant):
        row = page_row(client.get(url), invitation.email)
    assert "E-mail sedang diproses" in row and "terkirim" not in row
    for callback in callbacks:
        callback()
    row = page_row(client.get(url), invitation.email)
    assert "E-mail terkirim" in row and "sedang diproses" not in row


def test_resending_an_invitation_shows_the_new_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(world)
    with django_capture_on_commit_callbacks(execute=False), scope(tenant=world.tenant):
        stakeholder_services.invitation_resend(invitation=invitation, by=world.org_admin,
                                               site_url="http://testserver")
    row = page_row(world.client_for(world.org_admin).get(reverse("stakeholders:people", args=["diy", world.org.pk])),
                   invitation.email)
    assert "E-mail sedang diproses" in row
    with scopes_disabled():
        assert EmailDelivery.objects.filter(topic=invitation.mail_topic).count() == 2


def page_row(response, email: str) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index(f">{email}<")
    return page[start:page.index("</tr>", start)]


def test_password_reset_page_says_how_far_the_mail_got(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": "staf@satusama.test"})
    done = client.get(response["Location"]).content.decode()
    assert "E-mail sedang diproses" in done and 'http-equiv="refresh"' in done
    for callback in callbacks:
        callback()
    done = client.get(response["Location"]).content.decode()
    assert "E-mail terkirim" in done and 'http-equiv="refresh"' not in done


def test_password_reset_page_is_the_same_for_an_unknown_address(world, client, django_capture_on_commit_callbacks):
    # Not an account: a mail still goes out (allauth's "unknown account" mail), so the page reveals nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "bukan-akun@satusama.test"})
    done = client.get(response["Location"]).content.decode()
    assert "E-mail terkirim" in done
    with scopes_disabled():
        delivery = EmailDelivery.objects.get()
    assert delivery.tenant is None and delivery.topic == "account:unknown_account"
