"""python manage.py import_programs --tenant SLUG FILE.csv — the exchange format of programs-format.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django_scopes import scope

from programs.importer import MAX_BYTES, Problem, import_programs
from stakeholders.models import Tenant


class Command(BaseCommand):
    help = "Import programs from a CSV file (all or nothing; re-importing updates programs by ref)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="short name of the tenant, e.g. diy")
        parser.add_argument("file", help="CSV file in the program exchange format")

    @no_translations  # the interface of programs-format.md: `line N: column: what is wrong`, in English
    def handle(self, *args, tenant, file, **options):
        found = Tenant.objects.filter(slug=tenant).first()
        if found is None:
            raise CommandError(f"unknown tenant {tenant!r}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        if path.stat().st_size > MAX_BYTES:
            # Do not read a huge file into memory just to refuse it.
            self.stderr.write(str(Problem(1, "(file)", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")))
            raise CommandError("nothing imported")
        with scope(tenant=found):
            report = import_programs(tenant=found, data=path.read_bytes())
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); nothing imported")
        self.stdout.write(
            f"{report.created} program(s) created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.organizations_created} organisation(s) created."
        )
        if report.nibs_pending:
            self.stdout.write(f"{report.nibs_pending} beneficiary NIB(s) checked but not enrolled: "
                              "the UMKM enrolment service is not installed.")
