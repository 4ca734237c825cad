"""Moving a row up or down among its ordered siblings (agenda items, roadmap priorities, RPJMD elements)."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from . import tenant_cache


def move_in_order(siblings: QuerySet, row: Model, *, up: bool, field: str = "order") -> None:
    """Swap `row` with its neighbour among `siblings`, then renumber them 1..n in `field`.

    Call inside a transaction: the siblings are locked, so two people moving items at once take turns. Renumbering
    every time means ties and gaps left by deletions never make a move appear to do nothing. A move past either
    end changes nothing.
    """
    rows = list(siblings.select_for_update().order_by(field, "pk"))
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    model = type(row)
    for position, r in enumerate(rows, start=1):
        if getattr(r, field) != position:
            model.objects.filter(pk=r.pk).update(**{field: position})
    tenant_cache.data_changed(getattr(row, "tenant_id", None))  # an UPDATE sends no model signal
