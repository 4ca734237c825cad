"""Permission matrix: who sees, edits, submits, deletes and comments on which program (issue 4 §9)."""

import pytest
from django.urls import reverse
from django_scopes import scope

from programs import permissions as perms

from .conftest import make_program

ROLES = ["staff", "org_admin", "colleague", "tenant_admin", "outsider", "nobody"]


def url(name, *args):
    return reverse(f"programs:{name}", args=["diy", *args])


# status → role → expected status code of the program page
VIEW = {
    "draft": {"staff": 200, "org_admin": 200, "colleague": 404, "tenant_admin": 200, "outsider": 404, "nobody": 404},
    "submitted": {"staff": 200, "org_admin": 200, "colleague": 200, "tenant_admin": 200, "outsider": 404,
                  "nobody": 404},
    "approved": {"staff": 200, "org_admin": 200, "colleague": 200, "tenant_admin": 200, "outsider": 404,
                 "nobody": 404},
}


@pytest.mark.parametrize("status", list(VIEW))
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_program_page(world, role, status):
    program = make_program(world, status=status)
    response = world.client_for(getattr(world, role)).get(url("detail", program.ref))
    assert response.status_code == VIEW[status][role]
    if response.status_code == 200:
        assert program.title in response.content.decode()
    else:
        assert program.title not in response.content.decode()


def test_partner_sees_the_draft_of_its_co_organiser(world):
    program = make_program(world, partners=[world.other_org])
    assert world.client_for(world.colleague).get(url("detail", program.ref)).status_code == 200


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("staff", "draft", 200), ("org_admin", "draft", 200), ("staff", "needs_revision", 200),
        ("staff", "submitted", 403), ("colleague", "submitted", 403), ("tenant_admin", "draft", 403),
        ("colleague", "draft", 404), ("outsider", "draft", 404),
    ],
)
def test_who_edits(world, role, status, expected):
    program = make_program(world, status=status)
    assert world.client_for(getattr(world, role)).get(url("edit", program.ref)).status_code == expected


@pytest.mark.parametrize(("role", "expected"), [("staff", 200), ("colleague", 200), ("tenant_admin", 403)])
def test_who_registers(world, role, expected):
    assert world.client_for(getattr(world, role)).get(url("create")).status_code == expected


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        ("staff", set()),
        ("org_admin", {"submitted"}),
        ("tenant_admin", set()),
    ],
)
def test_submit_button_only_for_organisation_admins(world, role, buttons):
    program = make_program(world)
    with scope(tenant=world.tenant):
        user = getattr(world, role)
        offered = {to for to, _label, _reason in perms_transitions(user, program)}
    assert offered == buttons


def perms_transitions(user, program):
    from programs.workflow import available_transitions

    return available_transitions(user, program)


def test_others_never_see_drafts_in_the_list(world):
    draft = make_program(world, title="Draf rahasia Sleman")
    submitted = make_program(world, title="Program terbuka", status="submitted")
    page = world.client_for(world.colleague).get(url("list")).content.decode()
    assert submitted.title in page and draft.title not in page
    page = world.client_for(world.staff).get(url("list")).content.decode()
    assert submitted.title in page and draft.title in page


def test_visible_programs_of_another_tenant_member_are_none(world):
    make_program(world, status="approved")
    with scope(tenant=world.tenant):
        assert not perms.visible_programs(world.outsider, world.tenant).exists()
