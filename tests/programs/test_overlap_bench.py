"""bench/overlap_bench.py run small: its data, its timed calls and its report give the answers of a brute-force
comparison of every pair (correctness only; the times are measured by hand on PostgreSQL, see README)."""

import itertools
import random

from django_scopes import scope

from bench import overlap_bench as bench
from programs.models import Program
from programs.overlap import compare
from programs.overlap_services import Context, _region_codes, facts_of, profiles_for


def brute_force_pairs(tenant) -> set[tuple[str, str]]:
    ctx = Context.of(tenant)
    programs = list(Program.objects.filter(tenant=tenant))
    codes = _region_codes([p.pk for p in programs])
    profiles = profiles_for(programs, version=ctx.version, synonyms=ctx.synonyms)
    facts = {p.pk: facts_of(p, region_codes=codes[p.pk]) for p in programs}
    pairs = set()
    for a, b in itertools.combinations(programs, 2):
        result = compare(facts[a.pk], facts[b.pk], synonyms=ctx.synonyms, profile_a=profiles[a.pk],
                         profile_b=profiles[b.pk])
        if result.is_overlap:
            pairs.add(tuple(sorted((a.ref, b.ref))))
    return pairs


def test_small_benchmark_run_gives_the_brute_force_answers(db):
    rng = random.Random(7)
    tenant = bench.bench_tenant()
    assert bench.generate(tenant, 300, rng, years=1) == 300
    assert bench.generate(tenant, 300, rng, years=1) == 300  # growing to the same size adds nothing
    with scope(tenant=tenant):
        expected = brute_force_pairs(tenant)
    assert len(expected) > 20  # the generated data does overlap, as real data does

    seconds, pairs = bench.time_report(tenant)
    assert pairs == len(expected) and seconds > 0

    def same_as_brute_force(program, found):
        expected_refs = {b if a == program.ref else a for a, b in brute_force_pairs(tenant) if program.ref in (a, b)}
        assert {other.ref for other, _result in found} == expected_refs

    timings, results = bench.time_checks(tenant, rng, runs=5, verify=same_as_brute_force, first_year=2017, years=1)
    assert len(timings) == 5 and all(t > 0 for t in timings)
    with scope(tenant=tenant):
        assert not Program.objects.filter(ref__startswith="NEW-").exists()  # checked programs are removed again
    assert any(found for _pk, found in results)

    title_only, complete, listed = bench.time_panel(tenant, rng, runs=4, first_year=2017, years=1)
    assert len(title_only) == 2 and len(complete) == 2
    assert all(count > 0 for count in listed)  # every typed program finds similar ones among the generated
