"""Tenants (provinces), regions, people, organisations (the hexahelix) and memberships."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

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

    class Meta:
        verbose_name = _("regency/city")
        verbose_name_plural = _("regency/city")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="region_unique_code_per_tenant")]

    def __str__(self):
        if self.kind == self.Kind.CITY and not self.name.startswith("Kota"):
            return f"Kota {self.name}"
        return self.name


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
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="organization_unique_name")]

    def __str__(self):
        return self.name


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
