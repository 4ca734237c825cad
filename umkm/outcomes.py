"""A program's outcome summary (naik kelas, median sales change, share still active) from outcome reports.

Read-only; the program page and the roadmap's coverage roll-up call `program_outcome_summary(program)`.
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


def program_outcome_summary(program: Program) -> OutcomeSummary:
    """Two queries whatever the size of the program."""
    summary = OutcomeSummary()
    enrolments = dict(Enrollment.objects.filter(program=program).exclude(status=Enrollment.Status.DROPPED)
                      .values_list("business_id", "business__nib"))
    summary.enrolled = len(enrolments)
    reports: dict[int, list[OutcomeReport]] = {}
    for report in OutcomeReport.objects.filter(business_id__in=list(enrolments)).order_by("business_id", "date"):
        reports.setdefault(report.business_id, []).append(report)
    changes, percents = [], []
    for business_id, rows in reports.items():
        baseline, endline = baseline_and_endline(rows, program)
        if endline is None:
            continue
        summary.measured += 1
        summary.reported_at_end += 1
        summary.still_active += endline.still_active
        if scale_rules.moved_up(baseline.scale, endline.scale):
            summary.moved_up += 1
            summary.moved_up_nibs.append(enrolments[business_id])
        if baseline.annual_sales is not None and endline.annual_sales is not None:
            changes.append(endline.annual_sales - baseline.annual_sales)
            if baseline.annual_sales > 0:
                percents.append(100 * (endline.annual_sales - baseline.annual_sales) / baseline.annual_sales)
    if changes:
        summary.median_sales_change = int(statistics.median(changes))
    if percents:
        summary.median_sales_change_pct = round(statistics.median(percents), 1)
    summary.moved_up_nibs.sort()
    return summary
