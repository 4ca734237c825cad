from django.core.management.base import BaseCommand

from satusama.jobs import flush_pending


class Command(BaseCommand):
    help = "Send the background tasks that were kept while Redis was unreachable."

    def handle(self, *args, **options):
        self.stdout.write(f"{flush_pending()} task(s) sent.")
