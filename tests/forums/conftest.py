"""Forum fixtures: the Sleman forum with its secretary, chair and a member, a provincial forum, a meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from forums import services
from forums.models import Forum
from stakeholders.models import Membership, Region
from tests.conftest import make_user
from tests.programs.conftest import make_program


class ForumWorld:
    def __init__(self, world):
        self.world = world
        tenant = world.tenant
        with scope(tenant=tenant):
            self.secretary = make_user("sekretaris@satusama.test", full_name="Budi Santoso")
            Membership.objects.create(tenant=tenant, user=self.secretary, organization=world.org,
                                      position="Sekretaris Forum")
            self.chair = world.org_admin
            self.member = world.staff
            self.sleman = Forum.objects.create(
                tenant=tenant, level="regional", region=Region.objects.get(code="34.04"),
                name="Forum Koordinasi SATUSAMA Kabupaten Sleman", code="FK-SLM",
            )
            services.forum_set_officers(forum=self.sleman, chair=self.chair, secretary=self.secretary)
            services.forum_add_member(forum=self.sleman, organization=world.org, representative=self.member,
                                      position="Staf Bidang UMKM")
            self.province = Forum.objects.create(
                tenant=tenant, level="provincial", name="Forum Koordinasi SATUSAMA DIY", code="FK-DIY",
            )
            self.gunungkidul = Forum.objects.create(
                tenant=tenant, level="regional", region=Region.objects.get(code="34.03"),
                name="Forum Koordinasi SATUSAMA Kabupaten Gunungkidul", code="FK-GK",
            )

    def meeting(self, forum=None, *, days=7, **extra):
        start = timezone.now() + timedelta(days=days)
        with scope(tenant=self.world.tenant):
            return services.meeting_create(
                forum=forum or self.sleman, by=self.secretary, title=extra.pop("title", "Rapat Koordinasi Program"),
                starts_at=start, ends_at=start + timedelta(hours=3), place="Ruang Rapat Dinas Koperasi Sleman",
                **extra,
            )

    def program(self, *, regions=("34.04",), status="submitted", **fields):
        return make_program(self.world, regions=regions, status=status, **fields)


@pytest.fixture
def fw(world):
    return ForumWorld(world)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Rendered PDFs and attachments go to a temporary folder, not the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
