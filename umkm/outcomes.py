"""A program's outcome summary (naik kelas, median sales change, share still active) from outcome reports.

Read-only; the program page calls `program_outcome_summary(program)`; `outcome_summaries` does many programs
at once, and the roadmap's roll-up (roadmap/coverage.py) applies the same `baseline_and_endline` rule.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from programs.models import Program

from . import scale as scale_rules
from .models import Enrollment, OutcomeReport


@dataclass
class OutcomeSummary:
    enrolled: int = 0  # businesses enrolled and not dropped out
    measured: int = 0  # with a report before (or at) the start and one after it
    moved_up: int = 0  # naik kelas between those two reports
    moved_up_nibs: list[str] = field(default_factory=list)
    median_sales_change: int | None = None  # rupiah, endline minus baseline
    median_sales_change_pct: float | None = None  # percent, over businesses with baseline sales > 0
    reported_at_end: int = 0
    still_active: int = 0

    @property
    def share_still_active(self) -> float | None:
        return self.still_active / self.reported_at_end if self.reported_at_end else None


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
    """program id → its summary, for the programs given as {program id: start date}; two queries in all.

    The roadmap's roll-up passes the programs linked to its priorities; the program page passes one.
    """
    summaries = {pk: OutcomeSummary() for pk in starts}
    if not starts:
        return summaries
    members: dict[int, dict[int, str]] = {pk: {} for pk in starts}
    for program_id, business_id, nib in (
        Enrollment.objects.filter(program_id__in=list(starts)).exclude(status=Enrollment.Status.DROPPED)
        .values_list("program_id", "business_id", "business__nib")
    ):
        members[program_id][business_id] = nib
    wanted = {b for m in members.values() for b in m}
    reports: dict[int, list[OutcomeReport]] = {}
    if wanted:
        for report in OutcomeReport.objects.filter(business_id__in=list(wanted)).order_by("business_id", "date"):
            reports.setdefault(report.business_id, []).append(report)
    for program_id, businesses in members.items():
        _summarise(summaries[program_id], Program(pk=program_id, start_date=starts[program_id]), businesses,
                   reports)
    return summaries


def _summarise(summary: OutcomeSummary, program: Program, businesses: dict[int, str],
               reports: dict[int, list[OutcomeReport]]) -> None:
    summary.enrolled = len(businesses)
    changes, percents = [], []
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
            changes.append(endline.annual_sales - baseline.annual_sales)
            if baseline.annual_sales > 0:
                percents.append(100 * (endline.annual_sales - baseline.annual_sales) / baseline.annual_sales)
    if changes:
        summary.median_sales_change = int(statistics.median(changes))
    if percents:
        summary.median_sales_change_pct = round(statistics.median(percents), 1)
    summary.moved_up_nibs.sort()


def program_outcome_summary(program: Program) -> OutcomeSummary:
    """Two queries whatever the size of the program."""
    return outcome_summaries({program.pk: program.start_date})[program.pk]
