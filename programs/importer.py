"""The one import service of the exchange format (programs-format.md), used by the command and the portal page.

All or nothing: `import_programs` validates every row first and writes only when no row has a problem. Each
problem reads `line N: column: what is wrong`. Re-importing a file updates the programs with the same `ref`.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satusama import tenant_cache
from satusama.batches import batches
from stakeholders.models import HelixKind, Organization, Region

from .exchange import COLUMNS, REQUIRED
from .models import Program, ProgramEvent
from .overlap_services import schedule_recompute_many
from .taxonomy import Intervention, Sector, Status

MAX_BYTES = 10 * 1024 * 1024  # about 30,000 programs; anything larger is not a program list
CHUNK = 500  # below SQLite's limit of bound parameters
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE = re.compile(r"^\d+$")
NIB = re.compile(r"^\d{13}$")
FILE = "(file)"
# What a file row sets on a program (besides its regions); status, contact and the rest stay as they are.
CONTENT = ["owner", "title", "description", "kinds", "sectors", "start_date", "end_date", "target_umkm", "budget_idr"]


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("line %(line)s: %(column)s: %(message)s") % {
            "line": self.line, "column": self.column, "message": self.message,
        }


@dataclass
class Row:
    line: int
    ref: str
    organization: str
    helix: str
    title: str
    description: str
    kinds: list[str]
    sectors: list[str]
    region_codes: list[str]
    start_date: datetime.date
    end_date: datetime.date
    target_umkm: int | None
    budget_idr: int | None
    nibs: list[str]
    exists: bool = False


@dataclass
class ImportReport:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # existing programs the file leaves as they are: no new version
    organizations_created: int = 0
    nibs_pending: int = 0  # beneficiary NIBs validated but not enrolled (no enrolment service installed)

    @property
    def ok(self) -> bool:
        return not self.problems


def _decode(data: bytes, report: ImportReport) -> str | None:
    if not data.strip():
        report.problems.append(Problem(1, FILE, _("the file is empty")))
        return None
    if len(data) > MAX_BYTES:
        report.problems.append(Problem(1, FILE, _("the file is larger than %(mb)s MB; split it into smaller files")
                                       % {"mb": MAX_BYTES // (1024 * 1024)}))
        return None
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        report.problems.append(Problem(1, FILE, _("this is not a CSV text file (an Excel file must be saved as "
                                                  "“CSV UTF-8” first)")))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.problems.append(Problem(line, FILE, _("the text is not UTF-8; save the file as “CSV UTF-8”")))
        return None


def _codes(value: str, choices, column: str, line: int, problems: list[Problem]) -> list[str]:
    codes = [c.strip() for c in value.split(";") if c.strip()]
    unknown = [c for c in codes if c not in choices.values]
    if unknown:
        problems.append(Problem(line, column, _("unknown code %(codes)s (known: %(known)s)") % {
            "codes": ", ".join(f"“{c}”" for c in unknown), "known": ", ".join(choices.values)}))
    return list(dict.fromkeys(codes))


def _date(value: str, column: str, line: int, problems: list[Problem]) -> datetime.date | None:
    try:
        if not ISO_DATE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(line, column, _("“%(value)s” is not a date in the form YYYY-MM-DD") % {"value": value}))
        return None


def _whole(value: str, column: str, line: int, problems: list[Problem]) -> int | None:
    if not value:
        return None
    if not WHOLE.match(value) or len(value) > 15:
        problems.append(Problem(line, column, _("“%(value)s” is not a whole number of 0 or more (no dots or "
                                                "commas)") % {"value": value}))
        return None
    return int(value)


def parse_programs(*, tenant, data: bytes) -> ImportReport:
    """Read and check a file without writing anything; the report lists every row and every problem."""
    report = ImportReport()
    text = _decode(data, report)
    if text is None:
        return report
    reader = csv.reader(io.StringIO(text, newline=""))
    problems = report.problems
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(1, FILE, _("the file is empty")))
        return report
    except csv.Error as error:
        problems.append(Problem(1, FILE, _("not readable as CSV: %(error)s") % {"error": error}))
        return report
    for column in REQUIRED:
        if column not in header:
            problems.append(Problem(1, column, _("required column is missing")))
    for column in header:
        if column not in COLUMNS:
            problems.append(Problem(1, column or "?", _("unknown column (known: %(known)s)")
                                    % {"known": ", ".join(COLUMNS)}))
        elif header.count(column) > 1:
            problems.append(Problem(1, column, _("the column appears more than once")))
    if any(c not in header for c in REQUIRED) or len(set(header)) != len(header):
        return report  # rows cannot be read reliably; unknown columns alone still let every row be checked

    regions = dict(Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE).values_list("code", "pk"))
    helix_of = dict(Organization.objects.filter(tenant=tenant).values_list("name", "helix"))
    first_line_of_ref: dict[str, int] = {}
    line = 1
    try:
        for values in reader:
            line_start = line + 1
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines are harmless
            if len(values) != len(header):
                problems.append(Problem(line_start, FILE, _("expected %(n)s values, found %(found)s")
                                        % {"n": len(header), "found": len(values)}))
                continue
            row = _parse_row(dict(zip(header, (v.strip() for v in values), strict=True)), line_start, regions,
                             helix_of, first_line_of_ref, problems)
            if row is not None:
                report.rows.append(row)
    except csv.Error as error:
        problems.append(Problem(line + 1, FILE, _("not readable as CSV: %(error)s") % {"error": error}))
    if not report.rows and not problems:
        problems.append(Problem(2, FILE, _("the file has a header but no programs")))
    return report


def _parse_row(v: dict, line: int, regions: dict, helix_of: dict, first_line_of_ref: dict,
               problems: list[Problem]) -> Row | None:
    before = len(problems)
    for column in REQUIRED:
        if not v.get(column):
            problems.append(Problem(line, column, _("a value is required")))
    for column, limit in (("ref", 40), ("organization", 200), ("title", 200)):
        if len(v.get(column, "")) > limit:
            problems.append(Problem(line, column, _("longer than %(n)s characters") % {"n": limit}))
    ref = v.get("ref", "")
    if ref:
        if ref in first_line_of_ref:
            problems.append(Problem(line, "ref", _("“%(ref)s” already appears on line %(other)s")
                                    % {"ref": ref, "other": first_line_of_ref[ref]}))
        else:
            first_line_of_ref[ref] = line
    helix, org = v.get("helix", ""), v.get("organization", "")
    if helix and helix not in HelixKind.values:
        problems.append(Problem(line, "helix", _("unknown code “%(code)s” (known: %(known)s)")
                                % {"code": helix, "known": ", ".join(HelixKind.values)}))
    elif helix and org:
        known = helix_of.setdefault(org, helix)  # also keeps one file consistent with itself
        if known != helix:
            problems.append(Problem(line, "helix", _("organisation “%(org)s” is registered as “%(known)s”")
                                    % {"org": org, "known": known}))
    kinds = _codes(v.get("interventions", ""), Intervention, "interventions", line, problems)
    sectors = _codes(v.get("sectors", ""), Sector, "sectors", line, problems)
    codes = [c.strip() for c in v.get("regions", "").split(";") if c.strip()]
    unknown = [c for c in codes if c not in regions]
    if unknown:
        problems.append(Problem(line, "regions", _("unknown regency/city code %(codes)s in this province")
                                % {"codes": ", ".join(f"“{c}”" for c in unknown)}))
    start = _date(v["start_date"], "start_date", line, problems) if v.get("start_date") else None
    end = _date(v["end_date"], "end_date", line, problems) if v.get("end_date") else None
    if start and end and end < start:
        problems.append(Problem(line, "end_date", _("the end date %(end)s is before the start date %(start)s")
                                % {"end": end.isoformat(), "start": start.isoformat()}))
    target = _whole(v.get("target_umkm", ""), "target_umkm", line, problems)
    budget = _whole(v.get("budget_idr", ""), "budget_idr", line, problems)
    nibs = [n.strip() for n in v.get("beneficiary_nibs", "").split(";") if n.strip()]
    bad = [n for n in nibs if not NIB.match(n)]
    if bad:
        problems.append(Problem(line, "beneficiary_nibs", _("%(nibs)s is not a 13-digit NIB")
                                % {"nibs": ", ".join(f"“{n}”" for n in bad[:5])}))
    if len(problems) > before:
        return None
    return Row(line=line, ref=ref, organization=org, helix=helix, title=v["title"],
               description=v.get("description", ""), kinds=kinds, sectors=sectors,
               region_codes=list(dict.fromkeys(codes)), start_date=start, end_date=end, target_umkm=target,
               budget_idr=budget, nibs=list(dict.fromkeys(nibs)))


def mark_existing(*, tenant, report: ImportReport) -> None:
    """Tell new programs from updates (for the preview)."""
    refs = [r.ref for r in report.rows]
    existing = set()
    for chunk in batches(refs, CHUNK):
        existing |= set(Program.objects.filter(tenant=tenant, ref__in=chunk).values_list("ref", flat=True))
    for row in report.rows:
        row.exists = row.ref in existing


def import_programs(*, tenant, data: bytes, by=None) -> ImportReport:
    """Check the whole file, then create or update every program in one transaction (nothing when any row fails)."""
    report = parse_programs(tenant=tenant, data=data)
    if not report.ok:
        return report
    with transaction.atomic():
        _write(tenant=tenant, report=report, by=by)
    return report


def _write(*, tenant, report: ImportReport, by) -> None:
    rows = report.rows
    by = by if by is not None and by.is_authenticated else None
    orgs = _organizations(tenant=tenant, rows=rows, report=report)
    regions = dict(Region.objects.filter(tenant=tenant).values_list("code", "pk"))

    existing: dict[str, Program] = {}
    for chunk in batches([r.ref for r in rows], CHUNK):
        # Locked until the import commits: an edit saved meanwhile waits instead of being overwritten unseen.
        existing |= {p.ref: p for p in Program.objects.select_for_update().filter(tenant=tenant, ref__in=chunk)}
    current_regions = _region_sets([p.pk for p in existing.values()])

    new, changed, region_sets = [], [], {}
    now = timezone.now()  # bulk writes do not apply auto_now
    for row in rows:
        values = {"owner_id": orgs[row.organization].pk, **{name: getattr(row, name) for name in CONTENT[1:]}}
        wanted = {regions[c] for c in row.region_codes}
        program = existing.get(row.ref)
        if program is None:
            program = Program(tenant=tenant, ref=row.ref, status=Status.SUBMITTED, created_by=by, version=1,
                              **values)
            new.append(program)
        elif (all(getattr(program, k) == v for k, v in values.items())
              and current_regions.get(program.pk, set()) == wanted):
            # Nothing to change: no new version (an editor's open form stays valid) and no empty history entry.
            report.unchanged += 1
            continue
        else:
            for name, value in values.items():
                setattr(program, name, value)
            program.version += 1
            program.updated_at = now
            changed.append(program)
        region_sets[row.ref] = wanted

    Program.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        # INSERT … ON CONFLICT (tenant, ref) DO UPDATE: one statement per chunk. bulk_update's CASE WHEN per
        # column grows with the square of the chunk: re-importing 10,000 programs took 40 s that way.
        created_at = {p.pk: p.created_at for p in changed}
        Program.objects.bulk_create(
            changed, batch_size=CHUNK, update_conflicts=True, unique_fields=["tenant", "ref"],
            update_fields=[*CONTENT, "version", "updated_at"],
        )
        for program in changed:  # the insert half set it to now on the objects; the rows keep theirs
            program.created_at = created_at[program.pk]
    report.created, report.updated = len(new), len(changed)
    written = [*new, *changed]

    through = Program.regions.through
    for chunk in batches([p.pk for p in changed], CHUNK):
        through.objects.filter(program_id__in=chunk).delete()
    through.objects.bulk_create(
        [through(program_id=p.pk, region_id=r) for p in written for r in sorted(region_sets[p.ref])],
        batch_size=CHUNK,
    )
    ProgramEvent.objects.bulk_create(
        [ProgramEvent(tenant=tenant, program=p, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=by,
                      reason=_("imported")) for p in new],
        batch_size=CHUNK,
    )
    _record_history(new=new, changed=changed, by=by)
    _enroll(rows=rows, by_ref={p.ref: p for p in written} | existing, by=by, report=report)
    # Imported programs are submitted (or keep their status): the overlap check runs for them as for a submission
    # in the portal — in the worker, in batches, once the import commits. Unchanged rows are not checked again.
    schedule_recompute_many(written)
    tenant_cache.data_changed(tenant.pk)  # bulk writes send no model signals


def _organizations(*, tenant, rows: list[Row], report: ImportReport) -> dict[str, Organization]:
    """The owners named in the file by name; unknown ones are created with the file's helix kind."""
    names = {r.organization for r in rows}
    orgs = {o.name: o for o in Organization.objects.filter(tenant=tenant, name__in=names)}
    missing = {r.organization: r.helix for r in rows if r.organization not in orgs}
    if missing:
        created = Organization.objects.bulk_create(
            [Organization(tenant=tenant, name=name, helix=helix) for name, helix in missing.items()]
        )
        report.organizations_created = len(created)
        orgs = {o.name: o for o in Organization.objects.filter(tenant=tenant, name__in=names)}
    return orgs


def _region_sets(program_ids: list[int]) -> dict[int, set[int]]:
    sets: dict[int, set[int]] = {}
    for chunk in batches(program_ids, CHUNK):
        for program_id, region_id in Program.regions.through.objects.filter(program_id__in=chunk).values_list(
            "program_id", "region_id"
        ):
            sets.setdefault(program_id, set()).add(region_id)
    return sets


def _record_history(*, new: list[Program], changed: list[Program], by) -> None:
    """One history entry per written program with its regions and partners, as a form save records it.

    In bulk: simple-history's bulk_history_create leaves out many-to-many fields, so without the copies below the
    next entry on the program page would read "regencies/cities: – → Sleman".
    """
    manager = Program.history
    records = [
        *(manager.bulk_history_create(new, batch_size=CHUNK, default_user=by, default_change_reason="import")
          or []),
        *(manager.bulk_history_create(changed, batch_size=CHUNK, update=True, default_user=by,
                                      default_change_reason="import") or []),
    ]
    record_of = {record.id: record.pk for record in records}  # program id → its new history entry
    for field_name, other in (("regions", "region_id"), ("partners", "organization_id")):
        through = getattr(Program, field_name).through
        copies = apps.get_model("programs", f"HistoricalProgram_{field_name}")
        rows = []
        for chunk in batches(list(record_of), CHUNK):
            for row_id, program_id, other_id in through.objects.filter(program_id__in=chunk).values_list(
                "id", "program_id", other
            ):
                rows.append(copies(id=row_id, program_id=program_id, history_id=record_of[program_id],
                                   **{other: other_id}))
        copies.objects.bulk_create(rows, batch_size=CHUNK)


def _enroll(*, rows: list[Row], by_ref: dict, by, report: ImportReport) -> None:
    """beneficiary_nibs: each NIB becomes an enrolment, through the UMKM app's service once it exists."""
    wanted = [r for r in rows if r.nibs]
    if not wanted:
        return
    try:
        from umkm.services import enroll_many
    except ImportError:
        report.nibs_pending = sum(len(r.nibs) for r in wanted)
        return
    # One pass for every row: businesses and enrolments are read and written in bulk; rows whose NIBs are all
    # enrolled already (a re-import) change nothing.
    enroll_many([(by_ref[r.ref], r.nibs) for r in wanted], by=by)
