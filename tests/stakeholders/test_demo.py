"""The demo shows the whole hexahelix of DIY: every helix kind, every regency/city, people in each organisation."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from stakeholders.demo import DIY_MORE_ORGANIZATIONS, DIY_ORGANIZATIONS
from stakeholders.models import HelixKind, Membership, Organization, Region

pytestmark = pytest.mark.django_db


def test_demo_covers_all_helix_kinds_and_regions_with_staff():
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        # other apps' demos may add organisations of their own; these are the directory's
        names = [o[0] for o in DIY_ORGANIZATIONS + DIY_MORE_ORGANIZATIONS]
        orgs = Organization.objects.filter(tenant__slug="diy", name__in=names)
        assert orgs.count() == len(names)
        assert orgs.count() >= 12
        assert set(orgs.values_list("helix", flat=True)) == set(HelixKind.values)
        covered = set(Region.objects.filter(organization__in=orgs).values_list("code", flat=True))
        assert {"34.01", "34.02", "34.03", "34.04", "34.71"} <= covered
        assert orgs.filter(parent__isnull=False).exists()
        without_people = orgs.exclude(pk__in=Membership.objects.values("organization"))
        assert list(without_people) == []
