"""The timeline engine: programs as month bars of one year, grouped by region, with a crowding count per month.

Pure functions over already-fetched programs; the view renders the result as HTML/CSS (no inline styles, no
JavaScript library): a bar spans grid columns named by classes tl-s-<first month> / tl-e-<last month + 1>.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class Bar:
    program: object
    first_month: int  # 1..12
    last_month: int  # 1..12
    starts_before: bool  # the program began in an earlier year
    ends_after: bool  # it continues into a later year
    kind: str  # the first kind of assistance: the bar's colour

    @property
    def end_column(self) -> int:
        return self.last_month + 1


@dataclass
class Lane:
    region: object
    bars: list[Bar] = field(default_factory=list)
    per_month: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def busiest(self) -> int:
        return max(self.per_month, default=0)


def bar_for(program, year: int) -> Bar | None:
    """The part of the program's period that falls in `year`, in whole months (None if none does)."""
    start, end = program.start_date, program.end_date
    if not start or not end:
        return None
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if end < first_day or start > last_day:
        return None
    return Bar(
        program=program,
        first_month=max(start, first_day).month,
        last_month=min(end, last_day).month,
        starts_before=start < first_day,
        ends_after=end > last_day,
        kind=(program.kinds or [""])[0],
    )


def lanes(programs, year: int, regions) -> list[Lane]:
    """One lane per region (in the given order) with the bars of its programs sorted by start."""
    by_region = {r.pk: Lane(region=r) for r in regions}
    for program in programs:
        bar = bar_for(program, year)
        if bar is None:
            continue
        for region in program.regions.all():
            lane = by_region.get(region.pk)
            if lane is None:
                continue
            lane.bars.append(bar)
            for month in range(bar.first_month, bar.last_month + 1):
                lane.per_month[month - 1] += 1
    for lane in by_region.values():
        lane.bars.sort(key=lambda b: (b.first_month, b.program.start_date, b.program.ref))
    return [lane for lane in by_region.values() if lane.bars]
