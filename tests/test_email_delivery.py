"""E-mail delivery records: queued with the business change, marked sent by the task once, shown where users look."""

import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib import messages
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from satusama.mail import (
    FAILED,
    SENDING,
    SENT,
    WAITING,
    count_by_status,
    latest_deliveries,
    mail_message,
    progress,
    queue_email,
)
from satusama.models import EmailDelivery, PendingTask
from satusama.tasks import fail_lost_email_deliveries, forget_old_email_deliveries, send_email
from stakeholders import services as stakeholder_services
from stakeholders.models import User

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


# --- what the user is told right after the action (eager: no Redis, the mail goes out on commit) ------------------

@pytest.mark.django_db(transaction=True)
def test_invitation_message_says_sent_only_when_the_mail_has_gone(world):
    # Real commits: the service commits, its e-mail goes out (eagerly, no Redis), then the view tells the truth.
    response = world.client_for(world.org_admin).post(
        reverse("stakeholders:people", args=["diy", world.org.pk]), {"email": "baru@lembaga.id", "role": "staff"},
        follow=True)
    assert "Undangan untuk baru@lembaga.id disimpan. E-mail sudah terkirim." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["baru@lembaga.id"]]


@pytest.mark.django_db(transaction=True)
def test_invitation_message_says_when_the_mail_could_not_be_sent(world, settings):
    # A real SMTP connection to a port nobody listens on: every retry fails, the delivery is failed at once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    response = world.client_for(world.org_admin).post(
        reverse("stakeholders:people", args=["diy", world.org.pk]), {"email": "baru@lembaga.id", "role": "staff"},
        follow=True)
    page = response.content.decode()
    assert "Undangan untuk baru@lembaga.id disimpan. E-mail gagal terkirim; coba lagi nanti." in page
    assert "E-mail gagal terkirim</span>" in page_row(response, "baru@lembaga.id")


@pytest.mark.django_db(transaction=True)
def test_resend_and_meeting_invitations_use_the_same_words(world):
    with scope(tenant=world.tenant):
        invitation = stakeholder_services.invitation_create(
            organization=world.org, email="ulang@lembaga.id", role="staff", by=world.org_admin,
            site_url="http://testserver")
    client = world.client_for(world.org_admin)
    page = client.post(reverse("stakeholders:invitation_resend", args=["diy", invitation.pk]), follow=True)
    assert "Undangan untuk ulang@lembaga.id diperbarui; berlaku 7 hari. E-mail sudah terkirim." in (
        page.content.decode())
    # The revocation sends nothing and says nothing about e-mail.
    page = client.post(reverse("stakeholders:invitation_revoke", args=["diy", invitation.pk]), follow=True)
    assert "sudah dibatalkan" in page.content.decode() and "E-mail sudah" not in page.content.decode()


def test_progress_is_the_least_advanced_state_and_reads_the_outbox(world):
    sent = EmailDelivery.objects.create(tenant=world.tenant, topic="t:1", status="sent")
    queued = EmailDelivery.objects.create(tenant=world.tenant, topic="t:2")
    kept = EmailDelivery.objects.create(tenant=world.tenant, topic="t:3")
    failed = EmailDelivery.objects.create(tenant=world.tenant, topic="t:4", status="failed")
    PendingTask.objects.create(name=send_email.name, kwargs=payload(kept))
    PendingTask.objects.create(name="satusama.tasks.flush_pending_tasks", kwargs={})  # no delivery: ignored
    assert progress([]) is None
    assert progress([sent]) == SENT
    assert progress([sent, queued]) == SENDING
    assert progress([sent, queued, kept]) == WAITING
    assert progress([kept, failed]) == FAILED
    assert EmailDelivery.waiting_in_outbox() == {str(kept.pk)}
    assert EmailDelivery.waiting_in_outbox([queued.pk]) == set()


def test_message_levels_and_english_wording(world, rf):
    queued = EmailDelivery.objects.create(tenant=world.tenant, topic="t:1")
    kept = EmailDelivery.objects.create(tenant=world.tenant, topic="t:2")
    PendingTask.objects.create(name=send_email.name, kwargs=payload(kept))
    with translation.override("en"):
        assert mail_message("Saved.", [queued]) == (messages.SUCCESS, "Saved. The e-mail is being sent.")
        assert mail_message("Saved.", [queued, kept]) == (
            messages.WARNING, "Saved. The e-mails will be sent as soon as the mail service is available again.")
        assert mail_message("Revoked.", []) == (messages.SUCCESS, "Revoked.")
    with translation.override("id"):
        assert mail_message("Disimpan.", [kept])[1] == (
            "Disimpan. E-mail akan dikirim begitu layanan e-mail tersedia kembali.")


# --- e-mails whose task was lost are marked failed ------------------------------------------------------------------

def aged(delivery, *, hours: float, field: str = "created_at") -> EmailDelivery:
    EmailDelivery.objects.with_scopes_disabled().filter(pk=delivery.pk).update(
        **{field: timezone.now() - timedelta(hours=hours)})
    return fresh(delivery)


def test_a_delivery_queued_too_long_is_marked_failed_unless_its_task_waits_in_the_outbox(world, settings):
    lost = aged(EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:20"), hours=7)
    recent = aged(EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:21"), hours=5)
    kept = aged(EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:22"), hours=30)
    PendingTask.objects.create(name=send_email.name, kwargs=payload(kept), last_error="Connection refused")
    # Waited 10 hours in the outbox, handed to the queue an hour ago: it counts from then.
    requeued = aged(aged(EmailDelivery.objects.create(tenant=None, topic="account:password_reset_key"), hours=10),
                    hours=1, field="requeued_at")
    requeued_long_ago = aged(aged(EmailDelivery.objects.create(tenant=None, topic="account:email_confirmation"),
                                  hours=20), hours=7, field="requeued_at")
    sent = aged(EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:23", status="sent"), hours=9)

    settings.SATUSAMA_EMAIL_LOST_AFTER = timedelta(hours=6)
    assert fail_lost_email_deliveries.apply().get() == 2
    assert {d.topic: fresh(d).status for d in (lost, recent, kept, requeued, requeued_long_ago, sent)} == {
        "invitation:20": "failed", "invitation:21": "queued", "invitation:22": "queued",
        "account:password_reset_key": "queued", "account:email_confirmation": "failed", "invitation:23": "sent",
    }
    assert fresh(lost).last_error == "Lost: no word from the mail worker within 6 h of queueing"
    assert fresh(lost).sent_at is None
    assert fail_lost_email_deliveries.apply().get() == 0  # nothing left to mark


def test_a_lost_invitation_mail_shows_failed_and_a_late_task_still_marks_it_sent(
    world, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the task never reaches a worker
        invitation = invite(world, "hilang@lembaga.id")
    with scopes_disabled():
        delivery = aged(EmailDelivery.objects.get(topic=invitation.mail_topic), hours=6.5)
    settings.SATUSAMA_EMAIL_LOST_AFTER = timedelta(hours=6)
    assert fail_lost_email_deliveries.apply().get() == 1
    client = world.client_for(world.org_admin)
    url = reverse("stakeholders:people", args=["diy", world.org.pk])
    row = page_row(client.get(url), "hilang@lembaga.id")
    assert "E-mail gagal terkirim" in row and "sedang diproses" not in row
    # The admin sends it again from the same row: a new delivery, being processed.
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("stakeholders:invitation_resend", args=["diy", invitation.pk]))
    assert "E-mail sedang diproses" in page_row(client.get(url), "hilang@lembaga.id")
    # Had the lost task turned up after all, it would still send and mark it sent.
    send_email.apply(kwargs=payload(delivery))
    assert fresh(delivery).status == "sent"


def test_the_lost_mail_check_is_scheduled_and_its_setting_refuses_a_wait_shorter_than_redeliveries(monkeypatch):
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["fail-lost-email-deliveries"] == {
        "task": "satusama.tasks.fail_lost_email_deliveries", "schedule": 3600.0}
    assert timedelta(hours=6) == settings.SATUSAMA_EMAIL_LOST_AFTER
    monkeypatch.setenv("SATUSAMA_EMAIL_LOST_AFTER_HOURS", "0.5")
    monkeypatch.setenv("SECRET_KEY", "test-only")
    with pytest.raises(ImproperlyConfigured, match="visibility timeout"):
        runpy.run_path(str(Path(settings.BASE_DIR) / "satusama" / "settings.py"))


# --- the admin panel: read-only, each tenant admin their own tenant's ------------------------------------------------

@pytest.fixture
def deliveries(world):
    return {
        "diy": EmailDelivery.objects.create(tenant=world.tenant, topic="invitation:31", recipients=1),
        "diy-failed": EmailDelivery.objects.create(tenant=world.tenant, topic="meeting-invitation:4:7",
                                                   status="failed", last_error="Lost: …"),
        "jateng": EmailDelivery.objects.create(tenant=world.other_tenant, topic="invitation:32", status="sent"),
        "account": EmailDelivery.objects.create(tenant=None, topic="account:password_reset_key"),
    }


def admin_list(client, **query) -> str:
    response = client.get(reverse("admin:satusama_emaildelivery_changelist"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_tenant_admin_reads_only_their_tenants_deliveries(world, deliveries):
    client = world.client_for(world.tenant_admin)
    page = admin_list(client)
    assert "invitation:31" in page and "meeting-invitation:4:7" in page
    assert "invitation:32" not in page and "account:password_reset_key" not in page
    failed = admin_list(client, status="failed")
    assert "meeting-invitation:4:7" in failed and "invitation:31" not in failed
    by_kind = admin_list(client, kind="meeting-invitation")
    assert "meeting-invitation:4:7" in by_kind and "invitation:31" not in by_kind
    # Their own row opens read-only; another tenant's and account mails are not found.
    change = client.get(reverse("admin:satusama_emaildelivery_change", args=[deliveries["diy-failed"].pk]))
    assert change.status_code == 200 and "Lost: …" in change.content.decode()
    assert 'name="_save"' not in change.content.decode()
    for other in ("jateng", "account"):
        url = reverse("admin:satusama_emaildelivery_change", args=[deliveries[other].pk])
        assert client.get(url).status_code == 404


def test_nobody_adds_changes_or_deletes_a_delivery(world, deliveries):
    with scopes_disabled():
        root = User.objects.create_superuser(email="root@satusama.test", password="x")  # noqa: S106
    for user in (root, world.tenant_admin):
        client = world.client_for(user)
        assert client.get(reverse("admin:satusama_emaildelivery_add")).status_code == 403
        url = reverse("admin:satusama_emaildelivery_change", args=[deliveries["diy"].pk])
        assert client.post(url, {"topic": "x:1", "status": "sent", "recipients": 9}).status_code == 403
        assert client.post(reverse("admin:satusama_emaildelivery_delete", args=[deliveries["diy"].pk]),
                           {"post": "yes"}).status_code == 403
    assert (fresh(deliveries["diy"]).topic, fresh(deliveries["diy"]).status) == ("invitation:31", "queued")


def test_superuser_sees_every_delivery_and_organisation_staff_none(world, deliveries):
    with scopes_disabled():
        root = User.objects.create_superuser(email="root@satusama.test", password="x")  # noqa: S106
    page = admin_list(world.client_for(root))
    assert all(topic in page for topic in ("invitation:31", "invitation:32", "account:password_reset_key"))
    assert "SATUSAMA Jawa Tengah" in page  # the tenant column, empty for account mails
    assert "invitation:32" not in admin_list(world.client_for(root), tenant__id__exact=world.tenant.pk)
    assert "account:password_reset_key" in admin_list(world.client_for(root), kind="account")
    response = world.client_for(world.org_admin).get(reverse("admin:satusama_emaildelivery_changelist"))
    assert response.status_code == 302  # not an admin: sent to the login page


def test_sign_up_confirmation_says_how_far_its_mail_got(db, client, settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("account_signup"), {
            "email": "warga.baru@lembaga.id", "password1": "Kopi-Merapi-2026!", "password2": "Kopi-Merapi-2026!",
        }, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    # allauth's "Confirmation e-mail sent to …" and its page's "We have sent an e-mail" become the truth.
    assert ("Untuk mengonfirmasi warga.baru@lembaga.id, buka tautan di e-mail yang kami kirim ke alamat itu. "
            "E-mail sedang dikirim.") in page
    assert "E-mail sedang diproses" in page and 'http-equiv="refresh"' in page and "dikirim ke warga" not in page
    for callback in callbacks:
        callback()
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "E-mail terkirim" in page and "Periksa folder spam" in page and 'http-equiv="refresh"' not in page
    with scopes_disabled():
        assert EmailDelivery.objects.get().topic == "account:email_confirmation_signup"


def test_a_password_reset_mail_is_not_shown_as_the_confirmation_mail(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "staf@satusama.test"})
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "E-mail terkirim" not in page and "email-state" not in page  # allauth's page as it is
