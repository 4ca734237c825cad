"""Writes on programs: register, edit with optimistic locking, delete a draft, comment."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .history import Change, changes_since
from .models import Program, ProgramComment
from .overlap_services import schedule_recompute
from .taxonomy import Status

# Fields a form may write; status, version, ref and the owner of an existing program are not among them.
CONTENT_FIELDS = [
    "title", "description", "kinds", "sectors", "subregions", "start_date", "end_date", "target_umkm",
    "budget_idr", "funding_source", "open_for_participants", "registration_deadline", "how_to_join",
    "contact_name", "contact_phone", "contact_email",
]
M2M_FIELDS = ["regions", "partners", "priorities"]


class StaleEdit(Exception):
    """The program changed since the editor opened it; `changes` says what others changed meanwhile."""

    def __init__(self, current: Program, changes: list[Change]):
        super().__init__("stale edit")
        self.current = current
        self.changes = changes


@dataclass
class _Values:
    fields: dict
    m2m: dict


def _split(data: dict) -> _Values:
    return _Values(
        fields={k: v for k, v in data.items() if k in CONTENT_FIELDS},
        m2m={k: v for k, v in data.items() if k in M2M_FIELDS and hasattr(Program, k)},
    )


def _save_with_m2m(program: Program, m2m: dict, *, by, new: bool = False) -> None:
    """Save fields and relations as ONE history record (simple_history would add one per m2m change)."""
    program.skip_history_when_saving = True
    try:
        if new:
            program.save_with_new_ref()
        else:
            program.save()
        for name, values in m2m.items():
            getattr(program, name).set(values)
    finally:
        del program.skip_history_when_saving
    program._history_user = by
    program.save(update_fields=["updated_at"])


@transaction.atomic
def create_program(*, tenant, owner, data: dict, by) -> Program:
    """Register a new draft program of `owner` under a generated PRG-<year>-NNNN ref."""
    values = _split(data)
    program = Program(tenant=tenant, owner=owner, created_by=by, status=Status.DRAFT, **values.fields)
    _save_with_m2m(program, values.m2m, by=by, new=True)
    return program


@transaction.atomic
def update_program(*, program: Program, data: dict, by, expected_version: int) -> Program:
    """Save an edit made on version `expected_version`; refuse (StaleEdit) if someone saved in between.

    The conditional UPDATE on the version column makes this safe even where row locks are no-ops (SQLite).
    """
    values = _split(data)
    bumped = Program.objects.filter(pk=program.pk, version=expected_version).update(version=F("version") + 1)
    if bumped != 1:
        current = Program.objects.get(pk=program.pk)
        raise StaleEdit(current, changes_since(current, expected_version))
    program.refresh_from_db(fields=["version", "status"])
    for name, value in values.fields.items():
        setattr(program, name, value)
    _save_with_m2m(program, values.m2m, by=by)
    # An edited program that others can see is checked again (drafts are skipped there).
    schedule_recompute(program)
    return program


@transaction.atomic
def delete_draft(*, program: Program, by) -> None:
    """Only drafts disappear; the caller has checked may_delete_program."""
    deleted, _ = Program.objects.filter(pk=program.pk, status=Status.DRAFT).delete()
    if not deleted:
        raise ValueError("only drafts can be deleted")


def add_comment(*, program: Program, by, body: str) -> ProgramComment:
    return ProgramComment.objects.create(tenant=program.tenant, program=program, author=by, body=body.strip())
