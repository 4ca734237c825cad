"""Program model: generated refs, the portable code filter, completeness, history."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_scopes import scope

from programs.models import Program

from .conftest import make_program


def test_refs_are_numbered_per_tenant_and_year(world):
    first = make_program(world)
    second = make_program(world)
    year = timezone.localdate().year
    assert first.ref == f"PRG-{year}-0001"
    assert second.ref == f"PRG-{year}-0002"


def test_imported_refs_do_not_take_generated_numbers(world):
    make_program(world, ref="S01")
    assert make_program(world).ref.endswith("-0001")


def test_ref_is_unique_per_tenant(world):
    make_program(world, ref="P-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_program(world, ref="P-1")


def test_has_any_filters_on_codes(world):
    a = make_program(world, kinds=["pelatihan"], sectors=["kuliner"])
    b = make_program(world, kinds=["pembiayaan", "legalitas"], sectors=["kriya", "fesyen"])
    with scope(tenant=world.tenant):
        assert set(Program.objects.filter(kinds__has_any=["pelatihan"])) == {a}
        assert set(Program.objects.filter(kinds__has_any=["legalitas", "pelatihan"])) == {a, b}
        assert set(Program.objects.filter(sectors__has_any=["fesyen"])) == {b}
        assert not Program.objects.filter(kinds__has_any=["pelat"]).exists()
        assert not Program.objects.filter(kinds__has_any=[]).exists()


def test_completeness_names_what_is_missing(world):
    program = make_program(world, description="", kinds=[], target_umkm=None, regions=())
    with scope(tenant=world.tenant), translation.override("en"):
        problems = [str(p) for p in program.completeness_problems()]
    assert "a description" in problems
    assert "at least one kind of assistance" in problems
    assert "at least one regency/city" in problems
    assert "the target number of UMKM" in problems
    assert "start and end dates" not in problems


def test_end_before_start_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_program(world, start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 1))


def test_every_save_is_kept_in_history(world, program):
    with scope(tenant=world.tenant):
        program.title = "Judul baru"
        program.save()
        titles = list(program.history.values_list("title", flat=True))
    assert titles[0] == "Judul baru" and "Pelatihan Pemasaran Digital bagi UMKM Kuliner" in titles


def test_approval_is_not_blocked_without_overlap_flags(world, program):
    with scope(tenant=world.tenant):
        assert program.can_be_approved()
