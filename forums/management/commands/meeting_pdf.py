"""Write one meeting document as PDF: `manage.py meeting_pdf MEETING_ID --kind minutes -o FILE.pdf`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from forums.documents import KINDS, document_data, render_pdf
from forums.models import Meeting


class Command(BaseCommand):
    help = "Render a meeting's invitation, attendance list or minutes to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--kind", choices=KINDS, required=True)
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write ('-' for stdout)")

    def handle(self, *args, meeting_id, kind, output, **options):
        with scopes_disabled():
            meeting = Meeting.objects.filter(pk=meeting_id).select_related("tenant").first()
        if meeting is None:
            raise CommandError(f"No meeting with id {meeting_id}.")
        with scope(tenant=meeting.tenant):
            pdf = render_pdf(kind, document_data(meeting, kind))
        if output == "-":
            self.stdout.buffer.write(pdf)
        else:
            Path(output).write_bytes(pdf)
            self.stderr.write(f"{meeting.number}: {kind} written to {output} ({len(pdf)} bytes)")
