"""Time the meeting PDFs of a large meeting: minutes of 40 agenda items and 80 attendees, and its attendance list.

    python manage.py seed_demo && python bench/meeting_pdf.py [--items 40] [--attendees 80] [--runs 5]

Adds one closed meeting "Rapat Uji Kecepatan" to the demo's provincial forum (made once, reused afterwards), then
times what a download does when the cache is cold: reading the data from the database and rendering with
WeasyPrint (`forums.pdfs.ensure_rendered` minus the file write). Prints the wall-clock median and maximum against
the targets (minutes < 3 s, attendance list < 1 s), the CPU time alongside, and the machine's load average before
and after: on a shared machine the wall clock also measures the neighbours, so report it with the load.
"""

import argparse
import io
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from forums import services  # noqa: E402
from forums.documents import document_data, render_pdf  # noqa: E402
from forums.models import AgendaItem, Attendance, Decision, Forum, Invitee, Meeting  # noqa: E402
from programs.models import Program  # noqa: E402
from stakeholders.models import Tenant  # noqa: E402

TITLE = "Rapat Uji Kecepatan"
MINUTES = ("Pemilik program memaparkan latar belakang, sasaran peserta, jadwal dan anggaran. Anggota forum "
           "menanyakan keterkaitan dengan program lain di wilayah yang sama dan meminta data peserta tahun lalu. "
           "Disepakati koordinasi lanjutan dengan dinas kabupaten dan lembaga pendamping setempat.")


def big_meeting(tenant, items: int, attendees: int) -> Meeting:
    forum = Forum.objects.get(tenant=tenant, level=Forum.Level.PROVINCIAL)
    existing = Meeting.objects.filter(tenant=tenant, forum=forum, title=f"{TITLE} {items}×{attendees}").first()
    if existing:
        return existing
    by = forum.secretary or forum.chair
    start = timezone.now() - timedelta(days=1)
    programs = list(Program.objects.filter(tenant=tenant).order_by("pk")[:items])
    with transaction.atomic():
        meeting = services.meeting_create(
            forum=forum, by=by, title=f"{TITLE} {items}×{attendees}", starts_at=start,
            ends_at=start + timedelta(hours=4), place="Aula Dinas Koperasi dan UKM DIY", allow_past=True,
            invite_members=False,
        )
        # Bench rows written directly: the services' rules (routing, statuses) are not what is measured here.
        rows = AgendaItem.objects.bulk_create([
            AgendaItem(tenant=tenant, meeting=meeting, position=n, title=program.title, program=program,
                       kind=AgendaItem.Kind.PROGRAM, minutes=MINUTES)
            for n, program in enumerate(programs, start=1)
        ] + [
            AgendaItem(tenant=tenant, meeting=meeting, position=n, title=f"Topik bahasan nomor {n}",
                       kind=AgendaItem.Kind.TOPIC, minutes=MINUTES)
            for n in range(len(programs) + 1, items + 1)
        ])
        outcomes = ["approve", "needs_revision", "reject"]
        Decision.objects.bulk_create([
            Decision(tenant=tenant, agenda_item=item, outcome=outcomes[n % 3], decided_by=by,
                     conditions="Libatkan lembaga pendamping setempat." if n % 3 == 0 else "",
                     reason="" if n % 3 == 0 else "Target peserta dan wilayah sasaran perlu diperjelas.")
            for n, item in enumerate(rows) if item.program_id
        ])
        invitees = Invitee.objects.bulk_create([
            Invitee(tenant=tenant, meeting=meeting, full_name=f"Peserta Rapat Nomor {n}",
                    organization_name=f"Lembaga Anggota Forum {n % 17 + 1}", position="Anggota")
            for n in range(1, attendees + 1)
        ])
        Attendance.objects.bulk_create([
            Attendance(tenant=tenant, meeting=meeting, invitee=i, full_name=i.full_name,
                       organization_name=i.organization_name, position=i.position, method=Attendance.Method.SECRETARY)
            for i in invitees
        ])
        services.meeting_close(meeting=meeting, by=by)
    return meeting


TARGETS = {"minutes": 3.0, "attendance": 1.0}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def timed(meeting: Meeting, kind: str, runs: int) -> None:
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        pdf = render_pdf(kind, document_data(meeting, kind))
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # CPU time too: on a busy machine the wall clock measures the neighbours as much as the rendering.
    median = statistics.median(wall)
    target = TARGETS.get(kind)
    verdict = "" if target is None else f"   target < {target:.0f} s: {'met' if median < target else 'NOT met'}"
    print(f"{kind:<11} {len(pdf) / 1024:4.0f} KiB {pages:3d} pages   wall median {median:5.2f} s"
          f" max {max(wall):5.2f} s   CPU median {statistics.median(cpu):5.2f} s max {max(cpu):5.2f} s{verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", default="diy")
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--attendees", type=int, default=80)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tenant = Tenant.objects.get(slug=args.tenant)
    with scope(tenant=tenant):
        meeting = big_meeting(tenant, args.items, args.attendees)
        print(f"{meeting.number}: {args.items} agenda items, {args.attendees} attendees, {args.runs} runs (seconds)")
        print(f"before: {load()}")
        render_pdf("attendance", document_data(meeting, "attendance"))  # warm-up: fonts, templates
        timed(meeting, "minutes", args.runs)
        timed(meeting, "attendance", args.runs)
        timed(meeting, "invitation", args.runs)
        print(f"after:  {load()}")


if __name__ == "__main__":
    main()
