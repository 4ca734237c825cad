"""Create the demo tenants, people and data; safe to run again (a second run changes no counts)."""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from stakeholders.demo import DEMO_PASSWORD, DIY_PEOPLE

# Each app may have a demo.py with seed(tenants: dict[str, Tenant]); they run in dependency order.
APPS_IN_ORDER = ["roadmap", "programs", "umkm", "forums"]


class Command(BaseCommand):
    help = "Create or complete the demo tenants 'diy' and 'jateng' with their accounts and data."

    def handle(self, *args, **options):
        from stakeholders import demo as stakeholders_demo

        with transaction.atomic(), scopes_disabled():
            tenants = stakeholders_demo.seed()
            for app in APPS_IN_ORDER:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").seed(tenants)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo accounts (password {DEMO_PASSWORD}):"))
        for email, full_name, org, *_ in DIY_PEOPLE:
            self.stdout.write(f"  {email:<36} {full_name} — {org}")
        self.stdout.write(f"  {'admin.jateng@satusama.test':<36} tenant admin, SATUSAMA Jawa Tengah")
