"""Read-only roll-up: how the programs linked to each roadmap priority add up against its yearly targets.

Nothing here is typed by hand; every number comes from programs (and enrolments when the UMKM registry exists).
Rules, stated once:
- a program counts when it is linked to the priority and its status is one of COUNTED_STATUSES
  (drafts are private, rejected/withdrawn/cancelled programs will not happen);
- it counts as a program, and its organisations and regions count, in every year from its start to its end;
- its budget and target UMKM are counted once, in the year it starts (a two-year program is not counted twice);
- outcomes (enrolled and completed UMKM, those that moved up a scale, the median change in annual sales, the share
  still active at the last report) are the linked programs' outcome summaries from the UMKM registry, computed by
  umkm.outcomes (the program page's numbers) and added up per priority in the program's start year.
The query count does not depend on the number of programs: one query per kind of fact, aggregated in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.translation import gettext as _

from programs.models import Program
from programs.taxonomy import Status
from stakeholders.models import HelixKind, Region

from .models import Priority

if TYPE_CHECKING:
    from umkm.outcomes import OutcomeSummary

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
    outcomes: OutcomeSummary | None = None  # None: no UMKM registry installed
    helix: dict[str, int] = field(default_factory=dict)  # helix code → distinct organisations taking part

    @property
    def has_target(self) -> bool:
        return self.target_umkm is not None

    @property
    def enrolled(self) -> int | None:
        return None if self.outcomes is None else self.outcomes.enrolled

    @property
    def completed(self) -> int | None:
        return None if self.outcomes is None else self.outcomes.completed

    @property
    def moved_up(self) -> int | None:
        return None if self.outcomes is None else self.outcomes.moved_up


@dataclass
class PriorityCoverage:
    priority: Priority
    years: list[YearFigures]
    regions: list[tuple[Region, dict[int, int]]]  # target region → {year: programs there}
    program_ids: set[int]
    gaps: list[Gap] = field(default_factory=list)
    outcomes: OutcomeSummary | None = None  # all years together

    @property
    def outcome_rows(self) -> list[tuple[str, OutcomeSummary]]:
        """(year or "Total", summary) for the outcomes table; empty without the UMKM registry."""
        if self.outcomes is None:
            return []
        return [(str(f.year), f.outcomes) for f in self.years] + [(_("Total"), self.outcomes)]

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


def _outcome_summaries(starts: dict[int, date | None]) -> dict[int, OutcomeSummary] | None:
    """{program id: start date} → the programs' outcome summaries (two queries); None without the UMKM registry."""
    if enrollment_model() is None:
        return None
    from umkm.outcomes import outcome_summaries

    return outcome_summaries(starts)


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
    # Regions and partners of exactly those programs: one query each; their outcomes: two (umkm.outcomes).
    regions_of: dict[int, set[int]] = defaultdict(set)
    orgs_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
    outcomes = _outcome_summaries({pid: facts[0] for pid, facts in programs.items()})
    if outcomes is not None:
        from umkm.outcomes import combined
    if programs:
        ids_list = list(programs)
        for program_id, region_id in Program.regions.through.objects.filter(
                program_id__in=ids_list).values_list("program_id", "region_id"):
            regions_of[program_id].add(region_id)
        for program_id, org_id, helix in Program.partners.through.objects.filter(
                program_id__in=ids_list).values_list("program_id", "organization_id", "organization__helix"):
            orgs_of[program_id].add((org_id, helix))

    result = {}
    for priority in priorities:
        targets = {t.year: t for t in priority.targets.all()}  # prefetched by the caller
        figures = {y: YearFigures(year=y) for y in years}
        for y, t in targets.items():
            if y in figures:
                figures[y].target_umkm, figures[y].target_programs, figures[y].target_budget = (
                    t.umkm_reached, t.programs, t.budget_idr)
        outcomes_of: dict[int, list[OutcomeSummary]] = defaultdict(list)  # year → its programs' summaries
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
                if outcomes is not None:
                    outcomes_of[start.year].append(outcomes[program_id])
        if outcomes is not None:
            for y, f in figures.items():
                f.outcomes = combined(outcomes_of[y])
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
            outcomes=None if outcomes is None else combined(f.outcomes for f in figures.values()),
        )
        cov.gaps = gaps(cov)
        result[priority.pk] = cov
    return result


@dataclass(frozen=True)
class Gap:
    """One shortfall of a priority in one year, in words."""

    year: int
    kind: str  # regions, programs, umkm, helix
    text: str
    regions: tuple[str, ...] = ()  # region codes, for the CSV

    def __str__(self):
        return self.text


def gaps(cov: PriorityCoverage) -> list[Gap]:
    """The shortfalls of one priority in plain words, year by year: target regions without a program (one sentence
    per year, naming them all), fewer programs or planned UMKM than the target, expected helix kinds missing."""
    messages = []
    title = cov.priority.title
    expected = cov.priority.helix_kinds
    for f in cov.years:
        empty = [region for region, per_year in cov.regions if per_year.get(f.year) == 0]
        if empty:
            messages.append(Gap(f.year, "regions", _("%(region)s: no %(priority)s program yet for %(years)s")
                                % {"region": ", ".join(str(r) for r in empty), "priority": title, "years": f.year},
                                tuple(r.code for r in empty)))
        if f.target_programs and f.programs < f.target_programs:
            messages.append(Gap(f.year, "programs", _("%(year)s: %(planned)s of %(target)s target programs")
                                % {"year": f.year, "planned": f.programs, "target": f.target_programs}))
        if f.target_umkm and f.planned_umkm < f.target_umkm:
            messages.append(Gap(f.year, "umkm",
                                _("%(year)s: programs plan to reach %(planned)s of %(target)s target UMKM")
                                % {"year": f.year, "planned": f.planned_umkm, "target": f.target_umkm}))
        if f.has_target and expected:
            missing = [str(HelixKind(c).label) for c in expected if c in HelixKind.values and not f.helix.get(c)]
            if missing:
                messages.append(Gap(f.year, "helix", _("%(year)s: no organisation of kind %(kinds)s takes part yet")
                                    % {"year": f.year, "kinds": ", ".join(missing)}))
    return messages


GAPS_SHOWN = 6  # sentences shown at once on the coverage page; the rest behind "show all"


def gap_sections(gaps: list[Gap], *, current_year: int, shown: int = GAPS_SHOWN):
    """The gaps grouped by year — this year and the coming ones first, past years after — split into the groups
    shown at once (whole years, about `shown` sentences, at least one year) and the rest.
    Returns (shown groups, hidden groups, number of hidden sentences); a group is (year, [Gap])."""
    by_year: dict[int, list[Gap]] = defaultdict(list)
    for gap in gaps:
        by_year[gap.year].append(gap)
    groups = [(y, by_year[y]) for y in sorted(by_year, key=lambda y: (y < current_year, y))]
    visible, count = [], 0
    for year, items in groups:
        if visible and count + len(items) > shown:
            break
        visible.append((year, items))
        count += len(items)
    hidden = groups[len(visible):]
    return visible, hidden, sum(len(items) for _y, items in hidden)


def prefetched(priorities_qs):
    """The priorities queryset with what coverage() reads, fetched in a constant number of queries."""
    return priorities_qs.prefetch_related("targets", "regions")
