"""The labelled set through the database: retrieval loses no pair (same flags on SQLite and PostgreSQL as the
pure engine — `make test` runs it on SQLite, CI on PostgreSQL), and the `overlaps` command prints exactly the
format of programs-format.md."""

import csv
import datetime
import functools
import io
import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scope

from programs.models import OverlapFlag, Program
from programs.overlap import compare, text_profile
from programs.overlap_services import recompute_flags_for, tenant_overlaps
from programs.textnorm import default_synonyms
from stakeholders.models import Organization, Region
from tests.test_overlap_engine import REGION_NAMES, load_programs

DATA = Path(__file__).resolve().parents[1] / "data" / "overlap_programs.csv"


def _codes(value):
    return [part for part in (value or "").split(";") if part]


@pytest.fixture
def labelled(world):
    """The labelled programs as submitted Program rows of world.tenant (NIBs need enrolments: not loaded)."""
    tenant = world.tenant
    with scope(tenant=tenant):
        for code, name in REGION_NAMES.items():
            Region.objects.get_or_create(tenant=tenant, code=code, defaults={"name": name, "kind": "kabupaten"})
        regions = {r.code: r for r in Region.objects.filter(tenant=tenant)}
        with open(DATA, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                owner, _ = Organization.objects.get_or_create(
                    tenant=tenant, name=row["organization"], defaults={"helix": row["helix"]}
                )
                program = Program.objects.create(
                    tenant=tenant, ref=row["ref"], owner=owner, title=row["title"], description=row["description"],
                    kinds=_codes(row["interventions"]), sectors=_codes(row["sectors"]),
                    start_date=datetime.date.fromisoformat(row["start_date"]),
                    end_date=datetime.date.fromisoformat(row["end_date"]), status="submitted",
                )
                program.regions.set([regions[c] for c in _codes(row["regions"])])
    return tenant


@functools.cache
def expected_pairs() -> frozenset[tuple[str, str]]:
    """Every pair of the set the pure engine flags (without NIBs, as loaded above)."""
    facts = {ref: replace(f, nibs=frozenset()) for ref, f in load_programs(DATA).items()}
    synonyms = default_synonyms()
    profiles = {ref: text_profile(f.title, f.description, synonyms) for ref, f in facts.items()}
    return frozenset(
        (a, b) for a, b in itertools.combinations(sorted(facts), 2)
        if compare(
            facts[a], facts[b], synonyms=synonyms, region_names=REGION_NAMES,
            profile_a=profiles[a], profile_b=profiles[b],
        ).is_overlap
    )


def test_database_gives_the_same_pairs_as_the_engine(labelled):
    expected = expected_pairs()
    assert len(expected) > 50
    with scope(tenant=labelled):
        report = {(a.ref, b.ref) for a, b, _result in tenant_overlaps(labelled)}
        assert report == expected
        for program in Program.objects.all():
            recompute_flags_for(program, notify=False)
        flags = {
            tuple(sorted((f.program_a.ref, f.program_b.ref)))
            for f in OverlapFlag.objects.select_related("program_a", "program_b")
        }
    assert flags == expected


def run(*args) -> str:
    out = io.StringIO()
    call_command("overlaps", *args, stdout=out)
    return out.getvalue()


def test_overlaps_command_prints_the_exchange_format(labelled):
    """One test for the three outputs: loading the labelled set is the slow part."""
    rows = json.loads(run("--tenant", "diy", "--format", "json"))
    assert {(r["a"], r["b"]) for r in rows} == expected_pairs()
    assert [(r["a"], r["b"]) for r in rows] == sorted((r["a"], r["b"]) for r in rows)
    for row in rows:
        assert set(row) == {"a", "b", "score", "reasons"}
        assert row["a"] < row["b"] and 0 <= row["score"] <= 1 and row["score"] == round(row["score"], 2)
        assert all(isinstance(reason, str) for reason in row["reasons"])
    first = next(r for r in rows if (r["a"], r["b"]) == ("P001", "P002"))
    assert "wilayah sama: Sleman" in first["reasons"]
    assert "periode beririsan: 2025-06-02 s.d. 2025-06-06" in first["reasons"]
    assert any(reason.startswith("judul/deskripsi mirip (") for reason in first["reasons"])

    # --format csv --program REF: the same pairs, limited to that program
    rows = list(csv.DictReader(io.StringIO(run("--tenant", "diy", "--format", "csv", "--program", "P001"))))
    assert rows and all("P001" in (r["a"], r["b"]) for r in rows)
    assert list(rows[0]) == ["a", "b", "score", "reasons"]
    json_rows = json.loads(run("--tenant", "diy", "--format", "json", "--program", "P001"))
    assert [(r["a"], r["b"], f"{r['score']:.2f}") for r in json_rows] == [(r["a"], r["b"], r["score"]) for r in rows]
    assert "wilayah sama" in rows[0]["reasons"]

    with pytest.raises(CommandError):
        run("--tenant", "nope", "--format", "json")
    with pytest.raises(CommandError):
        run("--tenant", "diy", "--format", "json", "--program", "P999")


ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="the GiST/pg_trgm path exists on PostgreSQL only")
def test_postgres_retrieval_finds_exactly_the_portable_candidates(labelled):
    """On PostgreSQL candidate retrieval adds the GiST range condition; it must find what the portable query does."""
    from django.db import connection

    from programs.overlap_services import candidate_programs

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'programs_program'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"program_period_gist", "program_title_trgm", "program_description_trgm"} <= indexes
    with scope(tenant=labelled):
        for program in Program.objects.prefetch_related("regions"):
            codes = [r.code for r in program.regions.all()]
            fast = candidate_programs(
                tenant=labelled, region_codes=codes, start=program.start_date, end=program.end_date,
                exclude_id=program.pk,
            )
            assert "daterange" in str(fast.query)
            portable = Program.objects.filter(
                status="submitted", start_date__lte=program.end_date, end_date__gte=program.start_date,
                regions__code__in=codes,
            ).exclude(pk=program.pk)
            assert set(fast.values_list("ref", flat=True)) == set(portable.values_list("ref", flat=True))
