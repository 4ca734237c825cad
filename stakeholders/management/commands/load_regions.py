from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from stakeholders.models import Tenant
from stakeholders.regions import load_regions


class Command(BaseCommand):
    help = ("Load the province and its kabupaten/kota for a tenant from a CSV file with columns code,name,kind "
            "and, for the province, capital.")

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True)
        parser.add_argument("file")

    def handle(self, *args, tenant, file, **options):
        with scopes_disabled():
            obj = Tenant.objects.filter(slug=tenant).first()
        if obj is None:
            raise CommandError(f"Unknown tenant {tenant!r}.")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"File not found: {file}")
        count = load_regions(tenant=obj, path=path)
        self.stdout.write(f"{count} regions loaded for {obj.slug}.")
