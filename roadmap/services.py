"""Writes of the roadmap app: priorities, their order and yearly targets, indicator values (transactions)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from satusama.ordering import move_in_order

from .models import Indicator, IndicatorAchievement, IndicatorTarget, Priority, PriorityTarget, Roadmap


@transaction.atomic
def save_priority(*, form) -> Priority:
    """Create or update a priority from a valid PriorityForm; a new one goes to the end of the list."""
    priority = form.save(commit=False)
    if priority.pk is None:
        last = Priority.objects.filter(roadmap=priority.roadmap).aggregate(m=Max("order"))["m"]
        priority.order = (last or 0) + 1
    priority.save()
    form.save_m2m()
    return priority


@transaction.atomic
def move_priority(*, priority: Priority, up: bool) -> None:
    move_in_order(Priority.objects.filter(roadmap_id=priority.roadmap_id), priority, up=up)


@transaction.atomic
def save_node(*, form, parent_field: str):
    """Create or update an element of the RPJMD hierarchy from a valid form; a new one goes last under its parent."""
    node = form.save(commit=False)
    if node.pk is None:
        siblings = type(node).objects.filter(**{parent_field: getattr(node, parent_field)})
        node.order = (siblings.aggregate(m=Max("order"))["m"] or 0) + 1
    node.save()
    return node


@transaction.atomic
def move_node(*, node, parent_field: str, up: bool) -> None:
    move_in_order(type(node).objects.filter(**{parent_field: getattr(node, parent_field)}), node, up=up)


@transaction.atomic
def set_priority_targets(*, priority: Priority, values: dict[int, dict | None]) -> None:
    """Write the yearly targets of a priority; an empty year deletes its target. Years come from the roadmap."""
    roadmap: Roadmap = priority.roadmap
    for year, row in values.items():
        if year not in roadmap.years:
            continue
        if row is None:
            PriorityTarget.objects.filter(priority=priority, year=year).delete()
            continue
        PriorityTarget.objects.update_or_create(
            tenant=priority.tenant, priority=priority, year=year,
            defaults={k: v or 0 for k, v in row.items()},
        )


@transaction.atomic
def set_indicator_values(*, indicator: Indicator, values: dict[int, dict | None]) -> None:
    """Write the yearly targets and achievements of an indicator; an empty cell deletes that value."""
    rpjmd = indicator.rpjmd
    for year, row in values.items():
        if year not in rpjmd.years:
            continue
        row = row or {}
        for key, model in (("target", IndicatorTarget), ("achievement", IndicatorAchievement)):
            value: Decimal | None = row.get(key)
            if value is None:
                model.objects.filter(indicator=indicator, year=year).delete()
            else:
                model.objects.update_or_create(tenant=indicator.tenant, indicator=indicator, year=year,
                                               defaults={"value": value})


def link_program(*, priority: Priority, program) -> None:
    """The program now counts towards the priority (its owners can also set this on the program form)."""
    program.priorities.add(priority)


def unlink_program(*, priority: Priority, program) -> None:
    program.priorities.remove(priority)


@transaction.atomic
def delete_element(*, obj):
    """Delete an element of the RPJMD hierarchy or a priority with what goes with it, unless the rules of
    roadmap/deletion.py refuse (then DeletionRefused, and nothing is deleted). Returns what was deleted."""
    from .deletion import DeletionRefused, deletion_plan

    # Lock the row first: on PostgreSQL a program being linked to it meanwhile (its link row's foreign key takes a
    # key-share lock on this row) waits until we are done, or committed before and is seen by the plan.
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    plan = deletion_plan(obj)
    if not plan.allowed:
        raise DeletionRefused(plan)
    obj.delete()
    return plan
