"""Gap analysis: where assistance piles up and where there is none — a matrix kabupaten/kota × kind of assistance.

A read-only summary (design.md: "the gap matrix"): it reads programs and, when the umkm app provides them,
enrolments; no model imports it. Counted are the programs others coordinate with (overlap_services.CHECKED_STATUSES:
submitted and everything after it that still happens or happened) that run at some point in the chosen year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stakeholders.models import Region, Tenant

from .models import Program
from .overlap_services import CHECKED_STATUSES
from .taxonomy import Intervention

# "Several organisations" in one cell: from three on, a forum should look at whether they coordinate.
CROWDED_ORGANISATIONS = 3


@dataclass
class Cell:
    region: Region
    kind: str
    programs: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    businesses: set[int] = field(default_factory=set)

    @property
    def program_count(self) -> int:
        return len(self.programs)

    @property
    def organisation_count(self) -> int:
        return len(self.organisations)

    @property
    def business_count(self) -> int:
        return len(self.businesses)

    @property
    def empty(self) -> bool:
        return not self.programs

    @property
    def crowded(self) -> bool:
        return len(self.organisations) >= CROWDED_ORGANISATIONS


@dataclass
class GapMatrix:
    year: int
    sector: str
    regions: list[Region]
    kinds: list[tuple[str, str]]  # (code, label)
    rows: list[tuple[Region, list[Cell]]]
    peak: int  # the largest program count of a cell, for the heat-map scale

    @property
    def empty_cells(self) -> list[Cell]:
        return [cell for _region, cells in self.rows for cell in cells if cell.empty]

    @property
    def crowded_cells(self) -> list[Cell]:
        return [cell for _region, cells in self.rows for cell in cells if cell.crowded]


def available_years(tenant: Tenant) -> list[int]:
    """Years some checked program runs in, newest first (the page's year choice)."""
    dates = Program.objects.filter(tenant=tenant, status__in=CHECKED_STATUSES, start_date__isnull=False).values_list(
        "start_date__year", "end_date__year"
    ).distinct()
    years: set[int] = set()
    for start, end in dates:
        years.update(range(start, (end or start) + 1))
    return sorted(years, reverse=True)


def _enrolled(program_ids: list[int]) -> dict[int, list[tuple[int, int | None]]]:
    """(business id, its kabupaten/kota id) of the businesses enrolled in each program."""
    try:
        enrollment = apps.get_model("umkm", "Enrollment")
    except LookupError:
        return {}
    found: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for program_id, business_id, region_id in enrollment.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "business_id", "business__region_id"
    ):
        found[program_id].append((business_id, region_id))
    return found


def gap_matrix(tenant: Tenant, *, year: int, sector: str = "") -> GapMatrix:
    """Per kabupaten/kota and kind of assistance: programs, organisations and distinct businesses reached."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    programs = {
        pk: (owner_id, kinds or [], sectors or [])
        for pk, owner_id, kinds, sectors in Program.objects.filter(
            tenant=tenant, status__in=CHECKED_STATUSES, start_date__lte=last, end_date__gte=first
        ).values_list("pk", "owner_id", "kinds", "sectors")
    }
    if sector:
        # the same rule as the program list's sector filter, so a cell's link lists what the cell counts
        programs = {pk: row for pk, row in programs.items() if sector in row[2]}
    regions = list(Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE).order_by("code"))
    kinds = list(Intervention.choices)
    cells = {(region.pk, code): Cell(region, code) for region in regions for code, _label in kinds}
    ids = list(programs)
    enrolled = _enrolled(ids)
    through = Program.regions.through
    program_regions: dict[int, list[int]] = defaultdict(list)
    for program_id, region_id in through.objects.filter(program_id__in=ids).values_list("program_id", "region_id"):
        program_regions[program_id].append(region_id)
    for program_id, region_ids in program_regions.items():
        owner_id, program_kinds, _sectors = programs[program_id]
        for region_id in region_ids:
            # A business counts where it is; one without a known place only when the program has one place.
            reached = {
                business for business, home in enrolled.get(program_id, ())
                if home == region_id or (home is None and len(region_ids) == 1)
            }
            for kind in program_kinds:
                cell = cells.get((region_id, kind))
                if cell is None:  # an unknown code from old data, or a province-wide region: not in the matrix
                    continue
                cell.programs.add(program_id)
                cell.organisations.add(owner_id)
                cell.businesses |= reached
    rows = [(region, [cells[(region.pk, code)] for code, _label in kinds]) for region in regions]
    peak = max((cell.program_count for cell in cells.values()), default=0)
    return GapMatrix(year, sector, regions, kinds, rows, peak)


def heat_level(cell: Cell, peak: int) -> int:
    """0 for an empty cell, else 1–4 by the share of the busiest cell (the CSS and the printout shade by it)."""
    if cell.empty or not peak:
        return 0
    return min(4, 1 + (4 * (cell.program_count - 1)) // max(peak, 1))


# Sequential greens that stay apart in grey print; level 0 (no program) is white and carries a dash.
HEAT_FILLS = ["#ffffff", "#d8eee4", "#95cdb3", "#3f9a73", "#0b5d4b"]


def heatmap_svg(matrix: GapMatrix, *, title: str, kind_labels: dict[str, str]) -> SafeString:
    """The matrix as a picture: one square per cell shaded by its number of programs, the number written in it,
    crowded cells framed thick, empty cells marked with a dash — readable in colour and in black and white."""
    cell_w, cell_h, left, top = 64, 30, 150, 96
    width = left + cell_w * len(matrix.kinds) + 70  # room for the last slanted column label
    height = top + cell_h * len(matrix.rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="heatmap-title">',
        f'<title id="heatmap-title">{escape(title)}</title>',
    ]
    for j, (code, _label) in enumerate(matrix.kinds):
        x = left + j * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top - 8}" font-size="11" transform="rotate(-35 {x:.0f} {top - 8})" '
            f'fill="#222">{escape(kind_labels.get(code, code))}</text>'
        )
    for i, (region, cells) in enumerate(matrix.rows):
        y = top + i * cell_h
        parts.append(f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.0f}" font-size="12" text-anchor="end" '
                     f'fill="#222">{escape(region.name)}</text>')
        for j, cell in enumerate(cells):
            x = left + j * cell_w
            level = heat_level(cell, matrix.peak)
            stroke = ' stroke="#000" stroke-width="3"' if cell.crowded else ' stroke="#777" stroke-width="0.5"'
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                         f'fill="{HEAT_FILLS[level]}"{stroke} />')
            text = "–" if cell.empty else str(cell.program_count)
            ink = "#fff" if level >= 3 else "#222"
            parts.append(f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 4:.0f}" font-size="12" '
                         f'text-anchor="middle" fill="{ink}">{text}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def csv_rows(matrix: GapMatrix, kind_labels: dict[str, str]) -> Iterator[list]:
    for region, cells in matrix.rows:
        for cell in cells:
            yield [
                matrix.year, matrix.sector, region.code, region.name, cell.kind, kind_labels.get(cell.kind, cell.kind),
                cell.program_count, cell.organisation_count, cell.business_count,
                int(cell.crowded), int(cell.empty),
            ]
