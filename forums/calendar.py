"""An iCalendar (RFC 5545) file for one meeting, written by hand: CRLF line ends, 75-octet folding, escaping."""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone

from .models import Meeting


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1)."""
    out, current = [], b""
    limit = 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            out.append(current.decode())
            current = b""
            limit = 74  # continuation lines start with one space
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting: Meeting, *, url: str = "") -> str:
    location = ", ".join(x for x in (meeting.place, meeting.online_link) if x)
    description = "\n".join(x for x in (meeting.forum.name, meeting.online_link, url) if x)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SATUSAMA//Forum Koordinasi//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}-{meeting.tenant.slug}@satusama",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(f'{meeting.number} {meeting.title}')}",
        *([f"LOCATION:{_escape(location)}"] if location else []),
        f"DESCRIPTION:{_escape(description)}",
        *([f"URL:{url}"] if url else []),
        f"STATUS:{'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
