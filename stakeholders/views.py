"""Directory, organisation pages, people management, invitations, registration requests, audit log, profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from satusama.mail import flash_mail
from satusama.middleware import public

from . import permissions as perms
from . import selectors, services
from .extensions import ORGANIZATION_SECTIONS
from .forms import (
    DecisionForm,
    DirectoryFilterForm,
    InvitationForm,
    NameForm,
    NewOrganizationForm,
    OrganizationProfileForm,
    OrganizationRequestForm,
    RoleForm,
)
from .models import Invitation, Membership, Organization, OrganizationRequest
from .signals import INVITATION_SESSION_KEY

# --- access helpers: the first line of every view ----------------------------------------------------------

def get_organization_for_user(request, pk: int) -> Organization:
    """An organisation of the current tenant (404 otherwise; the tenant middleware already checked membership)."""
    return get_object_or_404(Organization.objects.select_related("parent", "tenant"), pk=pk, tenant=request.tenant)


def get_managed_organization(request, pk: int) -> Organization:
    org = get_organization_for_user(request, pk)
    if not perms.can_manage_people(request.user, org):
        raise PermissionDenied
    return org


def get_invitation_for_manager(request, pk: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("organization"), pk=pk, tenant=request.tenant)
    if not perms.can_manage_people(request.user, invitation.organization):
        raise PermissionDenied
    return invitation


def get_membership_for_manager(request, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("organization", "user"), pk=pk, tenant=request.tenant
    )
    if not perms.can_manage_people(request.user, membership.organization):
        raise PermissionDenied
    return membership


def get_request_for_decider(request, pk: int) -> OrganizationRequest:
    org_request = get_object_or_404(OrganizationRequest, pk=pk, tenant=request.tenant)
    if not perms.can_decide_organization_request(request.user, org_request):
        raise PermissionDenied
    return org_request


def site_url(request) -> str:
    return request.build_absolute_uri("/")


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- directory and organisation pages ----------------------------------------------------------------------

def directory(request):
    """ "Siapa melakukan apa di mana": organisations by helix kind and region; htmx swaps the results only."""
    regions = selectors.tenant_regions(request.tenant)
    form = DirectoryFilterForm(request.GET or None, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.directory(
        request.tenant, helix=filters.get("helix", ""), region=filters.get("region", ""), q=filters.get("q", ""),
        extra=filters, user=request.user,
    )
    context = {
        **data, "form": form, "filters": filters,
        # the helix pills keep every other filter
        "keep_filters": urlencode({k: v for k, v in filters.items() if v and k != "helix"}),
        "can_create": perms.can_create_organization(request.user, request.tenant),
        "can_decide": perms.can_create_organization(request.user, request.tenant),
        "can_view_audit": perms.can_view_audit_log(request.user, request.tenant),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "stakeholders/_directory_results.html", context)
    return render(request, "stakeholders/directory.html", context)


def organization_detail(request, pk):
    org = get_organization_for_user(request, pk)
    return render(request, "stakeholders/organization_detail.html", {
        "org": org,
        "regions": org.regions.order_by("code"),
        "children": org.children.order_by("name"),
        "people": selectors.organization_people(org),
        "show_emails": perms.can_see_member_emails(request.user, org),
        "can_edit": perms.can_edit_organization(request.user, org),
        "can_manage_people": perms.can_manage_people(request.user, org),
        "my_role": perms.role_in_org(request.user, org),
        # sections other apps add (programs: the organisation's programs), see extensions.py
        "sections": [(section.template, section.context(request, org)) for section in ORGANIZATION_SECTIONS],
    })


def organization_edit(request, pk):
    org = get_organization_for_user(request, pk)
    if not perms.can_edit_organization(request.user, org):
        raise PermissionDenied
    form = OrganizationProfileForm(request.POST or None, request.FILES or None, instance=org, tenant=request.tenant,
                                   can_verify=perms.can_verify_organization(request.user, org))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's profile was saved."))
        return redirect("stakeholders:organization", request.tenant.slug, org.pk)
    return render(request, "stakeholders/organization_form.html", {"form": form, "org": org})


def organization_create(request):
    if not perms.can_create_organization(request.user, request.tenant):
        raise PermissionDenied
    form = NewOrganizationForm(request.POST or None, request.FILES or None, tenant=request.tenant, can_verify=True,
                               initial={"verified": True})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            org = services.organization_create(
                tenant=request.tenant, by=request.user, name=data.pop("name"), helix=data.pop("helix"),
                regions=data.pop("regions"), admin_email=data.pop("admin_email"), site_url=site_url(request),
                **{k: v for k, v in data.items() if v not in (None, "")},
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(org)s was registered.") % {"org": org})
            return redirect("stakeholders:organization", request.tenant.slug, org.pk)
    return render(request, "stakeholders/organization_form.html", {"form": form, "org": None})


# --- people: invitations, roles, removal --------------------------------------------------------------------

def people(request, pk):
    """The organisation admin's page: invite with a role, pending invitations, members and their roles."""
    org = get_managed_organization(request, pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organization=org, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                by=request.user, site_url=site_url(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            flash_mail(request, _("The invitation for %(email)s is saved.") % {"email": invitation.email},
                       [invitation.email_delivery])
            return redirect("stakeholders:people", request.tenant.slug, org.pk)
    return render(request, "stakeholders/people.html", {
        "org": org, "form": form,
        "people": selectors.organization_people(org),
        "invitations": selectors.open_invitations(org),
        "roles": Membership.Role.choices,
        "events": selectors.audit_events(request.tenant, organization=org, limit=20),
    })


def _back_to_people(request, org):
    return redirect("stakeholders:people", request.tenant.slug, org.pk)


def _invitation_action(request, pk, action, success: str):
    """Apply `action` to an invitation the user manages; one that sends it again says how far its e-mail got."""
    invitation = get_invitation_for_manager(request, pk)
    try:
        invitation = action(invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        delivery = getattr(invitation, "email_delivery", None)
        flash_mail(request, success % {"email": invitation.email}, [delivery] if delivery else [])
    return _back_to_people(request, invitation.organization)


@require_POST
def invitation_resend(request, pk):
    return _invitation_action(
        request, pk,
        lambda inv: services.invitation_resend(invitation=inv, by=request.user, site_url=site_url(request)),
        _("The invitation for %(email)s is renewed; it is valid for 7 days."),
    )


@require_POST
def invitation_revoke(request, pk):
    return _invitation_action(
        request, pk, lambda inv: services.invitation_revoke(invitation=inv, by=request.user),
        _("The invitation to %(email)s was revoked; its link no longer works."),
    )


@require_POST
def membership_role(request, pk):
    membership = get_membership_for_manager(request, pk)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a valid role."))
        services.membership_change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role of %(person)s was changed.") % {"person": membership.user})
    return _back_to_people(request, membership.organization)


@require_POST
def membership_remove(request, pk):
    membership = get_membership_for_manager(request, pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_people(request, membership.organization)
    messages.success(request, _("%(person)s was removed from %(org)s.")
                     % {"person": membership.user, "org": membership.organization})
    if membership.user_id == request.user.pk and not perms.is_tenant_admin(request.user, request.tenant):
        return redirect("stakeholders:directory", request.tenant.slug)
    return _back_to_people(request, membership.organization)


# --- accepting an invitation (the e-mail link) --------------------------------------------------------------

@public
def invitation_accept(request, token):
    """The e-mail link. Anonymous: sign up or sign in, then come back here already accepted (see signals.py)."""
    invitation = Invitation.objects.select_related("organization").filter(tenant=request.tenant, token=token).first()
    if invitation is None:
        return render(request, "stakeholders/invitation.html", {"problem": _(
            "This invitation link is not valid. Check that you copied the whole link from the e-mail, or ask the "
            "organisation's admin to send it again.")}, status=404)
    user = request.user if request.user.is_authenticated else None
    if (invitation.accepted_by_id and user and invitation.accepted_by_id == user.pk):
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization})
        return redirect("stakeholders:organization", request.tenant.slug, invitation.organization_id)
    try:
        services.invitation_check(invitation, user)
    except services.InvitationError as error:
        status = 200 if error.status in ("accepted", "wrong_account") else 410
        return render(request, "stakeholders/invitation.html",
                      {"invitation": invitation, "problem": error.message, "reason": error.status}, status=status)

    if user is None:
        # Remember the link across sign-up or sign-in; the address is proven by the e-mail the link came in.
        request.session[INVITATION_SESSION_KEY] = invitation.token
        from allauth.account.adapter import get_adapter

        get_adapter(request).stash_verified_email(request, invitation.email)
        here = request.get_full_path()
        return render(request, "stakeholders/invitation.html", {
            "invitation": invitation,
            "signup_url": f"{reverse('account_signup')}?email={invitation.email}&next={here}",
            "login_url": f"{reverse('account_login')}?next={here}",
            "account_exists": _account_exists(invitation.email),
        })
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=user)
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization})
        return redirect("stakeholders:organization", request.tenant.slug, invitation.organization_id)
    return render(request, "stakeholders/invitation.html", {"invitation": invitation, "confirm": True})


def _account_exists(email: str) -> bool:
    from .models import User

    return User.objects.filter(email__iexact=email).exists()


# --- registration requests -----------------------------------------------------------------------------------

@public
@login_required
def organization_request(request):
    """Anyone signed in, member of this tenant or not, may ask to register an organisation."""
    if not perms.can_request_organization(request.user, request.tenant):
        raise PermissionDenied
    form = OrganizationRequestForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.organization_request_create(
                tenant=request.tenant, by=request.user, name=data.pop("name"), helix=data.pop("helix"),
                regions=data.pop("regions"), **data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. The provincial administrators will review your request; "
                                        "you become the organisation's admin once it is approved."))
            return redirect("profile")
    return render(request, "stakeholders/request_form.html", {"form": form})


def organization_requests(request):
    if not perms.can_create_organization(request.user, request.tenant):
        raise PermissionDenied
    pending = OrganizationRequest.objects.filter(
        tenant=request.tenant, status=OrganizationRequest.Status.PENDING
    ).select_related("requested_by").prefetch_related("regions")
    decided = OrganizationRequest.objects.filter(tenant=request.tenant).exclude(
        status=OrganizationRequest.Status.PENDING
    ).select_related("requested_by", "decided_by", "organization")[:20]
    return render(request, "stakeholders/requests.html",
                  {"pending": pending, "decided": decided, "form": DecisionForm()})


@require_POST
def organization_request_decide(request, pk, decision):
    org_request = get_request_for_decider(request, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "approve":
            org = services.organization_request_approve(org_request=org_request, by=request.user, note=note)
            messages.success(request, _("%(org)s was registered; %(person)s is its admin.")
                             % {"org": org, "person": org_request.requested_by})
        else:
            services.organization_request_decline(org_request=org_request, by=request.user, note=note)
            messages.success(request, _("The request for %(name)s was declined.") % {"name": org_request.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("stakeholders:requests", request.tenant.slug)


# --- audit ---------------------------------------------------------------------------------------------------

def audit_log(request):
    if not perms.can_view_audit_log(request.user, request.tenant):
        raise PermissionDenied
    return render(request, "stakeholders/audit.html", {"events": selectors.audit_events(request.tenant)})


# --- profile (outside any tenant) ----------------------------------------------------------------------------

@login_required
def profile(request):
    name_form = NameForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and name_form.is_valid():
        services.user_set_name(user=request.user, full_name=name_form.cleaned_data["full_name"])
        messages.success(request, _("Your name was saved."))
        return redirect("profile")
    memberships = selectors.memberships_of(request.user)
    chosen = request.session.get(selectors.ACTING_SESSION_KEY, {})
    by_tenant: dict[int, list] = {}
    for m in memberships:
        by_tenant.setdefault(m.tenant_id, []).append(m)
    acting_ids = {
        next((m.pk for m in ms if m.pk == chosen.get(str(tid))), ms[0].pk) for tid, ms in by_tenant.items()
    }
    with scopes_disabled():
        requests = list(OrganizationRequest.objects.filter(requested_by=request.user).select_related("tenant")[:10])
    return render(request, "stakeholders/profile.html", {
        "memberships": memberships, "tenants": selectors.tenants_of(request.user), "acting_ids": acting_ids,
        "can_switch": len(memberships) > 1, "org_requests": requests, "name_form": name_form,
    })


@login_required
@require_POST
def act_for(request):
    """Choose the organisation the user acts for (per tenant, remembered in the session)."""
    with scopes_disabled():
        membership = Membership.objects.filter(pk=request.POST.get("membership"), user=request.user).first()
    if membership is None or not perms.can_act_for(request.user, membership):
        raise Http404
    selectors.remember_acting(request, membership)
    with scope(tenant=membership.tenant):
        messages.success(request, _("You now act for %(org)s.") % {"org": membership.organization})
    return redirect("profile")
