"""Read-only roll-up: how the programs linked to each roadmap priority add up against its yearly targets.

Nothing here is typed by hand; every number comes from programs (and enrolments when the UMKM registry exists).
Rules, stated once:
- a program counts when it is linked to the priority and its status is one of COUNTED_STATUSES
  (drafts are private, rejected/withdrawn/cancelled programs will not happen);
- it counts as a program, and its organisations and regions count, in every year from its start to its end;
- its budget and target UMKM are counted once, in the year it starts (a two-year program is not counted twice);
- enrolled/completed UMKM are enrolments in the linked programs (drop-outs left out), and moved-up UMKM those
  whose outcome reports show a move up in scale over the program (umkm.outcomes), counted in its start year.
The query count does not depend on the number of programs: one query per kind of fact, aggregated in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.utils.translation import gettext as _

from programs.models import Program
from programs.taxonomy import Status
from stakeholders.models import HelixKind, Region

from .models import Priority

COUNTED_STATUSES = [Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_REVISION, Status.APPROVED, Status.RUNNING,
                    Status.COMPLETED]


def enrollment_model():
    """umkm.Enrollment when the UMKM registry is installed, else None (the roll-up then shows no enrolments)."""
    try:
        return apps.get_model("umkm", "Enrollment")
    except LookupError:
        return None


@dataclass
class YearFigures:
    year: int
    target_umkm: int | None = None
    target_programs: int | None = None
    target_budget: int | None = None
    programs: int = 0
    planned_umkm: int = 0
    budget: int = 0
    enrolled: int | None = None  # None: no UMKM registry installed
    completed: int | None = None
    moved_up: int | None = None
    helix: dict[str, int] = field(default_factory=dict)  # helix code → distinct organisations taking part

    @property
    def has_target(self) -> bool:
        return self.target_umkm is not None


@dataclass
class PriorityCoverage:
    priority: Priority
    years: list[YearFigures]
    regions: list[tuple[Region, dict[int, int]]]  # target region → {year: programs there}
    program_ids: set[int]
    gaps: list[str] = field(default_factory=list)

    def year(self, year: int) -> YearFigures | None:
        return next((y for y in self.years if y.year == year), None)

    @property
    def total_programs(self) -> int:
        return len(self.program_ids)

    @property
    def total_planned_umkm(self) -> int:
        return sum(y.planned_umkm for y in self.years)

    @property
    def total_budget(self) -> int:
        return sum(y.budget for y in self.years)

    @property
    def total_target_umkm(self) -> int:
        return sum(y.target_umkm or 0 for y in self.years)

    @property
    def helix_table(self) -> list[tuple[str, list[int]]]:
        """(helix label, organisations per year) for every helix kind."""
        return [(label, [y.helix.get(code, 0) for y in self.years]) for code, label in HelixKind.choices]

    @property
    def region_years(self) -> list[int]:
        return [y.year for y in self.years]


def _span(start, end, years: list[int]) -> list[int]:
    if start is None:
        return []
    last = (end or start).year
    return [y for y in years if start.year <= y <= last]


def _enrollment_counts(starts: dict[int, date | None]) -> dict[int, tuple[int, int, int]] | None:
    """{program id: start date} → {program id: (enrolled, completed, moved up)}; None without the UMKM registry.

    Enrolled excludes drop-outs; completed is the enrolment status; moved up counts businesses whose outcome
    reports show a move up in scale (naik kelas) between the start and the end of that program — the same rule as
    the program page (umkm.outcomes). Two queries whatever the number of programs.
    """
    model = enrollment_model()
    if model is None:
        return None
    from umkm import scale as scale_rules
    from umkm.models import OutcomeReport
    from umkm.outcomes import baseline_and_endline

    rows = list(model.objects.filter(program_id__in=list(starts)).exclude(status=model.Status.DROPPED)
                .values_list("program_id", "business_id", "status"))
    counts = {pid: [0, 0, 0] for pid in starts}
    for program_id, _business, status in rows:
        counts[program_id][0] += 1
        counts[program_id][1] += status == model.Status.COMPLETED
    reports: dict[int, list] = defaultdict(list)
    for report in OutcomeReport.objects.filter(business_id__in={b for _p, b, _s in rows}).order_by(
            "business_id", "date", "pk").only("business_id", "program_id", "date", "scale"):
        reports[report.business_id].append(report)
    for program_id, business_id, _status in rows:
        if not reports.get(business_id):
            continue
        program = Program(pk=program_id, start_date=starts.get(program_id))
        baseline, endline = baseline_and_endline(reports[business_id], program)
        if endline is not None and scale_rules.moved_up(baseline.scale, endline.scale):
            counts[program_id][2] += 1
    return {pid: tuple(c) for pid, c in counts.items()}


def coverage(priorities: list[Priority], years: list[int]) -> dict[int, PriorityCoverage]:
    """The roll-up of each priority over the given years (constant number of queries)."""
    priorities = list(priorities)
    ids = [p.pk for p in priorities]
    links: dict[int, list[tuple]] = defaultdict(list)
    programs: dict[int, tuple] = {}
    if ids:
        through = Program.priorities.through
        rows = (through.objects.filter(priority_id__in=ids, program__status__in=COUNTED_STATUSES)
                .values_list("priority_id", "program_id", "program__start_date", "program__end_date",
                             "program__budget_idr", "program__target_umkm", "program__owner_id",
                             "program__owner__helix"))
        for priority_id, program_id, *facts in rows:
            links[priority_id].append(program_id)
            programs[program_id] = tuple(facts)
    # Regions, partners and enrolments of exactly those programs: one query each.
    regions_of: dict[int, set[int]] = defaultdict(set)
    orgs_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
    enrolments = None
    if programs:
        ids_list = list(programs)
        for program_id, region_id in Program.regions.through.objects.filter(
                program_id__in=ids_list).values_list("program_id", "region_id"):
            regions_of[program_id].add(region_id)
        for program_id, org_id, helix in Program.partners.through.objects.filter(
                program_id__in=ids_list).values_list("program_id", "organization_id", "organization__helix"):
            orgs_of[program_id].add((org_id, helix))
        enrolments = _enrollment_counts({pid: facts[0] for pid, facts in programs.items()})
    elif enrollment_model() is not None:
        enrolments = {}

    result = {}
    for priority in priorities:
        targets = {t.year: t for t in priority.targets.all()}  # prefetched by the caller
        figures = {y: YearFigures(year=y) for y in years}
        for y, t in targets.items():
            if y in figures:
                figures[y].target_umkm, figures[y].target_programs, figures[y].target_budget = (
                    t.umkm_reached, t.programs, t.budget_idr)
        if enrolments is not None:
            for f in figures.values():
                f.enrolled, f.completed, f.moved_up = 0, 0, 0
        helix_orgs: dict[int, set[tuple[int, str]]] = defaultdict(set)
        region_counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for program_id in links.get(priority.pk, []):
            start, end, budget, target_umkm, owner_id, owner_helix = programs[program_id]
            span = _span(start, end, years)
            for y in span:
                figures[y].programs += 1
                helix_orgs[y] |= {(owner_id, owner_helix)} | orgs_of[program_id]
                for region_id in regions_of[program_id]:
                    region_counts[region_id][y] += 1
            if start is not None and start.year in figures:
                first = figures[start.year]
                first.budget += budget or 0
                first.planned_umkm += target_umkm or 0
                if enrolments is not None:
                    enrolled, completed, moved_up = enrolments.get(program_id, (0, 0, 0))
                    first.enrolled += enrolled
                    first.completed += completed
                    first.moved_up += moved_up
        for y, orgs in helix_orgs.items():
            counts: dict[str, int] = defaultdict(int)
            for _org, helix in orgs:
                counts[helix] += 1
            figures[y].helix = dict(counts)
        target_regions = list(priority.regions.all())  # prefetched by the caller
        cov = PriorityCoverage(
            priority=priority,
            years=[figures[y] for y in years],
            regions=[(r, {y: region_counts[r.pk].get(y, 0) for y in years}) for r in target_regions],
            program_ids=set(links.get(priority.pk, [])),
        )
        cov.gaps = gaps(cov)
        result[priority.pk] = cov
    return result


def gaps(cov: PriorityCoverage) -> list[str]:
    """The shortfalls of one priority in plain words, region by region, then year by year."""
    messages = []
    title = cov.priority.title
    for region, per_year in cov.regions:
        empty = [str(y) for y, n in per_year.items() if n == 0]
        if empty:
            messages.append(_("%(region)s: no %(priority)s program yet for %(years)s")
                            % {"region": region, "priority": title, "years": ", ".join(empty)})
    expected = cov.priority.helix_kinds
    for f in cov.years:
        if f.target_programs and f.programs < f.target_programs:
            messages.append(_("%(year)s: %(planned)s of %(target)s target programs")
                            % {"year": f.year, "planned": f.programs, "target": f.target_programs})
        if f.target_umkm and f.planned_umkm < f.target_umkm:
            messages.append(_("%(year)s: programs plan to reach %(planned)s of %(target)s target UMKM")
                            % {"year": f.year, "planned": f.planned_umkm, "target": f.target_umkm})
        if f.has_target and expected:
            missing = [str(HelixKind(c).label) for c in expected if c in HelixKind.values and not f.helix.get(c)]
            if missing:
                messages.append(_("%(year)s: no organisation of kind %(kinds)s takes part yet")
                                % {"year": f.year, "kinds": ", ".join(missing)})
    return messages


def prefetched(priorities_qs):
    """The priorities queryset with what coverage() reads, fetched in a constant number of queries."""
    return priorities_qs.prefetch_related("targets", "regions")
