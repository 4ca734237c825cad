"""Helpers for the stakeholders tests: the invitation link from the outbox, an invitation made by the org admin."""

import re

import pytest
from django.core import mail
from django_scopes import scope

from stakeholders import services


def link_in_last_email() -> str:
    match = re.search(r"https?://\S+/gabung/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


@pytest.fixture
def invite(world, django_capture_on_commit_callbacks):
    """invite(email, role="staff") → Invitation sent by the organisation admin of world.org."""

    def make(email, role="staff", org=None):
        with scope(tenant=world.tenant), django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(
                organization=org or world.org, email=email, role=role, by=world.org_admin,
                site_url="http://testserver/",
            )

    return make
