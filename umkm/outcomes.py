"""Outcome summaries (naik kelas, median sales change, share still active) of programs, from outcome reports.

The one place these numbers are computed. Read-only; the program page calls `program_outcome_summary(program)`;
`outcome_summaries` does many programs at once (the roadmap's roll-up, roadmap/coverage.py, passes the programs
linked to its priorities) and `combined` adds several programs' summaries up into one (a priority's year).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from programs.models import Program

from . import scale as scale_rules
from .models import Enrollment, OutcomeReport


@dataclass
class OutcomeSummary:
    enrolled: int = 0  # businesses enrolled and not dropped out
    completed: int = 0  # of those, enrolments marked completed
    measured: int = 0  # with a report before (or at) the start and one after it
    moved_up: int = 0  # naik kelas between those two reports
    moved_up_nibs: list[str] = field(default_factory=list)
    sales_changes: list[int] = field(default_factory=list)  # rupiah, endline minus baseline, one per business
    sales_change_pcts: list[float] = field(default_factory=list)  # percent, businesses with baseline sales > 0
    reported_at_end: int = 0
    still_active: int = 0

    @property
    def median_sales_change(self) -> int | None:
        return int(statistics.median(self.sales_changes)) if self.sales_changes else None

    @property
    def median_sales_change_pct(self) -> float | None:
        return round(statistics.median(self.sales_change_pcts), 1) if self.sales_change_pcts else None

    @property
    def share_still_active(self) -> float | None:
        return self.still_active / self.reported_at_end if self.reported_at_end else None

    @property
    def percent_still_active(self) -> int | None:
        share = self.share_still_active
        return None if share is None else round(100 * share)


def combined(summaries: Iterable[OutcomeSummary]) -> OutcomeSummary:
    """Several programs' summaries as one: counts add up, medians are taken over all their businesses' changes
    (not a median of medians). A business in two of the programs counts in each, as its enrolments do."""
    total = OutcomeSummary()
    for s in summaries:
        for name in ("enrolled", "completed", "measured", "moved_up", "reported_at_end", "still_active"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.moved_up_nibs += s.moved_up_nibs
        total.sales_changes += s.sales_changes
        total.sales_change_pcts += s.sales_change_pcts
    total.moved_up_nibs.sort()
    return total


def baseline_and_endline(reports: list[OutcomeReport], program: Program):
    """The report that describes the business at the start, and the one at the end (None when missing).

    Reports linked to this program win; otherwise the last report on or before the start date is the baseline
    (the first report when none is that early) and the latest report after the baseline is the endline.
    Only `program.pk` and `program.start_date` are read (the roadmap passes unsaved stand-ins).
    """
    linked = [r for r in reports if r.program_id == program.pk]
    if len(linked) >= 2:
        return linked[0], linked[-1]
    if not reports:
        return None, None
    start = program.start_date
    before = [r for r in reports if start and r.date <= start]
    baseline = before[-1] if before else reports[0]
    later = [r for r in reports if r.date > baseline.date]
    return baseline, (later[-1] if later else None)


def outcome_summaries(starts: dict[int, object]) -> dict[int, OutcomeSummary]:
    """program id → its summary, for the programs given as {program id: start date}; two queries in all."""
    summaries = {pk: OutcomeSummary() for pk in starts}
    if not starts:
        return summaries
    members: dict[int, dict[int, str]] = {pk: {} for pk in starts}
    for program_id, business_id, nib, status in (
        Enrollment.objects.filter(program_id__in=list(starts)).exclude(status=Enrollment.Status.DROPPED)
        .values_list("program_id", "business_id", "business__nib", "status")
    ):
        members[program_id][business_id] = nib
        summaries[program_id].completed += status == Enrollment.Status.COMPLETED
    wanted = {b for m in members.values() for b in m}
    reports: dict[int, list[OutcomeReport]] = {}
    if wanted:
        for report in (OutcomeReport.objects.filter(business_id__in=list(wanted))
                       .order_by("business_id", "date", "pk")
                       .only("business_id", "program_id", "date", "scale", "annual_sales", "still_active")):
            reports.setdefault(report.business_id, []).append(report)
    for program_id, businesses in members.items():
        _summarise(summaries[program_id], Program(pk=program_id, start_date=starts[program_id]), businesses,
                   reports)
    return summaries


def _summarise(summary: OutcomeSummary, program: Program, businesses: dict[int, str],
               reports: dict[int, list[OutcomeReport]]) -> None:
    summary.enrolled = len(businesses)
    for business_id, nib in businesses.items():
        baseline, endline = baseline_and_endline(reports.get(business_id, []), program)
        if endline is None:
            continue
        summary.measured += 1
        summary.reported_at_end += 1
        summary.still_active += endline.still_active
        if scale_rules.moved_up(baseline.scale, endline.scale):
            summary.moved_up += 1
            summary.moved_up_nibs.append(nib)
        if baseline.annual_sales is not None and endline.annual_sales is not None:
            summary.sales_changes.append(endline.annual_sales - baseline.annual_sales)
            if baseline.annual_sales > 0:
                summary.sales_change_pcts.append(
                    100 * (endline.annual_sales - baseline.annual_sales) / baseline.annual_sales)
    summary.moved_up_nibs.sort()


def program_outcome_summary(program: Program) -> OutcomeSummary:
    """Two queries whatever the size of the program."""
    return outcome_summaries({program.pk: program.start_date})[program.pk]
