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


# Many-to-many fields kept in history: field → (column of the related id in the history table, related model).
M2M = {"regions": ("region_id", Region), "partners": ("organization_id", Organization)}


@dataclass
class _Lookups:
    """What the diffs of a run of records need, fetched once: related ids per record, and names of every id."""

    m2m: dict[str, dict[int, list[int]]]  # field → history id → sorted related ids
    names: dict[type, dict[int, str]]  # model → pk → name

    @classmethod
    def for_records(cls, records) -> _Lookups:
        ids = [r.history_id for r in records]
        m2m, wanted = {}, {Organization: {r.owner_id for r in records if r.owner_id}, Region: set()}
        for name, (column, model) in M2M.items():
            through = Program.history.model._meta.get_field(f"historicalprogram_{name}").related_model
            by_record: dict[int, list[int]] = {i: [] for i in ids}
            for history_id, related_id in through.objects.filter(history_id__in=ids).values_list("history_id", column):
                by_record[history_id].append(related_id)
                wanted[model].add(related_id)
            m2m[name] = {i: sorted(v) for i, v in by_record.items()}
        names = {model: {o.pk: str(o) for o in model.objects.filter(pk__in=pks)} if pks else {}
                 for model, pks in wanted.items()}
        return cls(m2m=m2m, names=names)

    def text(self, model, pks) -> str:
        return ", ".join(sorted(self.names[model].get(i, str(i)) for i in pks)) or "–"


def _readable(name: str, value, lookups: _Lookups) -> str:
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
        return lookups.text(Organization, [value])
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _diff(new, old, lookups: _Lookups) -> list[Change]:
    delta = new.diff_against(old, excluded_fields=HIDDEN | set(M2M))
    changes = [
        Change(field=str(Program._meta.get_field(c.field).verbose_name),
               old=_readable(c.field, c.old, lookups), new=_readable(c.field, c.new, lookups))
        for c in delta.changes
    ]
    for name, (_column, model) in M2M.items():
        old_ids, new_ids = lookups.m2m[name][old.history_id], lookups.m2m[name][new.history_id]
        if old_ids != new_ids:
            changes.append(Change(field=str(Program._meta.get_field(name).verbose_name),
                                  old=lookups.text(model, old_ids), new=lookups.text(model, new_ids)))
    return changes


def history_entries(program: Program, limit: int = 50) -> list[Entry]:
    """Newest first: who changed what, as readable old → new pairs. A fixed number of queries, however many."""
    records = list(program.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    lookups = _Lookups.for_records(records)
    entries = []
    for i, record in enumerate(records[:limit]):
        older = records[i + 1] if i + 1 < len(records) else None
        if older is None:
            entries.append(Entry(record=record, created=True))
        else:
            entries.append(Entry(record=record, created=False, changes=_diff(record, older, lookups)))
    return [e for e in entries if e.created or e.changes]


def changes_since(program: Program, version: int) -> list[Change]:
    """What changed between the version an editor opened and the current state."""
    opened = program.history.filter(version=version).order_by("-history_date", "-history_id").first()
    latest = program.history.order_by("-history_date", "-history_id").first()
    if opened is None or latest is None or opened.pk == latest.pk:
        return []
    return _diff(latest, opened, _Lookups.for_records([latest, opened]))
