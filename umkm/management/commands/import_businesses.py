"""`python manage.py import_businesses --tenant SLUG FILE`: the upload page's import, from a shell."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from stakeholders.models import Tenant
from umkm.importing import BUSINESS, OUTCOMES, FileRefused, import_file


class Command(BaseCommand):
    help = "Import businesses (or, with --outcomes, outcome reports) from a CSV or XLSX file; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--tenant", required=True, help="tenant slug, e.g. diy")
        parser.add_argument("--outcomes", action="store_true", help="the file holds outcome reports")
        parser.add_argument("--dry-run", action="store_true", help="check the file, import nothing")

    def handle(self, *args, **options):
        with scopes_disabled():
            tenant = Tenant.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"unknown tenant {options['tenant']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            result = import_file(
                tenant=tenant, data=path.read_bytes(), filename=path.name,
                kind=OUTCOMES if options["outcomes"] else BUSINESS, commit=not options["dry_run"],
            )
        except FileRefused as exc:
            raise CommandError(str(exc)) from exc
        for notice in result.corrected:
            self.stdout.write(str(notice))
        if result.failure:
            raise CommandError(result.failure)
        for error in result.errors:
            self.stderr.write(str(error))
        if result.more_errors:
            self.stderr.write(f"… and {result.more_errors} more errors")
        if not result.ok:
            raise CommandError(f"{len(result.errors) + result.more_errors} error(s) in {result.rows} rows; "
                               "nothing was imported")
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {result.rows} rows: {result.created} new, {result.updated} updated"))
