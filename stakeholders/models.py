"""Tenants (provinces), regions, people, organisations (the hexahelix), memberships, invitations and audit."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .logos import LogoField

RESERVED_SLUGS = {"accounts", "admin", "static", "media", "i18n", "akun", "profil", "verifikasi"}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with an e-mail address; people are global, tenants reach them by membership."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("user")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


def validate_tenant_slug(value):
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved by the system."))


class Tenant(models.Model):
    """One province's SATUSAMA; everything a user sees lives inside one tenant."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True, validators=[validate_tenant_slug])
    name = models.CharField(_("name"), max_length=200)
    province_code = models.CharField(
        _("province code"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")]
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("province")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TenantOwned(models.Model):
    """Base for every tenant-owned table: the tenant column and a manager that refuses unscoped queries."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, verbose_name=_("province"))

    objects = ScopedManager(tenant="tenant")

    class Meta:
        abstract = True


class Region(TenantOwned):
    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")

    code = models.CharField(_("Kemendagri code"), max_length=13, validators=[RegexValidator(r"^\d{2}(\.\d{2})*$")])
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # A kabupaten/kota is its own place; a province is not a town, so its letters are dated in its capital.
    capital = models.CharField(
        _("capital city"), max_length=100, blank=True,
        help_text=_("Provinces only: the city where provincial letters are signed, e.g. Yogyakarta."),
    )

    class Meta:
        verbose_name = _("regency/city")
        verbose_name_plural = _("regency/city")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="region_unique_code_per_tenant")]

    def __str__(self):
        if self.kind == self.Kind.CITY and not self.name.startswith("Kota"):
            return f"Kota {self.name}"
        return self.name


def validate_logo(file):
    """Model-level guard (admin, shell, imports): at most 2 MB and an image extension; the portal and admin forms
    also re-encode the image (stakeholders/logos.py)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import FileExtensionValidator

    from .logos import EXTENSIONS, MAX_BYTES

    if getattr(file, "_committed", False):
        return  # already stored (checked when it came in); a missing file on disk must not break the form
    if file.size > MAX_BYTES:
        raise ValidationError(_("The logo is larger than 2 MB. Please upload a smaller image."), code="too_large")
    FileExtensionValidator(EXTENSIONS, message=_("The logo must be a PNG, JPEG, WebP or GIF image."))(file)


class HelixKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CAMPUS = "campus", _("Campus / Academia")
    BUSINESS = "business", _("Business")
    MEDIA = "media", _("Media")
    COMMUNITY = "community", _("Community")
    MENTOR = "mentor", _("Mentoring body")


class Organization(TenantOwned):
    """A stakeholder of one helix kind."""

    name = models.CharField(_("name"), max_length=200)
    helix = models.CharField(_("helix kind"), max_length=12, choices=HelixKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
        verbose_name=_("parent organisation"),
    )
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("working regions"))
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    logo = LogoField(_("logo"), upload_to="logos/", blank=True, validators=[validate_logo])
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="organization_unique_name")]
        # Granted per organisation with django-guardian, for people who are not its admins (see permissions.py).
        permissions = [("manage_organization", _("Can manage the organisation's profile and people"))]

    def __str__(self):
        return self.name


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    """Guardian grants on one organisation, with a direct foreign key (guardian's generic table is slow at scale)."""

    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("organisation permission of a user")
        verbose_name_plural = _("organisation permission of a user")


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("organisation permission of a group")
        verbose_name_plural = _("organisation permission of a group")


class Membership(TenantOwned):
    """A person working for an organisation, as its admin or as staff."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    position = models.CharField(_("position"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "organization"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class TenantRole(TenantOwned):
    """A tenant-wide role: the provincial Dinas (admin) or a read-only viewer."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Tenant admin")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tenant_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("tenant role")
        verbose_name_plural = _("tenant role")
        constraints = [models.UniqueConstraint(fields=["tenant", "user", "role"], name="tenantrole_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


INVITATION_VALIDITY = timedelta(days=7)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(TenantOwned):
    """An e-mail invitation to join an organisation with a role; valid for seven days from its last sending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.STAFF)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitation")
        ordering = ["-sent_at"]
        constraints = [
            # One open invitation per address and organisation: a second one is a re-send, not a new row.
            models.UniqueConstraint(
                fields=["tenant", "organization", "email"], name="invitation_one_open_per_email",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def expires_at(self):
        return self.sent_at + INVITATION_VALIDITY

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if timezone.now() >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def mail_topic(self) -> str:
        """What its e-mails are filed under (satusama.EmailDelivery); a re-send files a newer one."""
        return f"invitation:{self.pk}"


class OrganizationRequest(TenantOwned):
    """Someone asks to register a new organisation; a tenant admin approves (it is created) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    helix = models.CharField(_("helix kind"), max_length=12, choices=HelixKind.choices)
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("working regions"))
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organization_requests", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation registration request")
        verbose_name_plural = _("organisation registration request")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class AuditEvent(TenantOwned):
    """Who changed which membership or role, when: kept even when the organisation or person is gone."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Invited")
        INVITATION_RESENT = "resent", _("Invitation re-sent")
        INVITATION_REVOKED = "revoked", _("Invitation revoked")
        JOINED = "joined", _("Joined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        REMOVED = "removed", _("Removed")
        ORGANIZATION_CREATED = "org_created", _("Organisation created")
        REQUEST_APPROVED = "request_approved", _("Registration approved")
        REQUEST_DECLINED = "request_declined", _("Registration declined")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events",
        verbose_name=_("organisation"),
    )
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    subject_email = models.EmailField(_("person"), blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit record")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject_email}"
