"""Import of businesses and outcome reports from CSV or XLSX: one service for the upload page and the command.

Rows are checked and written in chunks inside one transaction; any bad row rolls everything back, so a file
is imported whole or not at all, and every bad row is listed as "line N: column: what is wrong". Businesses are
matched by NIB (updated, never duplicated); outcome reports by (NIB, date). An NIB corrected since the file was
made is read as the corrected one, as old links are, and the result says so for each such row. A business
registered by someone else while the file is written makes the import start again once (see `import_file`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from programs.models import Program
from programs.taxonomy import Sector
from satusama import tenant_cache
from satusama.exports import looks_like_formula
from stakeholders.models import Region, Tenant

from . import scale as scale_rules
from . import selectors
from .models import Business, Enrollment, Gender, NibCorrection, OutcomeReport, Scale

logger = logging.getLogger(__name__)

CHUNK = 2000
MAX_ERRORS = 500
ATTEMPTS = 2  # a file that meets a concurrent write is imported once more from the start
# The unique constraints a concurrent write can break between an import's lookup and its write, as PostgreSQL
# names them and as SQLite lists their columns.
TAKEN_MEANWHILE = (
    "business_unique_nib_per_tenant", "umkm_business.tenant_id, umkm_business.nib",
    "outcome_one_per_business_day", "umkm_outcomereport.tenant_id, umkm_outcomereport.business_id",
)

BUSINESS = "businesses"
OUTCOMES = "outcomes"

BUSINESS_COLUMNS = [
    "nib", "name", "owner_name", "owner_gender", "phone", "email", "address", "region", "district", "village",
    "sector", "kbli", "capital", "annual_sales", "declared_scale", "year_founded", "nib_issued_on",
    "pirt_number", "pirt_issued_on", "halal_number", "halal_issued_on", "bpom_number", "bpom_issued_on",
]
OUTCOME_COLUMNS = [
    "nib", "date", "annual_sales", "capital", "employees", "markets", "online_shop", "qris", "bookkeeping_app",
    "still_active",
]
REQUIRED = {BUSINESS: ("nib", "name"), OUTCOMES: ("nib", "date")}

# Headers people write in Indonesian spreadsheets, mapped to ours.
ALIASES = {
    "nama": "name", "nama_usaha": "name", "pemilik": "owner_name", "nama_pemilik": "owner_name",
    "jenis_kelamin": "owner_gender", "telepon": "phone", "hp": "phone", "no_hp": "phone", "alamat": "address",
    "kabupaten": "region", "kabupaten_kota": "region", "kapanewon": "district", "kecamatan": "district",
    "kalurahan": "village", "desa": "village", "kelurahan": "village", "sektor": "sector", "kbli_2020": "kbli",
    "modal": "capital", "modal_usaha": "capital", "omzet": "annual_sales", "omzet_tahunan": "annual_sales",
    "penjualan_tahunan": "annual_sales", "skala": "declared_scale", "tahun_berdiri": "year_founded",
    "tanggal": "date", "tenaga_kerja": "employees", "pasar": "markets",
}
GENDERS = {"female": Gender.FEMALE, "perempuan": Gender.FEMALE, "p": Gender.FEMALE, "f": Gender.FEMALE,
           "wanita": Gender.FEMALE, "male": Gender.MALE, "laki-laki": Gender.MALE, "l": Gender.MALE,
           "m": Gender.MALE, "pria": Gender.MALE}
YES = {"1", "ya", "yes", "y", "true", "benar", "x"}
NO = {"", "0", "tidak", "no", "n", "false", "salah", "-"}
TEXT_LIMITS = {"name": 200, "owner_name": 150, "phone": 30, "address": 300, "district": 100, "village": 100,
               "pirt_number": 40, "halal_number": 60, "bpom_number": 40, "markets": 200}
THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class CorrectedNib:
    """A row that names a business by an NIB corrected since: it was read as the corrected NIB."""

    line: int
    old_nib: str
    new_nib: str

    def __str__(self):
        return _("Line %(line)s: NIB %(old)s has been corrected to %(new)s; the data are saved to the business with "
                 "the new NIB.") % {"line": self.line, "old": self.old_nib, "new": self.new_nib}


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0  # errors past MAX_ERRORS, counted but not listed
    corrected: list[CorrectedNib] = field(default_factory=list)
    more_corrected: int = 0  # past MAX_ERRORS, counted but not listed
    # The file could not be written as a whole (not a row's fault): nothing was imported; the message says why.
    failure: str = ""
    committed: bool = False
    sample: list[dict] = field(default_factory=list)  # the first rows as read, for the preview

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failure

    def add_error(self, line: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, message))
        else:
            self.more_errors += 1

    def add_corrected(self, line: int, old_nib: str, new_nib: str) -> None:
        if len(self.corrected) < MAX_ERRORS:
            self.corrected.append(CorrectedNib(line, old_nib, new_nib))
        else:
            self.more_corrected += 1


class FileRefused(ValueError):
    """The file as a whole cannot be read (encoding, format, missing columns)."""


class _Rollback(Exception):
    pass


# --- reading ---------------------------------------------------------------------------------------------


def _header_key(raw) -> str:
    key = re.sub(r"[\s/]+", "_", str(raw or "").strip().lower()).strip("_")
    return ALIASES.get(key, key)


def read_rows(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each data row of a CSV (UTF-8) or XLSX file."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data)
    if data[:2] == b"PK":
        raise FileRefused(_("This looks like an Excel file; give it the .xlsx extension."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The file is not in UTF-8 encoding (unreadable byte at position %(pos)s). "
              "In Excel choose \"CSV UTF-8\" when saving.") % {"pos": exc.start}
        ) from exc
    return _csv_rows(text)


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise FileRefused(_("The file is empty."))
    keys = [_header_key(h) for h in header]
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        yield reader.line_num, dict(zip(keys, row, strict=False))


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula arrives as its text ("=…") and is refused like one typed in a CSV.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise FileRefused(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise FileRefused(_("The file is empty."))
    keys = [_header_key(h) for h in header]
    for number, row in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        yield number, {k: _cell_text(v) for k, v in zip(keys, row, strict=False)}
    workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- checking cells --------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def clean_text(value: str, column: str) -> str:
    value = value.strip()
    if value and looks_like_formula(value):
        raise CellError(_("starts like a spreadsheet formula (=, +, -, @); remove that character"))
    limit = TEXT_LIMITS.get(column)
    if limit and len(value) > limit:
        raise CellError(_("longer than %(n)s characters") % {"n": limit})
    return value


def clean_nib(value: str) -> str:
    value = value.strip().replace(" ", "")
    if not re.fullmatch(r"\d{13}", value):
        raise CellError(_("an NIB is exactly 13 digits, got \"%(v)s\"") % {"v": value[:30]})
    return value


def clean_kbli(value: str) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"\d{5}", value):
        raise CellError(_("a KBLI 2020 code is exactly 5 digits, got \"%(v)s\"") % {"v": value[:30]})
    return value


def clean_money(value: str) -> int | None:
    value = value.strip().removeprefix("Rp").removeprefix("rp").strip().replace(" ", "")
    if not value:
        return None
    if THOUSANDS.match(value):
        value = re.sub(r"[.,]", "", value)
    try:
        amount = int(value)
    except ValueError:
        raise CellError(_("not a whole rupiah amount: \"%(v)s\"") % {"v": value[:30]}) from None
    if amount < 0:
        raise CellError(_("a money amount cannot be negative"))
    return amount


def clean_count(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise CellError(_("not a whole number >= 0: \"%(v)s\"") % {"v": value[:30]})
    return int(value)


def clean_date(value: str, *, required: bool = False) -> dt.date | None:
    value = value.strip()
    if not value:
        if required:
            raise CellError(_("required"))
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    raise CellError(_("not a date (use YYYY-MM-DD): \"%(v)s\"") % {"v": value[:30]})


def clean_year(value: str) -> int | None:
    year = clean_count(value)
    if year is not None and not 1900 <= year <= dt.date.today().year:
        raise CellError(_("not a plausible year: %(v)s") % {"v": year})
    return year


def clean_bool(value: str) -> bool:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(_("write ya or tidak, got \"%(v)s\"") % {"v": value[:30]})


@cache
def _codes(choices) -> tuple[str, ...]:
    # `Choices.values` builds a new list on every call: a 100,000-row file asked it half a million times.
    return tuple(choices.values)


def clean_choice(value: str, choices, label_map: dict | None = None) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    if label_map and value in label_map:
        return label_map[value]
    if value in _codes(choices):
        return value
    raise CellError(_("unknown value \"%(v)s\"; use one of: %(codes)s") % {
        "v": value[:30], "codes": ", ".join(_codes(choices))})


# --- businesses ------------------------------------------------------------------------------------------


def _region_lookup(tenant: Tenant) -> dict[str, Region]:
    lookup = {}
    for region in Region.objects.filter(tenant=tenant):
        lookup[region.code] = region
        lookup[region.name.lower()] = region
        lookup[str(region).lower()] = region
    return lookup


def _clean_business(raw: dict[str, str], regions: dict[str, Region]) -> tuple[dict, list[tuple[str, str]]]:
    values: dict = {}
    errors: list[tuple[str, str]] = []
    present = {k for k in BUSINESS_COLUMNS if k in raw}

    def cell(column, cleaner):
        try:
            values[column] = cleaner(raw.get(column, ""))
        except CellError as exc:
            errors.append((column, str(exc)))

    cell("nib", clean_nib)
    for column in ("name", "owner_name", "phone", "address", "district", "village", "pirt_number",
                   "halal_number", "bpom_number"):
        if column in present:
            cell(column, lambda v, c=column: clean_text(v, c))
    if not values.get("name") and "name" not in dict(errors):
        errors.append(("name", _("required")))
    if "email" in present:
        def email(v):
            v = clean_text(v, "email")
            if v:
                try:
                    validate_email(v)
                except ValidationError:
                    raise CellError(_("not an e-mail address: \"%(v)s\"") % {"v": v[:40]}) from None
            return v.lower()
        cell("email", email)
    if "owner_gender" in present:
        cell("owner_gender", lambda v: clean_choice(v, Gender, GENDERS))
    if "sector" in present:
        cell("sector", lambda v: clean_choice(v, Sector))
    if "declared_scale" in present:
        cell("declared_scale", lambda v: clean_choice(v, Scale))
    if "kbli" in present:
        cell("kbli", clean_kbli)
    for column in ("capital", "annual_sales"):
        if column in present:
            cell(column, clean_money)
    if "year_founded" in present:
        cell("year_founded", clean_year)
    for column in ("nib_issued_on", "pirt_issued_on", "halal_issued_on", "bpom_issued_on"):
        if column in present:
            cell(column, clean_date)
    if "region" in present:
        def region(v):
            v = v.strip()
            if not v:
                return None
            found = regions.get(v) or regions.get(v.lower())
            if found is None:
                raise CellError(_("unknown regency/city \"%(v)s\" (use a Kemendagri code such as 34.04)")
                                % {"v": v[:40]})
            return found
        cell("region", region)
    # Blank cells keep what the registry already knows: a partial file never erases data.
    keep = {k: v for k, v in values.items() if v not in ("", None) or k == "nib"}
    return keep, errors


@dataclass
class _FileState:
    """What one pass over a file keeps between chunks."""

    seen: dict = field(default_factory=dict)  # NIB (or NIB and date) → its line, or (line, old NIB) when corrected
    # Every NIB corrected away in the tenant, read once per pass (corrections are typed one by one, so they are
    # few): a chunk without one of them asks nothing more, and an import of new NIBs stays as fast as it was.
    corrected_away: set[str] = field(default_factory=set)


def _follow_corrections(tenant: Tenant, chunk: list[tuple[int, dict]], known, result: ImportResult,
                        state: _FileState) -> tuple[list[tuple[int, dict]], dict[str, Business]]:
    """Rows whose NIB no business holds but a correction names are read as the corrected NIB (the rule old links
    follow), each with a notice. Returns the chunk to write and the businesses those rows now name, by NIB.

    One query, only for a chunk with such NIBs. Two rows that come to name the same business (its old and its new
    NIB) are refused like the same NIB twice: the file does not say which wins.
    """
    old_nibs = [values["nib"] for _line, values in chunk
                if values["nib"] in state.corrected_away and values["nib"] not in known]
    found = selectors.corrected_businesses(tenant, old_nibs) if old_nibs else {}
    if not found:
        return chunk, {}
    seen = state.seen
    kept, named = [], {}
    for line, values in chunk:
        business = found.get(values["nib"])
        if business is None:
            kept.append((line, values))
            continue
        old = values["nib"]
        key = business.nib if result.kind == BUSINESS else (business.nib, values["date"])
        if key in seen:
            earlier = seen[key]
            result.add_error(line, "nib", _(
                "NIB %(old)s has been corrected to %(new)s, which line %(line)s names too; keep one of the two rows")
                % {"old": old, "new": business.nib, "line": earlier[0] if isinstance(earlier, tuple) else earlier})
            continue
        seen[key] = (line, old)
        values["nib"] = business.nib
        result.add_corrected(line, old, business.nib)
        named[business.nib] = business
        kept.append((line, values))
    return kept, named


def _apply_businesses(tenant: Tenant, chunk: list[tuple[int, dict]], result: ImportResult, write: bool,
                      state: _FileState) -> None:
    if connection.vendor == "postgresql":
        _apply_businesses_by_copy(tenant, chunk, result, write, state)
        return
    nibs = [values["nib"] for _line, values in chunk]
    existing = {b.nib: b for b in Business.objects.filter(tenant=tenant, nib__in=nibs)}
    errors = len(result.errors)
    chunk, named = _follow_corrections(tenant, chunk, existing, result, state)
    existing |= named
    new, changed, fields = [], [], set()
    for _line, values in chunk:
        business = existing.get(values["nib"])
        if business is None:
            business = Business(tenant=tenant, **values)
            new.append(business)
        else:
            for key, value in values.items():
                setattr(business, key, value)
            business.is_minimal = False
            fields |= set(values) | {"is_minimal"}
            changed.append(business)
        business.scale, business.scale_basis = scale_rules.derive_scale(
            capital=business.capital, annual_sales=business.annual_sales,
            declared=business.declared_scale, at_registration=True,
        )
    result.created += len(new)
    result.updated += len(changed)
    if not write or len(result.errors) > errors:
        return
    Business.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        # INSERT … ON CONFLICT (tenant, nib) DO UPDATE: one statement per chunk. bulk_update's CASE WHEN per
        # column is quadratic and took minutes for 100,000 rows. The rows carry their merged values already.
        Business.objects.bulk_create(
            changed, batch_size=CHUNK, update_conflicts=True, unique_fields=["tenant", "nib"],
            update_fields=sorted(fields | {"scale", "scale_basis", "updated_at"}),
        )
        # Businesses with outcome reports take their scale from the latest report, not the file's figures.
        from .services import refresh_scales

        refresh_scales(OutcomeReport.objects.filter(business__in=[b.pk for b in changed])
                       .values_list("business_id", flat=True).distinct())


# PostgreSQL: rows go in by COPY instead of Django's bulk INSERT, which spent most of an import's CPU time turning
# 30 fields of 100,000 model instances into parameters. The rules are those of the path above: new NIBs are
# created, known ones updated with the non-empty cells only (empty cells keep what the registry knows), the scale
# follows the merged figures, and everything stays inside the import's one transaction.
COPIED = [f for f in Business._meta.concrete_fields if not f.primary_key]
UPDATED = [f for f in COPIED if f.name in BUSINESS_COLUMNS and f.name != "nib"]
STAGING = "umkm_import_rows"


def _db_value(value):
    return value.pk if isinstance(value, Region) else value


def _apply_businesses_by_copy(tenant: Tenant, chunk: list[tuple[int, dict]], result: ImportResult,
                              write: bool, state: _FileState) -> None:
    nibs = [values["nib"] for _line, values in chunk]
    # Only what the scale needs from the stored rows: no model instances for the rows being updated.
    known = {nib: (pk, capital, sales, declared) for nib, pk, capital, sales, declared in
             Business.objects.filter(tenant=tenant, nib__in=nibs)
             .values_list("nib", "pk", "capital", "annual_sales", "declared_scale")}
    errors = len(result.errors)
    chunk, named = _follow_corrections(tenant, chunk, known, result, state)
    known |= {nib: (b.pk, b.capital, b.annual_sales, b.declared_scale) for nib, b in named.items()}
    new, changed = [], []
    for _line, values in chunk:
        stored = known.get(values["nib"])
        _pk, capital, sales, declared = stored or (None, None, None, "")
        scale = scale_rules.derive_scale(
            capital=values.get("capital", capital), annual_sales=values.get("annual_sales", sales),
            declared=values.get("declared_scale", declared), at_registration=True,
        )
        (changed if stored else new).append((values, scale))
    result.created += len(new)
    result.updated += len(changed)
    if not write or len(result.errors) > errors:
        return
    now = timezone.now()
    # wrap_database_errors: COPY runs on psycopg's own cursor, whose errors would not be Django's IntegrityError
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if new:
            defaults = {f.name: f.get_default() for f in COPIED} | {
                "tenant": tenant.pk, "created_at": now, "updated_at": now, "is_minimal": False}
            columns = ", ".join(f'"{f.column}"' for f in COPIED)
            with cursor.cursor.copy(f"COPY umkm_business ({columns}) FROM STDIN") as copy:
                for values, (scale, basis) in new:
                    row = defaults | values | {"scale": scale, "scale_basis": basis}
                    copy.write_row([_db_value(row[f.name]) for f in COPIED])
        if changed:
            # The file's cells go to a staging table (NULL = empty cell), then one UPDATE merges them.
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} ON COMMIT DROP AS "  # noqa: S608 - constants
                           "SELECT * FROM umkm_business WITH NO DATA")
            cursor.execute(f"TRUNCATE {STAGING}")
            staged = ["nib", "scale", "scale_basis", *(f.column for f in UPDATED)]
            with cursor.cursor.copy(f"COPY {STAGING} ({', '.join(staged)}) FROM STDIN") as copy:
                for values, (scale, basis) in changed:
                    copy.write_row([values["nib"], scale, basis, *(_db_value(values.get(f.name)) for f in UPDATED)])
            # a temporary table has no statistics: without them the planner may scan the whole registry
            cursor.execute(f"ANALYZE {STAGING}")
            merged = ", ".join(f'"{f.column}" = COALESCE(t."{f.column}", b."{f.column}")' for f in UPDATED)
            cursor.execute(
                f"UPDATE umkm_business b SET {merged}, scale = t.scale, scale_basis = t.scale_basis, "  # noqa: S608
                f"is_minimal = false, updated_at = %s FROM {STAGING} t WHERE b.tenant_id = %s AND b.nib = t.nib",
                [now, tenant.pk],
            )
    if changed:
        # Businesses with outcome reports take their scale from the latest report, not the file's figures.
        from .services import refresh_scales

        refresh_scales(OutcomeReport.objects.filter(business__in=[known[v["nib"]][0] for v, _scale in changed])
                       .values_list("business_id", flat=True).distinct())


# --- outcome reports -------------------------------------------------------------------------------------


def _clean_outcome(raw: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    values: dict = {}
    errors: list[tuple[str, str]] = []

    def cell(column, cleaner):
        try:
            values[column] = cleaner(raw.get(column, ""))
        except CellError as exc:
            errors.append((column, str(exc)))

    cell("nib", clean_nib)
    cell("date", lambda v: clean_date(v, required=True))
    cell("annual_sales", clean_money)
    cell("capital", clean_money)
    cell("employees", clean_count)
    cell("markets", lambda v: clean_text(v, "markets"))
    for column in ("online_shop", "qris", "bookkeeping_app"):
        cell(column, clean_bool)
    if raw.get("still_active", "").strip():
        cell("still_active", clean_bool)
    else:
        values["still_active"] = True
    if values.get("date") and values["date"] > dt.date.today():
        errors.append(("date", _("lies in the future")))
    return values, errors


def _apply_outcomes(tenant: Tenant, chunk: list[tuple[int, dict]], result: ImportResult, write: bool,
                    state: _FileState, program: Program | None = None) -> None:
    businesses = {b.nib: b for b in Business.objects.filter(tenant=tenant, nib__in=[v["nib"] for _l, v in chunk])}
    chunk, named = _follow_corrections(tenant, chunk, businesses, result, state)
    businesses |= named
    participants = None
    if program is not None:
        participants = set(Enrollment.objects.filter(program=program, business__in=list(businesses.values()))
                           .values_list("business_id", flat=True))
    usable = []
    for line, values in chunk:
        if values["nib"] not in businesses:
            result.add_error(line, "nib", _("no business with NIB %(nib)s in the registry; import it first")
                             % {"nib": values["nib"]})
            continue
        if participants is not None and businesses[values["nib"]].pk not in participants:
            result.add_error(line, "nib", _("NIB %(nib)s is not a participant of %(ref)s; enrol it first")
                             % {"nib": values["nib"], "ref": program.ref})
            continue
        if program is not None:
            values["program"] = program
        usable.append(values)
    if not usable:
        return
    ids = {businesses[v["nib"]].pk for v in usable}
    existing = {(r.business_id, r.date): r
                for r in OutcomeReport.objects.filter(tenant=tenant, business_id__in=ids)}
    new, changed = [], []
    for values in usable:
        business = businesses[values.pop("nib")]
        report = existing.get((business.pk, values["date"]))
        if report is None:
            report = OutcomeReport(tenant=tenant, business=business, **values)
            new.append(report)
        else:
            for key, value in values.items():
                setattr(report, key, value)
            changed.append(report)
        report.scale = report.compute_scale()
    result.created += len(new)
    result.updated += len(changed)
    if not write or result.errors:
        return
    OutcomeReport.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        OutcomeReport.objects.bulk_create(
            changed, batch_size=CHUNK, update_conflicts=True, unique_fields=["tenant", "business", "date"],
            update_fields=["annual_sales", "capital", "employees", "markets", "online_shop", "qris",
                           "bookkeeping_app", "still_active", "scale"] + (["program"] if program is not None else []),
        )
    from .services import refresh_scales

    refresh_scales(ids)
    tenant_cache.data_changed(tenant.pk)  # bulk writes send no model signals


# --- the service -----------------------------------------------------------------------------------------


def import_file(*, tenant: Tenant, data: bytes, filename: str, kind: str = BUSINESS, commit: bool,
                by=None, program: Program | None = None) -> ImportResult:
    """Check (commit=False: the preview) or import (commit=True) a file; raises FileRefused for unreadable files.

    With `program`, the file holds outcome reports of that program's participants only, and each report is
    linked to the program (its baseline and endline).
    """
    clean = _clean_business if kind == BUSINESS else _clean_outcome
    apply = _apply_businesses if kind == BUSINESS else partial(_apply_outcomes, program=program)
    with scope(tenant=tenant):
        regions = _region_lookup(tenant) if kind == BUSINESS else {}
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return _import_once(tenant, read_rows(data, filename), clean, apply, regions, commit, kind)
            except IntegrityError as exc:
                # Someone registered a business (or a report) of the file after the file's rows were looked up.
                # The transaction is rolled back whole; the next attempt finds that record and updates it.
                if not any(name in str(exc) for name in TAKEN_MEANWHILE):
                    raise
                logger.warning("import into %s met a concurrent write (attempt %s): %s", tenant.slug, attempt, exc)
    return ImportResult(kind=kind, failure=_(
        "Someone else saved data with NIBs of this file while it was being imported; nothing was imported. "
        "Import the file again."))


def _import_once(tenant, rows, clean, apply, regions, commit, kind) -> ImportResult:
    result = ImportResult(kind=kind)
    try:
        with transaction.atomic():
            _run(tenant, rows, clean, apply, regions, result, commit, kind)
            if not commit or result.errors:
                raise _Rollback
            result.committed = True
    except _Rollback:
        pass
    return result


def _run(tenant, rows, clean, apply, regions, result, commit, kind) -> None:
    state = _FileState(corrected_away=set(NibCorrection.objects.filter(tenant=tenant)
                                          .values_list("old_nib", flat=True)))
    seen = state.seen
    chunk: list[tuple[int, dict]] = []
    first = True
    for line, raw in rows:
        if first:
            first = False
            missing = [c for c in REQUIRED[kind] if c not in raw]
            if missing:
                raise FileRefused(_("Missing column(s): %(cols)s. Expected columns: %(all)s.") % {
                    "cols": ", ".join(missing),
                    "all": ", ".join(BUSINESS_COLUMNS if kind == BUSINESS else OUTCOME_COLUMNS)})
        result.rows += 1
        if len(result.sample) < 10:
            result.sample.append({"line": line, **raw})
        values, errors = clean(raw, regions) if kind == BUSINESS else clean(raw)
        key = values.get("nib") if kind == BUSINESS else (values.get("nib"), values.get("date"))
        if key and None not in (key if isinstance(key, tuple) else (key,)):
            if isinstance(seen.get(key), tuple):  # an earlier row named this business by its old NIB
                earlier, old = seen[key]
                errors.append(("nib", _("line %(line)s names the same business by its earlier NIB %(old)s; keep one "
                                        "of the two rows") % {"line": earlier, "old": old}))
            elif key in seen:
                errors.append(("nib", _("the same NIB already appears on line %(line)s") % {"line": seen[key]}
                               if kind == BUSINESS else
                               _("the same NIB and date already appear on line %(line)s") % {"line": seen[key]}))
            else:
                seen[key] = line
        for column, message in errors:
            result.add_error(line, column, message)
        if not errors:
            chunk.append((line, values))
        if len(chunk) >= CHUNK:
            apply(tenant, chunk, result, commit and not result.errors, state)
            chunk = []
    if first:
        raise FileRefused(_("The file has a header but no rows."))
    if chunk:
        apply(tenant, chunk, result, commit and not result.errors, state)
