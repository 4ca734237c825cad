"""Invitations: invite, e-mail, accept (existing account and sign-up), expire, revoke, re-send, audit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stakeholders.models import AuditEvent, Invitation, Membership, User
from tests.conftest import PASSWORD, make_user

from .conftest import link_in_last_email

pytestmark = pytest.mark.django_db


def people_url(world, org=None):
    return reverse("stakeholders:people", args=[world.tenant.slug, (org or world.org).pk])


def test_org_admin_invites_with_role_and_email_is_sent(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(people_url(world), {"email": "Baru@Lembaga.id ", "role": "admin"}, follow=True)
    # The page is answered before this test's transaction commits: the e-mail is on its way, not yet sent.
    assert "Undangan untuk baru@lembaga.id disimpan. E-mail sedang dikirim." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["baru@lembaga.id"]
    assert "Dinas Koperasi dan UKM Kabupaten Sleman" in message.subject
    assert "/diy/lembaga/gabung/" in message.body
    with scopes_disabled():
        invitation = Invitation.objects.get(email="baru@lembaga.id")
        assert invitation.role == "admin" and invitation.invited_by == world.org_admin
        assert invitation.status == Invitation.Status.PENDING
        assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
        event = AuditEvent.objects.get(action=AuditEvent.Action.INVITED)
        assert event.actor == world.org_admin and event.subject_email == "baru@lembaga.id"
    page = client.get(people_url(world)).content.decode()
    assert "baru@lembaga.id" in page and "Kirim ulang" in page


def test_existing_account_signs_in_from_the_link_and_lands_in_the_organisation(world, invite):
    invite(world.colleague.email)
    link = link_in_last_email()
    client = Client()
    response = client.get(link)
    assert response.status_code == 200
    assert "Anda sudah memiliki akun" in response.content.decode()
    login = reverse("account_login")
    response = client.post(f"{login}?next={link}", {"login": world.colleague.email, "password": PASSWORD,
                                                    "next": link.replace("http://testserver", "")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("stakeholders:organization", args=["diy", world.org.pk])
    assert "Selamat bergabung di Dinas Koperasi dan UKM Kabupaten Sleman" in response.content.decode()
    with scopes_disabled():
        membership = Membership.objects.get(user=world.colleague, organization=world.org)
        assert membership.role == "staff"
        invitation = Invitation.objects.get(email=world.colleague.email)
        assert invitation.accepted_by == world.colleague
        assert AuditEvent.objects.filter(action=AuditEvent.Action.JOINED, subject_email=world.colleague.email).exists()


def test_new_person_signs_up_from_the_link_and_lands_in_the_organisation(world, invite):
    invite("rekan.baru@lembaga.id", role="admin")
    link = link_in_last_email()
    client = Client()
    page = client.get(link).content.decode()
    assert "Buat akun" in page
    path = link.replace("http://testserver", "")
    signup = reverse("account_signup")
    response = client.post(f"{signup}?next={path}", {
        "email": "rekan.baru@lembaga.id", "password1": "Sandi-Baru-2026!", "password2": "Sandi-Baru-2026!",
        "next": path,
    }, follow=True)
    assert response.redirect_chain[-1][0] == reverse("stakeholders:organization", args=["diy", world.org.pk])
    with scopes_disabled():
        user = User.objects.get(email="rekan.baru@lembaga.id")
        assert Membership.objects.get(user=user, organization=world.org).role == "admin"


def test_accepted_link_says_so(world, invite):
    invitation = invite(world.colleague.email)
    with scope(tenant=world.tenant):
        from stakeholders.services import invitation_accept

        invitation_accept(invitation=invitation, user=world.colleague)
    response = Client().get(link_in_last_email())
    assert "Undangan ini sudah diterima" in response.content.decode()
    # the person who accepted it is simply taken to the organisation
    response = world.client_for(world.colleague).get(link_in_last_email())
    assert response.status_code == 302


def test_expired_link_says_when_and_what_to_do(world, invite):
    invitation = invite("telat@lembaga.id")
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=8))
    response = Client().get(link_in_last_email())
    assert response.status_code == 410
    body = response.content.decode()
    assert "Undangan kedaluwarsa" in body and "berlaku 7 hari" in body


def test_revoked_link_is_refused_and_resend_renews(world, invite, django_capture_on_commit_callbacks):
    invitation = invite("batal@lembaga.id")
    old_link = link_in_last_email()
    client = world.client_for(world.org_admin)
    response = client.post(reverse("stakeholders:invitation_revoke", args=["diy", invitation.pk]), follow=True)
    assert "sudah dibatalkan" in response.content.decode()
    response = Client().get(old_link)
    assert response.status_code == 410
    assert "Undangan ini ditarik" in response.content.decode()
    # a revoked invitation cannot be re-sent; a new invitation can be made
    response = client.post(reverse("stakeholders:invitation_resend", args=["diy", invitation.pk]), follow=True)
    assert "tidak dapat dikirim ulang" in response.content.decode()


def test_resend_gives_a_fresh_link_and_seven_days(world, invite, django_capture_on_commit_callbacks):
    invitation = invite("ulang@lembaga.id")
    old_link = link_in_last_email()
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=10))
    client = world.client_for(world.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stakeholders:invitation_resend", args=["diy", invitation.pk]))
    assert len(mail.outbox) == 2
    new_link = link_in_last_email()
    assert new_link != old_link
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link).status_code == 200
    with scopes_disabled():
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.PENDING and invitation.send_count == 2
        assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_RESENT).count() == 1


def test_wrong_account_is_told_which_address_was_invited(world, invite):
    invite("orang.lain@lembaga.id")
    body = world.client_for(world.colleague).get(link_in_last_email()).content.decode()
    assert "orang.lain@lembaga.id" in body and world.colleague.email in body
    with scopes_disabled():
        assert not Membership.objects.filter(user=world.colleague, organization=world.org).exists()


def test_admin_changes_role_and_removes_member_with_audit(world):
    client = world.client_for(world.org_admin)
    with scopes_disabled():
        staff_membership = Membership.objects.get(user=world.staff, organization=world.org)
    client.post(reverse("stakeholders:membership_role", args=["diy", staff_membership.pk]), {"role": "admin"})
    with scopes_disabled():
        staff_membership.refresh_from_db()
        assert staff_membership.role == "admin"
    client.post(reverse("stakeholders:membership_remove", args=["diy", staff_membership.pk]))
    with scopes_disabled():
        assert not Membership.objects.filter(pk=staff_membership.pk).exists()
        actions = list(AuditEvent.objects.filter(subject_email=world.staff.email).values_list("action", flat=True))
    assert sorted(actions) == ["removed", "role_changed"]
    log = world.client_for(world.tenant_admin).get(reverse("stakeholders:audit", args=["diy"])).content.decode()
    assert "Peran diubah" in log and world.staff.email in log and "Kepala Bidang" in log


def test_last_admin_cannot_leave_the_organisation_without_one(world):
    client = world.client_for(world.org_admin)
    with scopes_disabled():
        mine = Membership.objects.get(user=world.org_admin, organization=world.org)
    response = client.post(reverse("stakeholders:membership_remove", args=["diy", mine.pk]), follow=True)
    assert "membutuhkan setidaknya satu admin" in response.content.decode()
    with scopes_disabled():
        assert Membership.objects.filter(pk=mine.pk).exists()


def test_new_account_without_invitation_session_joins_nothing(world):
    make_user("biasa@lembaga.id")
    with scopes_disabled():
        assert not Membership.objects.filter(user__email="biasa@lembaga.id").exists()
