"""What deleting an element of the RPJMD hierarchy or a roadmap priority takes with it, and what forbids it.

One rule for the portal and the admin panel. Deleting removes what the Dinas typed as part of the plan — the
elements below, indicator targets, priority yearly targets, the alignment of priorities to the deleted sasaran or
indicators, the links of draft or closed programs — after a confirmation that lists all of it. It refuses, saying
what to do first, when it would destroy what records reality or what other people rely on:
- achievements recorded for an indicator (clear them with *Edit values* first: a result is never lost by accident);
- programs counted in a priority's roll-up (take them off on the coverage page first: their owners and the
  forums see them counting towards it).
The collection follows every cascading foreign key (Django's own collector), so a relation added later is counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.admin.utils import NestedObjects
from django.db import models, router
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from programs.models import Program

from .coverage import COUNTED_STATUSES
from .models import IndicatorAchievement, Priority

MAX_NAMED = 5  # programs named in a refusal; the rest are counted


@dataclass
class DeletionPlan:
    obj: models.Model
    removes: list[str] = field(default_factory=list)  # "Goals (tujuan): 2", what goes with it
    consequences: list[str] = field(default_factory=list)  # what changes elsewhere (priorities lose an alignment)
    blockers: list[str] = field(default_factory=list)  # why it may not be deleted, and what to do first

    @property
    def allowed(self) -> bool:
        return not self.blockers


class DeletionRefused(Exception):
    def __init__(self, plan: DeletionPlan):
        super().__init__("; ".join(plan.blockers))
        self.plan = plan


def _named(refs: list[str]) -> str:
    shown = ", ".join(refs[:MAX_NAMED])
    more = len(refs) - MAX_NAMED
    return shown + (" " + _("and %(n)s more") % {"n": more} if more > 0 else "")


def deletion_plan(obj: models.Model) -> DeletionPlan:
    """Everything deleting `obj` would delete or change, and what forbids it (a handful of queries)."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    plan = DeletionPlan(obj=obj)
    alignment_throughs = {Priority.sasaran.through: "sasaran", Priority.indicators.through: "indicator"}
    aligned: dict[int, list[str]] = defaultdict(list)  # priority id → codes it loses
    program_ids: set[int] = set()
    for model, objs in collector.model_objs.items():
        if model in alignment_throughs and not isinstance(obj, Priority):
            attr = alignment_throughs[model]
            for row in objs:
                aligned[row.priority_id].append(getattr(row, attr).code)
        elif model is Program.priorities.through:
            program_ids |= {row.program_id for row in objs}
        elif model is IndicatorAchievement:
            years: dict[str, list[str]] = defaultdict(list)
            for a in sorted(objs, key=lambda a: (a.indicator.code, a.year)):
                years[str(a.indicator)].append(str(a.year))
            recorded = "; ".join(f"{indicator} ({', '.join(ys)})" for indicator, ys in years.items())
            plan.blockers.append(
                _("Achievements are recorded for %(indicators)s. Recorded results are never deleted with the plan: "
                  "clear them first with Edit values.") % {"indicators": recorded})
        elif model._meta.auto_created:
            continue  # other link rows (a priority's regions…) go with their owner; they are not content
        else:
            n = len(objs) - (1 if model is type(obj) else 0)
            if n:
                plan.removes.append(f"{capfirst(model._meta.verbose_name_plural)}: {n}")
    if aligned:
        titles = dict(Priority.objects.filter(pk__in=list(aligned)).values_list("pk", "title"))
        for pk, codes in sorted(aligned.items(), key=lambda kv: titles.get(kv[0], "")):
            plan.consequences.append(_("The priority “%(priority)s” loses its alignment to %(codes)s.")
                                     % {"priority": titles.get(pk, ""), "codes": ", ".join(sorted(codes))})
    if program_ids:
        rows = list(Program.objects.filter(pk__in=list(program_ids)).order_by("ref").values_list("ref", "status"))
        counted = [ref for ref, status in rows if status in COUNTED_STATUSES]
        others = len(rows) - len(counted)
        if counted:
            plan.blockers.append(
                _("Programs counted in this priority's roll-up are linked to it: %(refs)s. Take them off on the "
                  "coverage page first.") % {"refs": _named(counted)})
        if others:
            plan.consequences.append(_("Draft or closed programs that lose their link to this priority: %(n)s.")
                                     % {"n": others})
    return plan
