"""Readable differences between versions of a program (django-simple-history records)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organization, Region

from .models import Program
from .taxonomy import FundingSource, Intervention, Sector, Status, label

# Not worth showing: bookkeeping columns.
HIDDEN = {"version", "created_by", "created_at", "updated_at", "tenant", "ref"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    record: object
    created: bool
    changes: list[Change] = field(default_factory=list)


def _readable(name: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if name == "kinds":
        return ", ".join(label(Intervention, c) for c in value)
    if name == "sectors":
        return ", ".join(label(Sector, c) for c in value)
    if name == "status":
        return label(Status, value)
    if name == "funding_source":
        return label(FundingSource, value)
    if name == "owner":
        return str(Organization.objects.filter(pk=value).first() or value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _diff(new, old) -> list[Change]:
    delta = new.diff_against(old, excluded_fields=HIDDEN)
    changes = []
    for c in delta.changes:
        if c.field in ("regions", "partners"):
            # m2m values are lists of through-row dicts; compare the related ids only.
            key = "region" if c.field == "regions" else "organization"
            old_ids = sorted(row[key] for row in c.old or [])
            new_ids = sorted(row[key] for row in c.new or [])
            if old_ids == new_ids:
                continue
            model = Region if c.field == "regions" else Organization
            names = {o.pk: str(o) for o in model.objects.filter(pk__in=old_ids + new_ids)}
            old_text = ", ".join(sorted(names.get(i, str(i)) for i in old_ids)) or "–"
            new_text = ", ".join(sorted(names.get(i, str(i)) for i in new_ids)) or "–"
        else:
            old_text, new_text = _readable(c.field, c.old), _readable(c.field, c.new)
        verbose = Program._meta.get_field(c.field).verbose_name
        changes.append(Change(field=str(verbose), old=old_text, new=new_text))
    return changes


def history_entries(program: Program, limit: int = 50) -> list[Entry]:
    """Newest first: who changed what, as readable old → new pairs."""
    records = list(program.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for i, record in enumerate(records[:limit]):
        older = records[i + 1] if i + 1 < len(records) else None
        if older is None:
            entries.append(Entry(record=record, created=True))
        else:
            entries.append(Entry(record=record, created=False, changes=_diff(record, older)))
    return [e for e in entries if e.created or e.changes]


def changes_since(program: Program, version: int) -> list[Change]:
    """What changed between the version an editor opened and the current state."""
    opened = program.history.filter(version=version).order_by("-history_date", "-history_id").first()
    latest = program.history.order_by("-history_date", "-history_id").first()
    if opened is None or latest is None or opened.pk == latest.pk:
        return []
    return _diff(latest, opened)
