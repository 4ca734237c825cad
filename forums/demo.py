"""Demo forums for seed_demo: the DIY provincial forum, the five kabupaten/kota forums, and their meetings.

The meetings follow the programs demo, so both tell one story:
- every forum decision the programs demo dated within the past year (a program approved, sent back or rejected
  "by the forum") gets its closed meeting: decisions a few weeks apart share one meeting, held just before them,
  with the forum's topics, attendance, minutes and frozen minutes; the program's events then name that meeting;
- programs in review sit on the agenda of their forum's coming meeting;
- submitted programs stay in their forum's review queue (in Sleman: five, three with open overlap flags), for the
  secretary to put on the coming meeting's agenda.
Idempotent: forums by code, members by organisation, coming meetings by (forum, title); a decision event already
linked to a meeting is never taken again, so a second run adds no meeting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope

from stakeholders.demo import user as demo_user
from stakeholders.models import Membership, Organization, Region, Tenant, User

from . import services
from .models import AgendaItem, Decision, Forum, Meeting

# (code, region code or None, name, chair e-mail, secretary e-mail)
DIY_FORUMS = [
    ("FK-DIY", None, "Forum Koordinasi SATUSAMA DIY", "admin.dinas@satusama.test", None),
    ("FK-KP", "34.01", "Forum Koordinasi SATUSAMA Kabupaten Kulon Progo", None, None),
    ("FK-BTL", "34.02", "Forum Koordinasi SATUSAMA Kabupaten Bantul", None, None),
    ("FK-GK", "34.03", "Forum Koordinasi SATUSAMA Kabupaten Gunungkidul", None, None),
    ("FK-SLM", "34.04", "Forum Koordinasi SATUSAMA Kabupaten Sleman", "ketua.sleman@satusama.test",
     "sekretaris.sleman@satusama.test"),
    ("FK-YK", "34.71", "Forum Koordinasi SATUSAMA Kota Yogyakarta", None, None),
]

# forum code → [(organisation, representative e-mail or None, position in the forum)]
DIY_MEMBERS = {
    "FK-DIY": [
        ("Dinas Koperasi dan UKM DIY", "admin.dinas@satusama.test", "Ketua"),
        ("Dinas Koperasi dan UKM Kabupaten Sleman", "staf.sleman@satusama.test", "Anggota"),
        ("Universitas Contoh Yogyakarta", "staf.kampus@satusama.test", "Anggota"),
        ("Komunitas Perempuan Wirausaha Gunungkidul", "staf.komunitas@satusama.test", "Anggota"),
    ],
    "FK-KP": [("Dinas Koperasi dan UKM DIY", None, "Pembina")],
    "FK-BTL": [("Dinas Koperasi dan UKM DIY", None, "Pembina")],
    "FK-GK": [
        ("Komunitas Perempuan Wirausaha Gunungkidul", "staf.komunitas@satusama.test", "Anggota"),
        ("Dinas Koperasi dan UKM DIY", None, "Pembina"),
    ],
    "FK-SLM": [
        ("Dinas Koperasi dan UKM Kabupaten Sleman", "staf.sleman@satusama.test", "Anggota"),
        ("Universitas Contoh Yogyakarta", "staf.kampus@satusama.test", "Anggota"),
        ("Dinas Koperasi dan UKM DIY", None, "Pembina"),
    ],
    "FK-YK": [
        ("Universitas Contoh Yogyakarta", "staf.kampus@satusama.test", "Anggota"),
        ("Dinas Koperasi dan UKM DIY", None, "Pembina"),
    ],
}

STANDING = ["Pembukaan dan pengesahan notulen rapat sebelumnya", "Lain-lain"]

# forum code → topics its held meetings discuss besides the programs (in turn), with what the minutes say
TOPICS = {
    "FK-SLM": [
        ("Pemetaan program pendampingan 2026", "Anggota memaparkan rencana program; disepakati peta sebaran per "
                                               "kapanewon."),
        ("Evaluasi pelatihan pemasaran digital", "Dua pelatihan serupa di bulan yang sama; disepakati digabung."),
        ("Rencana sertifikasi halal bersama", "Kampus dan Dinas berbagi kuota pendamping proses produk halal."),
    ],
    "FK-DIY": [
        ("Capaian peta jalan UMKM 2026", "Cakupan sertifikasi halal di Gunungkidul masih rendah."),
        ("Program lintas kabupaten 2027", "Disepakati pameran bersama lima kabupaten/kota."),
        ("Pemutakhiran data UMKM binaan", "Kabupaten/kota mengirim data binaan terbaru sebelum akhir triwulan."),
    ],
    "FK-GK": [
        ("Kesenjangan program di Gunungkidul", "Belum ada program legalitas usaha; diusulkan ke forum provinsi."),
        ("Pembiayaan kelompok perempuan pengusaha", "Bank dan komunitas menyepakati jadwal pendampingan bersama."),
    ],
    "FK-BTL": [
        ("Literasi keuangan dan KUR", "Bank dan lembaga pendamping berbagi peserta."),
        ("Sentra kerajinan dan pasar ekspor", "Perajin meminta pendampingan sertifikasi dan kemasan."),
    ],
    "FK-YK": [
        ("Kuliner bakpia dan oleh-oleh", "Pelaku usaha meminta pendampingan kemasan."),
        ("Ruang usaha perajin muda Kotagede", "Komunitas dan kampus memetakan bengkel yang bisa dipakai bersama."),
    ],
    "FK-KP": [
        ("Produk unggulan Menoreh", "Kopi, teh dan gula semut disepakati sebagai prioritas pendampingan."),
        ("Promosi produk desa lewat media lokal", "Radio dan dinas berbagi jadwal siaran promosi."),
    ],
}

# The coming meeting of each forum: (title, days from today, topic without minutes yet)
COMING = {
    "FK-SLM": ("Rapat Peninjauan Program", 14, "Paparan program yang diajukan"),
    "FK-DIY": ("Rapat Pleno Forum Provinsi Awal Tahun", 21, "Rencana kerja forum 2027"),
    "FK-KP": ("Rapat Koordinasi Kulon Progo", 10, "Rencana pendampingan 2027"),
    "FK-BTL": ("Rapat Koordinasi Bantul", 12, "Rencana pendampingan 2027"),
    "FK-GK": ("Rapat Koordinasi Gunungkidul", 17, "Rencana pendampingan 2027"),
    "FK-YK": ("Rapat Koordinasi Kota Yogyakarta", 19, "Rencana pendampingan 2027"),
}

# Forum decisions of the programs demo made within this time get a meeting; decisions at most MEETING_SPAN
# apart share one. The programs demo dates a decision six weeks before the program starts.
PAST_WINDOW = timedelta(days=365)
MEETING_SPAN = timedelta(days=45)
STATUS_OUTCOME = {"approved": "approve", "needs_revision": "needs_revision", "rejected": "reject"}
CONDITIONS = ["Libatkan lembaga pendamping setempat.", "Laporkan daftar peserta ke forum sebelum kegiatan dimulai.",
              ""]
WALK_IN = ("Wahyu Prasetyo", "Radio Komunitas", "Reporter")


def _local(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(tenants: dict[str, Tenant]) -> None:
    tenant = tenants["diy"]
    with scope(tenant=tenant):
        demo_user("ketua.sleman@satusama.test", "Haryanto Wibowo")
        chair = User.objects.get(email="ketua.sleman@satusama.test")
        Membership.objects.get_or_create(
            tenant=tenant, user=chair,
            organization=Organization.objects.get(name="Dinas Koperasi dan UKM Kabupaten Sleman"),
            defaults={"role": "staff", "position": "Ketua Forum Koordinasi Sleman"},
        )
        forums = {}
        for code, region_code, name, chair_email, secretary_email in DIY_FORUMS:
            region = Region.objects.get(code=region_code) if region_code else None
            forum, _created = Forum.objects.update_or_create(
                tenant=tenant, code=code,
                defaults={"name": name, "region": region, "level": "regional" if region else "provincial"},
            )
            services.forum_set_officers(
                forum=forum,
                chair=User.objects.filter(email=chair_email).first() if chair_email else None,
                secretary=User.objects.filter(email=secretary_email).first() if secretary_email else None,
            )
            for org_name, rep_email, position in DIY_MEMBERS[code]:
                services.forum_add_member(
                    forum=forum, organization=Organization.objects.get(name=org_name),
                    representative=User.objects.filter(email=rep_email).first() if rep_email else None,
                    position=position,
                )
            forums[code] = forum
        handout = _handout_pdf()
        for code, events in _decisions_to_hold(tenant).items():
            for n, cluster in enumerate(_clusters(events)):
                _held_meeting(forums[code], cluster, TOPICS[code][n % len(TOPICS[code])], handout)
        for code, (title, days, topic) in COMING.items():
            _coming_meeting(forums[code], title, days, topic, handout)


def _decisions_to_hold(tenant: Tenant) -> dict[str, list]:
    """Forum decisions of the past year not yet recorded in a meeting, by the forum that took them, oldest first."""
    from programs.models import ProgramEvent

    from .routing import forum_for_program

    linked = Decision.objects.exclude(program_event=None).values_list("program_event_id", flat=True)
    events = (ProgramEvent.objects
              .filter(tenant=tenant, by_forum=True, to_status__in=list(STATUS_OUTCOME),
                      at__gte=timezone.now() - PAST_WINDOW)
              .exclude(pk__in=list(linked)).select_related("program").order_by("at", "pk"))
    by_forum: dict[str, list] = defaultdict(list)
    for event in events:
        forum = forum_for_program(event.program)
        if forum is not None:
            by_forum[forum.code].append(event)
    return by_forum


def _clusters(events: list) -> list[list]:
    clusters: list[list] = []
    for event in events:
        if clusters and event.at - clusters[-1][0].at <= MEETING_SPAN:
            clusters[-1].append(event)
        else:
            clusters.append([event])
    return clusters


def _held_meeting(forum: Forum, events: list, topic: tuple[str, str], handout: bytes) -> Meeting:
    """A closed meeting two days before the first of these decisions, which it records."""
    from programs.models import ProgramEvent

    by = _officer(forum)
    day = min(timezone.localdate(events[0].at), timezone.localdate()) - timedelta(days=2)
    start = _local(day, 9)
    with override(settings.LANGUAGE_CODE):
        kind = "Rapat Pleno Forum Provinsi" if forum.region_id is None else "Rapat Koordinasi"
        title = f"{kind} {date_format(day, 'F Y')}"
    meeting = services.meeting_create(
        forum=forum, by=by, title=title, starts_at=start, ends_at=start + timedelta(hours=3),
        place=f"Ruang Rapat {forum.region or 'Dinas Koperasi dan UKM DIY'}",
        online_link="https://meet.example.test/forum-" + forum.code.lower(), allow_past=True,
    )
    services.agenda_add_topic(meeting=meeting, title=STANDING[0], standing=True)
    topic_item = services.agenda_add_topic(meeting=meeting, title=topic[0])
    _attach(topic_item, handout, by)
    services.minutes_save(item=topic_item, text=topic[1], by=by)
    decided_at = meeting.ends_at - timedelta(minutes=30)
    for n, event in enumerate(events):
        program = event.program
        item = _program_item(meeting, program)
        services.minutes_save(item=item, text="Pemilik program memaparkan rencana, sasaran peserta dan jadwal; "
                                              "anggota memberi masukan.", by=by)
        outcome = STATUS_OUTCOME[event.to_status]
        reason = "" if outcome == "approve" else event.reason or "Target peserta dan sasaran wilayah perlu diperjelas."
        Decision.objects.create(
            tenant=meeting.tenant, agenda_item=item, outcome=outcome, decided_by=by, decided_at=decided_at,
            conditions=CONDITIONS[n % len(CONDITIONS)] if outcome == "approve" else "", reason=reason,
            program_event=event,
        )
        # The program's history now names the meeting, at the meeting's time, with the workflow's own wording.
        with override(settings.LANGUAGE_CODE):
            why = _("Decision of meeting %(number)s (%(forum)s)") % {"number": meeting.number, "forum": forum.name}
            on_agenda = _("On the agenda of meeting %(number)s") % {"number": meeting.number}
        ProgramEvent.objects.filter(pk=event.pk).update(
            at=decided_at, by=by, reason=f"{why}: {reason}" if reason else why)
        ProgramEvent.objects.filter(program=program, to_status="in_review", at__lt=event.at).update(
            reason=on_agenda, by=by, by_forum=True)
        ProgramEvent.objects.filter(program=program, to_status="in_review", at__gt=start - timedelta(days=7)).update(
            at=start - timedelta(days=7))
        ProgramEvent.objects.filter(program=program, to_status="submitted", at__gt=start - timedelta(days=14)).update(
            at=start - timedelta(days=14))
    services.agenda_add_topic(meeting=meeting, title=STANDING[1], standing=True)
    invitees = list(meeting.invitees.order_by("pk"))
    # Someone is usually missing, and someone comes uninvited.
    present = invitees[:-1] if len(invitees) > 3 and meeting.sequence % 2 else invitees
    for invitee in present:
        services.attendance_record(meeting=meeting, by=by, invitee=invitee)
    services.attendance_record(meeting=meeting, by=by, name=WALK_IN[0], organization_name=WALK_IN[1],
                               position=WALK_IN[2])
    revision = services.meeting_close(meeting=meeting, by=by)
    closed = meeting.ends_at + timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(closed_at=closed)
    type(revision).objects.filter(pk=revision.pk).update(created_at=closed)
    return meeting


def _coming_meeting(forum: Forum, title: str, days: int, topic: str, handout: bytes) -> Meeting:
    """The forum's next meeting, with the programs already in review on its agenda (not those still queued)."""
    from programs.models import Program, ProgramEvent

    from .routing import routed_to

    existing = Meeting.objects.filter(tenant=forum.tenant, forum=forum, title=title).first()
    if existing:
        return existing
    by = _officer(forum)
    start = _local(timezone.localdate() + timedelta(days=days), 9)
    meeting = services.meeting_create(
        forum=forum, by=by, title=title, starts_at=start, ends_at=start + timedelta(hours=3),
        place=f"Ruang Rapat {forum.region or 'Dinas Koperasi dan UKM DIY'}",
        online_link="https://meet.example.test/forum-" + forum.code.lower(),
    )
    services.agenda_add_topic(meeting=meeting, title=STANDING[0], standing=True)
    _attach(services.agenda_add_topic(meeting=meeting, title=topic), handout, by)
    in_review = routed_to(forum, Program.objects.filter(tenant=forum.tenant, status="in_review")).order_by("ref")
    with override(settings.LANGUAGE_CODE):
        on_agenda = _("On the agenda of meeting %(number)s") % {"number": meeting.number}
    for program in in_review:
        if not program.agenda_items.exists():
            _program_item(meeting, program)
            ProgramEvent.objects.filter(program=program, to_status="in_review").update(reason=on_agenda, by=by,
                                                                                         by_forum=True)
    services.agenda_add_topic(meeting=meeting, title=STANDING[1], standing=True)
    return meeting


def _program_item(meeting: Meeting, program) -> AgendaItem:
    # Written directly: the programs demo already moved these programs through the workflow.
    position = (meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return AgendaItem.objects.create(tenant=meeting.tenant, meeting=meeting, position=position,
                                     kind=AgendaItem.Kind.PROGRAM, title=program.title, program=program)


def _officer(forum: Forum) -> User:
    # Forums without named officers are run by the provincial Dinas in the demo.
    return forum.secretary or forum.chair or User.objects.get(email="admin.dinas@satusama.test")


def _handout_pdf() -> bytes:
    """One small PDF handout, made once per run and attached to a topic of each new meeting."""
    from weasyprint import HTML

    from .documents import LocalOnlyFetcher

    return HTML(string="<h1>Bahan paparan rapat</h1><p>Forum Koordinasi SATUSAMA DIY.</p>",
                url_fetcher=LocalOnlyFetcher()).write_pdf()


def _attach(item: AgendaItem, pdf: bytes, by: User) -> None:
    services.attachment_add(item=item, upload=SimpleUploadedFile("bahan-paparan.pdf", pdf), by=by)
