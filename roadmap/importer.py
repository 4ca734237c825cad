"""Import of an RPJMD hierarchy and its indicators from CSV or XLSX (template: roadmap/static/roadmap/).

One row per element; the `level` column says which (rpjmd, misi, tujuan, sasaran, strategi, arah_kebijakan,
indikator). The first data row is the RPJMD itself (code = period "2022-2027", text = title, visi). Rows are
matched by code, so importing the same file twice changes nothing. Every row is checked; when any row is
wrong nothing is saved, and each error names its row number and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    RPJMD,
    ArahKebijakan,
    Indicator,
    IndicatorAchievement,
    IndicatorTarget,
    Misi,
    Sasaran,
    Strategi,
    Tujuan,
)

COLUMNS = ["level", "code", "parent_code", "text", "visi", "unit", "baseline", "final_target", "responsible_agency"]
YEAR_COLUMN = re.compile(r"^(target|achievement)_(\d{4})$")
# level → (model, parent level, parent field)
LEVELS = {
    "misi": (Misi, "rpjmd", "rpjmd"),
    "tujuan": (Tujuan, "misi", "misi"),
    "sasaran": (Sasaran, "tujuan", "tujuan"),
    "strategi": (Strategi, "sasaran", "sasaran"),
    "arah_kebijakan": (ArahKebijakan, "sasaran", "sasaran"),
    "indikator": (Indicator, "sasaran", "sasaran"),
}
MAX_ROWS = 5000


class RowError(Exception):
    pass


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    rpjmd: RPJMD | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.rpjmd is not None


def read_rows(upload) -> list[dict[str, str]]:
    """The data rows of a CSV (comma or semicolon) or XLSX upload as dicts keyed by lower-case column names."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise RowError(_("The file is not a readable XLSX workbook.")) from exc
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RowError(_("The file is not UTF-8 text; save it as CSV UTF-8 or XLSX.")) from exc
        first = text.split("\n", 1)[0]
        # Spreadsheets in the Indonesian locale save CSV with semicolons.
        table = list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))
    if not table:
        raise RowError(_("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in ("level", "code", "text") if c not in header]
    if missing:
        raise RowError(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    rows = []
    for values in table[1:]:
        if not any(str(v).strip() for v in values):
            rows.append({})  # keep row numbers; empty rows are skipped later
            continue
        rows.append({h: str(values[i]).strip() if i < len(values) else "" for i, h in enumerate(header) if h})
    if len(rows) > MAX_ROWS:
        raise RowError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    return rows


def plain_number_text(raw: str) -> str:
    """ "1.234,5", "12.000", "1234.5" or "41,5" → "1234.5", "12000", "1234.5", "41.5" (for Decimal())."""
    raw = raw.replace(" ", "")
    if ("," in raw and "." in raw) or re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        # Dots group thousands (Indonesian "12.000" or "1.234,5").
        return raw.replace(".", "").replace(",", ".")
    return raw.replace(",", ".")


def parse_number(raw: str, column: str) -> Decimal | None:
    """A non-negative number written the Indonesian (1.234,5) or the English way (1234.5); empty: None."""
    raw = plain_number_text(raw)
    if raw in ("", "-", "–"):
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise RowError(_("%(column)s: “%(raw)s” is not a number.") % {"column": column, "raw": raw}) from exc
    if value < 0:
        raise RowError(_("%(column)s: the value cannot be negative.") % {"column": column})
    return value


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _save(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RowError(_messages(exc)) from exc
    obj.save()


def _rpjmd_row(tenant, row) -> RPJMD:
    match = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", row.get("code", ""))
    if not match:
        raise RowError(_("code: write the RPJMD period as 2022-2027."))
    start, end = int(match.group(1)), int(match.group(2))
    plan = RPJMD.objects.filter(tenant=tenant, start_year=start, end_year=end).first() or RPJMD(
        tenant=tenant, start_year=start, end_year=end)
    plan.title = row.get("text") or plan.title
    if row.get("visi"):
        plan.visi = row["visi"]
    _save(plan)
    return plan


def _element_row(tenant, plan: RPJMD, level: str, row, known: dict) -> object:
    model, parent_level, parent_field = LEVELS[level]
    code = row.get("code", "")
    if not code:
        raise RowError(_("code: required."))
    if (level, code) in known:
        raise RowError(_("code: %(code)s appears twice for level %(level)s.") % {"code": code, "level": level})
    if parent_level == "rpjmd":
        parent = plan
    else:
        parent_code = row.get("parent_code", "")
        parent = known.get((parent_level, parent_code))
        if parent is None:
            raise RowError(_("parent_code: no %(level)s with code “%(code)s” above this row.")
                           % {"level": parent_level, "code": parent_code})
    text = row.get("text", "")
    if not text:
        raise RowError(_("text: required."))
    obj = model.objects.filter(tenant=tenant, code=code, **{parent_field: parent}).first() or model(
        tenant=tenant, code=code, **{parent_field: parent})
    if model is Indicator:
        obj.name = text
        obj.unit = row.get("unit", "") or obj.unit
        if not obj.unit:
            raise RowError(_("unit: required for an indicator."))
        obj.baseline = parse_number(row.get("baseline", ""), "baseline")
        obj.final_target = parse_number(row.get("final_target", ""), "final_target")
        obj.responsible_agency = row.get("responsible_agency", "")
    else:
        obj.text = text
    obj.order = len([k for k in known if k[0] == level]) + 1
    _save(obj)
    if model is Indicator:
        for column, raw in row.items():
            m = YEAR_COLUMN.match(column)
            if not m:
                continue
            value = parse_number(raw, column)
            year = int(m.group(2))
            values_model = IndicatorTarget if m.group(1) == "target" else IndicatorAchievement
            if value is None:
                values_model.objects.filter(indicator=obj, year=year).delete()
                continue
            existing = values_model.objects.filter(indicator=obj, year=year).first()
            item = existing or values_model(tenant=tenant, indicator=obj, year=year)
            item.value = value
            try:
                _save(item)
            except RowError as exc:
                raise RowError(f"{column}: {exc}") from exc
    return obj


def import_rpjmd_file(*, tenant, upload) -> ImportResult:
    """Check and save every row in one transaction; any error rolls the whole file back."""
    result = ImportResult()
    try:
        rows = read_rows(upload)
    except RowError as exc:
        result.errors.append((1, str(exc)))
        return result
    with transaction.atomic():
        known: dict[tuple[str, str], object] = {}
        plan = None
        for number, row in enumerate(rows, start=2):
            if not row:
                continue
            level = row.get("level", "").lower()
            try:
                if level == "rpjmd":
                    if plan is not None:
                        raise RowError(_("level: only one RPJMD row per file."))
                    with transaction.atomic():
                        plan = _rpjmd_row(tenant, row)
                elif level in LEVELS:
                    if plan is None:
                        raise RowError(_("level: the first row must be the RPJMD (level rpjmd)."))
                    with transaction.atomic():
                        known[(level, row.get("code", ""))] = _element_row(tenant, plan, level, row, known)
                else:
                    raise RowError(_("level: “%(level)s” is not one of %(levels)s.")
                                   % {"level": level, "levels": ", ".join(["rpjmd", *LEVELS])})
                result.rows += 1
            except RowError as exc:
                result.errors.append((number, str(exc)))
        if plan is None and not result.errors:
            result.errors.append((2, _("level: the first row must be the RPJMD (level rpjmd).")))
        if result.errors:
            transaction.set_rollback(True)
            result.rows = 0
            return result
    result.rpjmd = plan
    return result
