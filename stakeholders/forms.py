"""Forms for inviting people, managing roles, registering and editing organisations, and filtering the directory."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .extensions import DIRECTORY_FILTERS
from .models import HelixKind, Membership, Organization, OrganizationRequest, Region


class NameForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                help_text=_("Shown to your colleagues in the directory."))


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter a valid e-mail address, for example nama@lembaga.id.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.STAFF)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


# Model forms build their choice querysets at class creation, before any tenant scope exists;
# each __init__ narrows them to the request's tenant.
with scopes_disabled():

    class OrganizationProfileForm(forms.ModelForm):
        """What an organisation's admin keeps up to date; the tenant admin also sets `verified`."""

        class Meta:
            model = Organization
            fields = ["name", "helix", "parent", "regions", "description", "website", "contact_email", "logo",
                      "verified"]
            widgets = {"regions": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 5})}

        def __init__(self, *args, tenant, can_verify=False, **kwargs):
            super().__init__(*args, **kwargs)
            if not can_verify:  # only the tenant admin vouches for an organisation
                del self.fields["verified"]
            self.fields["regions"].queryset = Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE)
            parents = Organization.objects.filter(tenant=tenant)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents
            self.tenant = tenant

        def clean_name(self):
            name = " ".join(self.cleaned_data["name"].split())
            clash = Organization.objects.filter(tenant=self.tenant, name__iexact=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("An organisation named “%(name)s” is already registered in this province."),
                    params={"name": name}, code="duplicate_name",
                )
            return name


    class NewOrganizationForm(OrganizationProfileForm):
        """A tenant admin registers an organisation and names the e-mail address of its first admin."""

        admin_email = forms.EmailField(
            label=_("E-mail address of its first admin"), required=False,
            help_text=_("An invitation is sent to this address; the person becomes the organisation's admin."),
            error_messages={"invalid": _("Enter a valid e-mail address, for example nama@lembaga.id.")},
        )


    class OrganizationRequestForm(forms.ModelForm):
        class Meta:
            model = OrganizationRequest
            fields = ["name", "helix", "regions", "description", "website", "contact_email"]
            widgets = {"regions": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 4})}

        def __init__(self, *args, tenant, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["regions"].queryset = Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note for the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DirectoryFilterForm(forms.Form):
    """Filters live in the URL (?helix=campus&region=34.04) so a filtered directory can be shared."""

    helix = forms.ChoiceField(label=_("Helix kind"), required=False,
                              choices=[("", _("All kinds"))] + list(HelixKind.choices))
    region = forms.ChoiceField(label=_("Regency/city"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regencies/cities"))] + [(r.code, str(r)) for r in regions]
        # Filters other apps add (programs: kind of assistance), after the built-in ones.
        for extra in DIRECTORY_FILTERS:
            self.fields[extra.name] = forms.ChoiceField(label=extra.label, required=False,
                                                        choices=[("", _("All"))] + extra.choices())

    @property
    def extra_fields(self):
        return [self[extra.name] for extra in DIRECTORY_FILTERS]
