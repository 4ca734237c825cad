"""After sign-in or sign-up, accept the invitation whose e-mail link brought the person here."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_scopes import scope, scopes_disabled

INVITATION_SESSION_KEY = "stakeholders_invitation"


@receiver(user_logged_in, dispatch_uid="stakeholders_accept_pending_invitation")
def accept_pending_invitation(sender, request, user, **kwargs):
    # allauth logs the new account in right after sign-up, so this one hook serves both paths.
    if request is None or not hasattr(request, "session"):
        return None
    token = request.session.pop(INVITATION_SESSION_KEY, None)
    if not token:
        return None
    from . import services
    from .models import Invitation

    with scopes_disabled():
        invitation = Invitation.objects.select_related("organization", "tenant").filter(token=token).first()
    if invitation is None:
        return None
    with scope(tenant=invitation.tenant), transaction.atomic():
        try:
            return services.invitation_accept(invitation=invitation, user=user)
        except services.InvitationError:
            return None  # the invitation page explains why when the user lands back on it
