"""Create the demo tenants, people and data; safe to run again (a second run changes no counts)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from stakeholders import demo as stakeholders_demo
from stakeholders.demo import DEMO_PASSWORD, DIY_PEOPLE


class Command(BaseCommand):
    help = "Create or complete the demo tenants 'diy' and 'jateng' with their accounts and data."

    def handle(self, *args, **options):
        with transaction.atomic(), scopes_disabled():
            stakeholders_demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo accounts (password {DEMO_PASSWORD}):"))
        for email, full_name, org, *_ in DIY_PEOPLE:
            self.stdout.write(f"  {email:<36} {full_name} — {org}")
        self.stdout.write(f"  {'admin.jateng@satusama.test':<36} tenant admin, SATUSAMA Jawa Tengah")
