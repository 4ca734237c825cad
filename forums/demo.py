"""Demo forums for seed_demo: the DIY provincial forum, the five kabupaten/kota forums, and their meetings.

Idempotent: forums by code, members by organisation, meetings by (forum, title); a meeting's agenda, attendance,
decisions and frozen minutes are made only when the meeting is first created.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_scopes import scope

from stakeholders.demo import user as demo_user
from stakeholders.models import Membership, Organization, Region, Tenant, User

from . import services
from .models import Forum, Meeting

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

# forum code → [(title, days from today, topics with minutes)]; negative days: held and closed.
DIY_MEETINGS = {
    "FK-SLM": [
        ("Rapat Koordinasi Triwulan I", -270, [
            ("Pemetaan program pendampingan 2026",
             "Anggota memaparkan rencana program; disepakati peta sebaran per kapanewon."),
        ]),
        ("Rapat Koordinasi Triwulan II", -180, [("Evaluasi pelatihan pemasaran digital",
                                                 "Dua pelatihan serupa di bulan yang sama; disepakati digabung.")]),
        ("Rapat Koordinasi Triwulan III", -90, [("Rencana sertifikasi halal bersama",
                                                 "Kampus dan Dinas berbagi kuota pendamping proses produk halal.")]),
        ("Rapat Peninjauan Program", 14, [("Paparan program yang diajukan", "")]),
    ],
    "FK-DIY": [
        ("Rapat Pleno Forum Provinsi Semester I", -200, [("Capaian peta jalan UMKM 2026",
                                                         "Cakupan sertifikasi halal di Gunungkidul masih rendah.")]),
        ("Rapat Pleno Forum Provinsi Semester II", -30, [("Program lintas kabupaten 2027",
                                                          "Disepakati pameran bersama lima kabupaten/kota.")]),
        ("Rapat Pleno Forum Provinsi Awal Tahun", 21, [("Rencana kerja forum 2027", "")]),
    ],
    "FK-GK": [("Rapat Koordinasi Gunungkidul", -60, [
        ("Kesenjangan program di Gunungkidul", "Belum ada program legalitas usaha; diusulkan ke forum provinsi."),
    ])],
    "FK-BTL": [("Rapat Koordinasi Bantul", -45, [
        ("Literasi keuangan dan KUR", "Bank dan lembaga pendamping berbagi peserta."),
    ])],
    "FK-YK": [("Rapat Koordinasi Kota Yogyakarta", -20, [("Kuliner bakpia dan oleh-oleh",
                                                          "Pelaku usaha meminta pendampingan kemasan.")])],
    "FK-KP": [("Rapat Koordinasi Kulon Progo", 10, [("Rencana pendampingan 2027", "")])],
}


def _local(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
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
            forum, _ = Forum.objects.update_or_create(
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
        for code, meetings in DIY_MEETINGS.items():
            for title, days, topics in meetings:
                _meeting(forums[code], title, days, topics)


def _meeting(forum: Forum, title: str, days: int, topics: list[tuple[str, str]]) -> Meeting:
    existing = Meeting.objects.filter(tenant=forum.tenant, forum=forum, title=title).first()
    if existing:
        return existing
    by = _officer(forum)
    start = _local(days, 9)
    meeting = services.meeting_create(
        forum=forum, by=by, title=title, starts_at=start, ends_at=start + timedelta(hours=3),
        place=f"Ruang Rapat {forum.region or 'Dinas Koperasi dan UKM DIY'}",
        online_link="https://meet.example.test/forum-" + forum.code.lower(), allow_past=True,
    )
    services.agenda_add_topic(meeting=meeting, title=STANDING[0], standing=True)
    items = [services.agenda_add_topic(meeting=meeting, title=t) for t, _ in topics]
    _attach_handout(items[0], by)
    _program_items(meeting, past=days < 0)
    services.agenda_add_topic(meeting=meeting, title=STANDING[1], standing=True)
    if days >= 0:
        return meeting
    for item, (_, text) in zip(items, topics, strict=True):
        services.minutes_save(item=item, text=text, by=by)
    for invitee in meeting.invitees.all():
        services.attendance_record(meeting=meeting, by=by, invitee=invitee)
    services.attendance_record(meeting=meeting, by=by, name="Wahyu Prasetyo", organization_name="Radio Komunitas",
                               position="Reporter")
    services.meeting_close(meeting=meeting, by=by)
    return meeting


def _officer(forum: Forum) -> User:
    # Forums without named officers are run by the provincial Dinas in the demo.
    return forum.secretary or forum.chair or User.objects.get(email="admin.dinas@satusama.test")


def _attach_handout(item, by) -> None:
    """A small PDF handout on the first topic, so the demo shows attachments."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    from .documents import LocalOnlyFetcher

    pdf = HTML(string=f"<h1>{item.title}</h1><p>Bahan paparan rapat {item.meeting.number}.</p>",
               url_fetcher=LocalOnlyFetcher()).write_pdf()
    services.attachment_add(item=item, upload=SimpleUploadedFile("bahan-paparan.pdf", pdf), by=by)


def _program_items(meeting: Meeting, *, past: bool) -> None:
    """Programs waiting for this forum go on the agenda; in past meetings the forum has decided on them."""
    from .selectors import open_flag_counts, waiting_programs

    programs = list(waiting_programs(meeting.forum).order_by("ref"))
    flags = open_flag_counts([p.pk for p in programs])
    if past:
        # A past meeting decided: only programs whose overlap flags are settled could be decided on. Programs with
        # open flags stay in the queue for the coming meeting, where the forum discusses the overlap.
        programs = [p for p in programs if not flags[p.pk]]
    programs = programs[:3]
    if not programs:
        return
    by = _officer(meeting.forum)
    items = services.agenda_add_programs(meeting=meeting, programs=programs, by=by, allow_past=True)
    if not past:
        return
    outcomes = ["approve", "needs_revision", "reject"]
    for item, outcome in zip(items, outcomes, strict=False):
        services.minutes_save(item=item, text="Pemilik program memaparkan rencana; anggota memberi masukan.", by=by)
        services.decision_record(
            item=item, by=by, outcome=outcome,
            conditions="Libatkan lembaga pendamping setempat." if outcome == "approve" else "",
            reason="" if outcome == "approve" else "Target peserta dan sasaran wilayah perlu diperjelas.",
        )
