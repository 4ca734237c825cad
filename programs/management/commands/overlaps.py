"""`overlaps --tenant SLUG --format json|csv [--program REF]`: every overlapping pair, as programs-format.md says."""

import csv
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from programs.models import Program
from programs.overlap_services import overlaps_of, tenant_overlaps
from satusama.exports import neutralise
from stakeholders.models import Tenant


class Command(BaseCommand):
    help = "Print every overlapping pair of programs in a tenant (the same rule that opens overlap flags)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="tenant slug, e.g. diy")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--program", help="only pairs that include this program ref")

    def handle(self, *args, tenant, format, program=None, **options):  # noqa: A002 - the option is called format
        with scopes_disabled():
            obj = Tenant.objects.filter(slug=tenant).first()
        if obj is None:
            raise CommandError(f"Unknown tenant {tenant!r}.")
        with scope(tenant=obj), translation.override(settings.LANGUAGE_CODE):
            worded: dict = {}  # one language for the whole run: the same reason is worded once
            rows = [self._row(a, b, result, worded) for a, b, result in self._pairs(obj, program)]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["a", "b", "score", "reasons"])
        for row in rows:
            # refs and region names are typed by people: a spreadsheet must not run them as formulas
            cells = [row["a"], row["b"], f"{row['score']:.2f}", "; ".join(row["reasons"])]
            writer.writerow([neutralise(cell) for cell in cells])

    def _pairs(self, tenant, ref):
        if not ref:
            return tenant_overlaps(tenant)
        program = Program.objects.filter(tenant=tenant, ref=ref).first()
        if program is None:
            raise CommandError(f"Unknown program {ref!r} in tenant {tenant.slug!r}.")
        pairs = []
        for other, result in overlaps_of(program):
            a, b = sorted((program, other), key=lambda p: p.ref)
            pairs.append((a, b, result))
        return sorted(pairs, key=lambda item: (item[0].ref, item[1].ref))

    @staticmethod
    def _row(a, b, result, worded: dict):
        reasons = []
        for reason in result.reasons:
            key = (reason.code, tuple(sorted(reason.params.items())))
            if key not in worded:
                worded[key] = reason.render()
            reasons.append(worded[key])
        return {"a": a.ref, "b": b.ref, "score": result.score, "reasons": reasons}
