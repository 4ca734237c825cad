"""The program exchange format of programs-format.md: columns, one program as a row, safe spreadsheet cells."""

from __future__ import annotations

import csv
import io

from django.apps import apps

from satusama.exports import neutralise

from .models import Program

COLUMNS = [
    "ref", "organization", "helix", "title", "description", "interventions", "sectors", "regions",
    "start_date", "end_date", "target_umkm", "budget_idr", "beneficiary_nibs",
]
REQUIRED = ["ref", "organization", "helix", "title", "interventions", "sectors", "regions", "start_date", "end_date"]

def enrollments_available() -> bool:
    try:
        apps.get_model("umkm", "Enrollment")
    except LookupError:
        return False
    return True


def export_queryset(qs):
    """What a row needs, fetched in a constant number of queries."""
    qs = qs.select_related("owner").prefetch_related("regions")
    if enrollments_available():
        qs = qs.prefetch_related("enrollments__business")
    return qs


def _nibs(program: Program) -> str:
    if not enrollments_available():
        return ""
    return ";".join(sorted(e.business.nib for e in program.enrollments.all()))


def program_row(program: Program) -> list[str]:
    values = [
        program.ref, program.owner.name, program.owner.helix, program.title, program.description,
        ";".join(program.kinds), ";".join(program.sectors),
        ";".join(sorted(r.code for r in program.regions.all())),
        program.start_date.isoformat() if program.start_date else "",
        program.end_date.isoformat() if program.end_date else "",
        "" if program.target_umkm is None else str(program.target_umkm),
        "" if program.budget_idr is None else str(program.budget_idr),
        _nibs(program),
    ]
    return [neutralise(v) for v in values]


def to_csv(programs) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for program in programs:
        writer.writerow(program_row(program))
    # A BOM so Excel opens the UTF-8 file with the right characters; the importer accepts it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(programs) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("programs")
    sheet.append(COLUMNS)
    for program in programs:
        # Every cell is written as text (dates and refs too), so nothing is ever evaluated.
        sheet.append(program_row(program))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
