"""Writes about organisations and people: invitations, memberships, registration requests; each one audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from satusama.mail import queue_email

from .models import (
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    OrganizationRequest,
    Tenant,
    User,
    new_invitation_token,
)
from .permissions import forget_cached_roles


class InvitationError(Exception):
    """An invitation link that cannot be used; `status` says why (revoked, expired, accepted, wrong account)."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def audit(*, tenant: Tenant, actor: User | None, action: str, organization: Organization | None = None,
          email: str = "", detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        tenant=tenant, actor=actor if actor and actor.is_authenticated else None, action=action,
        organization=organization, organization_name=organization.name if organization else "",
        subject_email=email, detail=detail[:300],
    )


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("“%(email)s” is not a valid e-mail address.") % {"email": email},
                              code="invalid_email") from None
    return email


# --- invitations ---------------------------------------------------------------------------------------------

def invitation_url(invitation: Invitation, site_url: str) -> str:
    path = reverse("stakeholders:invitation", args=[invitation.tenant.slug, invitation.token])
    return site_url.rstrip("/") + path


def _send_invitation(invitation: Invitation, *, site_url: str) -> None:
    """Queue the invitation's e-mail; the invitation carries its delivery as `email_delivery`, as on the people page.

    Rendered now, in Indonesian (the portal's language), so the worker only carries text."""
    context = {
        "invitation": invitation, "organization": invitation.organization, "tenant": invitation.tenant,
        "url": invitation_url(invitation, site_url), "inviter": invitation.invited_by,
        "expires_at": invitation.expires_at, "role": invitation.get_role_display(),
    }
    with translation.override("id"):
        subject = _("[SATUSAMA] Invitation to join %(organization)s") % {"organization": invitation.organization}
        body = render_to_string("stakeholders/email/invitation.txt", context)
    invitation.email_delivery = queue_email(EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email]),
                                            topic=invitation.mail_topic, tenant=invitation.tenant)


@transaction.atomic
def invitation_create(*, organization: Organization, email: str, role: str, by: User | None,
                      site_url: str) -> Invitation:
    """Invite an address to an organisation; an expired open invitation for it is renewed instead.

    Raises ValidationError when the address is invalid, already belongs to a member, or already has a
    pending invitation (re-send that one instead).
    """
    email = normalise_email(email)
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a valid role."), code="invalid_role")
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of %(organization)s.") % {"email": email, "organization": organization},
            code="already_member",
        )
    open_invitation = Invitation.objects.filter(
        organization=organization, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if open_invitation and open_invitation.status == Invitation.Status.PENDING:
        raise ValidationError(
            _("%(email)s has already been invited and the invitation is still valid. Re-send it from the list "
              "of pending invitations if needed.") % {"email": email},
            code="already_invited",
        )
    if open_invitation:
        open_invitation.role = role
        open_invitation.invited_by = by
        invitation = _renew(open_invitation)
    else:
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    tenant=organization.tenant, organization=organization, email=email, role=role, invited_by=by
                )
        except IntegrityError:  # two admins inviting the same address at the same moment
            raise ValidationError(_("%(email)s has just been invited by someone else.") % {"email": email},
                                  code="already_invited") from None
    audit(tenant=organization.tenant, actor=by, action=AuditEvent.Action.INVITED, organization=organization,
          email=email, detail=_("as %(role)s") % {"role": invitation.get_role_display()})
    _send_invitation(invitation, site_url=site_url)
    return invitation


def _renew(invitation: Invitation) -> Invitation:
    # A new token: a link forwarded from an older e-mail stops working once a fresh one is sent.
    invitation.token = new_invitation_token()
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.save()
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User | None, site_url: str) -> Invitation:
    """Send again with a fresh seven days; only open (not accepted, not revoked) invitations."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(_("This invitation was already %(status)s; it cannot be re-sent.")
                              % {"status": invitation.get_status_display().lower()}, code="closed")
    _renew(invitation)
    audit(tenant=invitation.tenant, actor=by, action=AuditEvent.Action.INVITATION_RESENT,
          organization=invitation.organization, email=invitation.email)
    _send_invitation(invitation, site_url=site_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User | None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation was already accepted; remove the member instead."),
                              code="accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(tenant=invitation.tenant, actor=by, action=AuditEvent.Action.INVITATION_REVOKED,
              organization=invitation.organization, email=invitation.email)
    return invitation


def invitation_check(invitation: Invitation, user: User | None = None) -> None:
    """Raise InvitationError with a clear message when the link cannot be used (by this user)."""
    status = invitation.status
    if status == Invitation.Status.REVOKED:
        raise InvitationError(status, _("This invitation was withdrawn by the organisation. Ask its admin for a "
                                        "new invitation if you still need access."))
    if status == Invitation.Status.EXPIRED:
        raise InvitationError(status, _("This invitation expired on %(date)s (invitations are valid for 7 days). "
                                        "Ask the organisation's admin to send it again.")
                              % {"date": timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y %H:%M")})
    if status == Invitation.Status.ACCEPTED:
        raise InvitationError(status, _("This invitation has already been accepted."))
    if user is not None and user.email.lower() != invitation.email.lower():
        raise InvitationError("wrong_account", _(
            "This invitation was sent to %(invited)s, but you are signed in as %(current)s. Sign out and sign "
            "in (or create an account) with %(invited)s to accept it."
        ) % {"invited": invitation.email, "current": user.email})


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person joins the organisation with the invited role; the link is used up."""
    invitation = Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    invitation_check(invitation, user)
    membership, created = Membership.objects.get_or_create(
        tenant=invitation.tenant, user=user, organization=invitation.organization,
        defaults={"role": invitation.role},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        audit(tenant=invitation.tenant, actor=user, action=AuditEvent.Action.JOINED,
              organization=invitation.organization, email=user.email,
              detail=_("as %(role)s, by invitation") % {"role": membership.get_role_display()})
    forget_cached_roles(user)
    return membership


def user_set_name(*, user: User, full_name: str) -> User:
    user.full_name = " ".join(full_name.split())
    user.save(update_fields=["full_name"])
    return user


# --- memberships ---------------------------------------------------------------------------------------------

def _other_admins(membership: Membership) -> bool:
    return Membership.objects.filter(
        organization_id=membership.organization_id, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk).exists()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User | None) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a valid role."), code="invalid_role")
    if role == membership.role:
        return membership
    if membership.role == Membership.Role.ADMIN and not _other_admins(membership):
        raise ValidationError(_("%(org)s needs at least one admin: make someone else admin first.")
                              % {"org": membership.organization}, code="last_admin")
    old = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role"])
    audit(tenant=membership.tenant, actor=by, action=AuditEvent.Action.ROLE_CHANGED,
          organization=membership.organization, email=membership.user.email,
          detail=f"{old} → {membership.get_role_display()}")
    forget_cached_roles(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User | None) -> None:
    membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and not _other_admins(membership):
        raise ValidationError(_("%(org)s needs at least one admin: make someone else admin first.")
                              % {"org": membership.organization}, code="last_admin")
    audit(tenant=membership.tenant, actor=by, action=AuditEvent.Action.REMOVED,
          organization=membership.organization, email=membership.user.email,
          detail=membership.get_role_display())
    membership.delete()
    forget_cached_roles(membership.user)


# --- organisations -------------------------------------------------------------------------------------------

def _check_unique_name(tenant: Tenant, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    clash = Organization.objects.filter(tenant=tenant, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(_("An organisation named “%(name)s” is already registered in this province.")
                              % {"name": name}, code="duplicate_name")
    return name


@transaction.atomic
def organization_create(*, tenant: Tenant, by: User | None, name: str, helix: str, regions=(),
                        admin_email: str = "", site_url: str = "", verified: bool = True,
                        **fields) -> Organization:
    """A tenant admin registers an organisation and (optionally) invites its first admin, all or nothing."""
    name = _check_unique_name(tenant, name)
    if admin_email:
        admin_email = normalise_email(admin_email)
    org = Organization.objects.create(tenant=tenant, name=name, helix=helix, verified=verified, **fields)
    org.regions.set(regions)
    audit(tenant=tenant, actor=by, action=AuditEvent.Action.ORGANIZATION_CREATED, organization=org)
    if admin_email:
        invitation_create(organization=org, email=admin_email, role=Membership.Role.ADMIN, by=by, site_url=site_url)
    return org


@transaction.atomic
def organization_request_create(*, tenant: Tenant, by: User, name: str, helix: str, regions=(),
                                **fields) -> OrganizationRequest:
    name = _check_unique_name(tenant, name)
    if OrganizationRequest.objects.filter(
        tenant=tenant, name__iexact=name, status=OrganizationRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("A request to register “%(name)s” is already waiting for a decision.")
                              % {"name": name}, code="duplicate_request")
    org_request = OrganizationRequest.objects.create(tenant=tenant, requested_by=by, name=name, helix=helix, **fields)
    org_request.regions.set(regions)
    return org_request


def _pending_request(org_request: OrganizationRequest) -> OrganizationRequest:
    """Lock the request; a second click (or a second admin) finds it decided."""
    org_request = OrganizationRequest.objects.select_for_update().get(pk=org_request.pk)
    if org_request.status != OrganizationRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="decided")
    return org_request


def _decide(org_request: OrganizationRequest, status: str, by: User, note: str) -> None:
    org_request.status = status
    org_request.decided_by, org_request.decided_at, org_request.decision_note = by, timezone.now(), note
    org_request.save()


@transaction.atomic
def organization_request_approve(*, org_request: OrganizationRequest, by: User, note: str = "") -> Organization:
    """Create the organisation; the person who asked becomes its first admin."""
    org_request = _pending_request(org_request)
    org = organization_create(
        tenant=org_request.tenant, by=by, name=org_request.name, helix=org_request.helix,
        regions=list(org_request.regions.all()), description=org_request.description,
        website=org_request.website, contact_email=org_request.contact_email,
    )
    Membership.objects.create(tenant=org.tenant, user=org_request.requested_by, organization=org,
                              role=Membership.Role.ADMIN)
    forget_cached_roles(org_request.requested_by)
    org_request.organization = org
    _decide(org_request, OrganizationRequest.Status.APPROVED, by, note)
    audit(tenant=org.tenant, actor=by, action=AuditEvent.Action.REQUEST_APPROVED, organization=org,
          email=org_request.requested_by.email, detail=_("first admin"))
    return org


@transaction.atomic
def organization_request_decline(*, org_request: OrganizationRequest, by: User, note: str = "") -> None:
    org_request = _pending_request(org_request)
    _decide(org_request, OrganizationRequest.Status.DECLINED, by, note)
    audit(tenant=org_request.tenant, actor=by, action=AuditEvent.Action.REQUEST_DECLINED,
          email=org_request.requested_by.email, detail=f"{org_request.name}: {note}")

