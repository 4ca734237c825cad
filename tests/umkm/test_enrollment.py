"""Enrolment: enroll_by_nibs, quota, the double-enrolment warning, history, privacy through enrolment."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.programs.conftest import make_program
from tests.umkm.conftest import A, B, C, enrol
from umkm import selectors
from umkm.models import Business, Enrollment
from umkm.services import enroll_by_nibs, enroll_checked, parse_nibs


def test_enroll_by_nibs_creates_unknown_businesses_as_minimal_and_is_idempotent(world, three):
    program = make_program(world)
    unknown = "3471999999999"
    with scope(tenant=world.tenant):
        rows = enroll_by_nibs(program=program, nibs=[A, unknown, A, " " + B])
        assert [e.business.nib for e in rows] == [A, unknown, B]
        created = Business.objects.get(nib=unknown)
        assert created.is_minimal and created.nib in created.name
        again = enroll_by_nibs(program=program, nibs=[A, unknown])
        assert [e.pk for e in again] == [rows[0].pk, rows[1].pk]
        assert Enrollment.objects.filter(program=program).count() == 3
        with pytest.raises(ValueError):
            enroll_by_nibs(program=program, nibs=["123"])
        assert program.enrollments.count() == 3  # related_name the overlap engine uses


def test_parse_nibs_from_pasted_text_or_file():
    assert parse_nibs(f"\ufeffnib\n{A}\n{B}, {A};12345 x") == ([A, B], ["12345", "x"])


def test_quota_is_enforced_and_dropped_participants_free_a_place(world, three, django_assert_num_queries):
    program = make_program(world, target_umkm=2)
    with scope(tenant=world.tenant):
        # The lock, the quota and the writes; the double enrolments are not looked up again after the enrolment.
        with django_assert_num_queries(14):
            result = enroll_checked(program=program, nibs=[A, B, C], by=world.staff)
        assert [e.business.nib for e in result.enrolled] == [A, B]
        assert result.over_quota == [C]
        Enrollment.objects.filter(program=program, business__nib=A).update(status="dropped")
        result = enroll_checked(program=program, nibs=[C], by=world.staff)
        assert [e.business.nib for e in result.enrolled] == [C]
        result = enroll_checked(program=program, nibs=[A], by=world.staff)
        assert result.already == [A] and not result.enrolled


def test_double_enrolment_warns_only_for_shared_kind_and_intersecting_dates(world, three, django_assert_num_queries):
    base = make_program(world, status="approved", title="Pelatihan Digital Sleman")
    same_kind_later = make_program(world, status="approved", title="Later", kinds=["digitalisasi"],
                                   start_date=dt.date(2025, 6, 1), end_date=dt.date(2025, 6, 3))
    other_kind = make_program(world, status="approved", title="Halal", kinds=["sertifikasi"])
    touching = make_program(world, owner=world.other_org, status="submitted", title="Workshop Jualan Online",
                            kinds=["digitalisasi"], start_date=dt.date(2025, 3, 12), end_date=dt.date(2025, 3, 20))
    cancelled = make_program(world, status="cancelled", title="Cancelled")
    with scope(tenant=world.tenant):
        for p in (same_kind_later, other_kind, touching, cancelled):
            enrol(p, A)
        enrol(touching, B)
        Enrollment.objects.filter(program=touching, business__nib=B).update(status="dropped")
        # Double enrolments are looked up once: the warnings stored on the enrolments are the ones reported.
        with django_assert_num_queries(16):
            result = enroll_checked(program=base, nibs=[A, B, C], by=world.staff)
        assert set(result.warnings) == {A}
        assert [p.title for p in result.warnings[A]] == ["Workshop Jualan Online"]
        assert touching.ref in Enrollment.objects.get(program=base, business__nib=A).warning
        assert selectors.shared_nibs(base, touching) == [A]


def test_enrolment_gives_the_organisation_the_contact_details(world, bakpia):
    program = make_program(world, owner=world.other_org, status="approved")
    client = world.client_for(world.colleague)
    assert "081234567890" not in client.get(reverse("umkm:detail", args=["diy", bakpia.nib])).content.decode()
    enrol(program, bakpia)
    page = client.get(reverse("umkm:detail", args=["diy", bakpia.nib])).content.decode()
    assert "081234567890" in page
    assert program.title in page  # the assistance history
    # an unrelated organisation still sees no contact, but sees the history
    page = world.client_for(world.staff).get(reverse("umkm:detail", args=["diy", bakpia.nib])).content.decode()
    assert "081234567890" not in page and program.title in page


def test_history_hides_other_organisations_drafts(world, bakpia):
    draft = make_program(world, owner=world.other_org, title="Rahasia Draf")
    enrol(draft, bakpia)
    page = world.client_for(world.staff).get(reverse("umkm:detail", args=["diy", bakpia.nib])).content.decode()
    assert "Rahasia Draf" not in page


def test_underserved_lists_businesses_without_recent_assistance(world, three):
    old = make_program(world, status="completed", start_date=dt.date(2019, 1, 1), end_date=dt.date(2019, 2, 1))
    recent = make_program(world, status="completed", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 2, 1))
    enrol(old, A)
    enrol(recent, B)
    with scope(tenant=world.tenant):
        found = {b.nib for b in selectors.underserved(years=3, today=dt.date(2025, 12, 1))}
        assert found == {A, C}
        assert {b.nib for b in selectors.underserved(years=10, today=dt.date(2025, 12, 1))} == {C}
    client = world.client_for(world.staff)
    page = client.get(reverse("umkm:underserved", args=["diy"]), {"years": 3}).content.decode()
    assert "Usaha 2" in page and "Usaha 1" not in page
    csv = b"".join(client.get(reverse("umkm:underserved", args=["diy"]),
                              {"years": 3, "download": "csv"}).streaming_content).decode()
    assert C in csv and B not in csv


def test_an_old_nib_enrols_the_business_it_was_corrected_to(world, three):
    """The rule old links follow: a list with an NIB corrected since enrols that business, never a new record."""
    from umkm.services import correct_nib

    old, program = A, make_program(world, target_umkm=3)
    with scope(tenant=world.tenant):
        business = correct_nib(business=three[0], new_nib="3404000000099", reason="salah ketik", by=world.tenant_admin)
        rows = enroll_by_nibs(program=program, nibs=[old, business.nib, B])  # old and new NIB: one business
        assert [e.business_id for e in rows] == [business.pk, three[1].pk]
        assert not Business.objects.filter(nib=old).exists()
        # the page: the old NIB of a participant is "already enrolled", and it takes no place of the quota
        result = enroll_checked(program=program, nibs=[old, C], by=world.staff)
        assert result.already == [business.nib] and [e.business.nib for e in result.enrolled] == [C]
        assert Enrollment.objects.filter(program=program).count() == 3
