"""The timeline: programs as month bars of one year, grouped by region, with a crowding count per month.

`bar_for` is a pure function over a fetched program. `crowding` and `bars` read one page of a large
year from the database: the counts per month cover every matching program, the bars only the page shown — so a
region with hundreds of programs in a year still answers quickly and reads as a page, not a wall of bars.
The view renders HTML/CSS (no inline styles, no JavaScript library): a bar spans grid columns named by classes
tl-s-<first month> / tl-e-<last month + 1>.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from .models import Program


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
    total: int = 0  # programs of the region in the year, shown or not
    first: int = 1  # the position of the first bar shown among them

    @property
    def busiest(self) -> int:
        return max(self.per_month, default=0)

    @property
    def last(self) -> int:
        return self.first + len(self.bars) - 1

    @property
    def complete(self) -> bool:
        return len(self.bars) >= self.total


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


def in_year(programs: QuerySet, year: int) -> QuerySet:
    """Programs running at some point in the year (not only those starting in it)."""
    return programs.filter(start_date__lte=datetime.date(year, 12, 31), end_date__gte=datetime.date(year, 1, 1))


def crowding(programs: QuerySet, year: int, regions) -> dict[int, tuple[int, list[int]]]:
    """Region id → (programs in the year, programs running in each month), for regions with any: one query."""
    months = {}
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        months[f"m{month}"] = Count("program_id", filter=Q(program__start_date__lte=last,
                                                             program__end_date__gte=first))
    rows = (
        Program.regions.through.objects.filter(program__in=in_year(programs, year).values("pk"),
                                               region__in=[r.pk for r in regions])
        .values("region_id").annotate(total=Count("program_id"), **months).order_by()
    )
    return {row["region_id"]: (row["total"], [row[f"m{m}"] for m in range(1, 13)]) for row in rows}


def bars(programs: QuerySet, year: int, region_ids: list[int], *, offset: int, limit: int) -> dict[int, list[Bar]]:
    """Region id → bars number offset+1 … offset+limit of its programs by start: two queries for all regions.

    The ranking sorts only ids, dates and refs of the year's programs; the page's programs are read afterwards (a
    sort of whole program rows spilled to disk with thousands of programs in a year).
    """
    ranked = list(
        Program.regions.through.objects.filter(program__in=in_year(programs, year).values("pk"),
                                               region_id__in=region_ids)
        .annotate(position=Window(RowNumber(), partition_by=F("region_id"),
                                  order_by=[F("program__start_date").asc(), F("program__ref").asc()]))
        .filter(position__gt=offset, position__lte=offset + limit)
        .order_by("region_id", "position")
        .values_list("region_id", "program_id")
    )
    shown = Program.objects.filter(pk__in={program_id for _region, program_id in ranked}).select_related("owner")
    by_id = {program.pk: program for program in shown}
    found: dict[int, list[Bar]] = {}
    for region_id, program_id in ranked:
        bar = bar_for(by_id[program_id], year)
        if bar is not None:
            found.setdefault(region_id, []).append(bar)
    return found
