"""Tell the owners of both programs about a flag: e-mail (queued on commit); the in-app list is a selector."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from satusama.mail import queue_email
from stakeholders.models import Membership

from .models import OverlapFlag


def _recipients(flag: OverlapFlag) -> list[str]:
    owners = [flag.program_a.owner_id, flag.program_b.owner_id]
    emails = Membership.objects.filter(tenant=flag.tenant, organization_id__in=owners).values_list(
        "user__email", flat=True
    )
    return sorted({e for e in emails if e})


def _url(flag: OverlapFlag, program) -> str:
    path = reverse("programs:overlap_flag", args=[flag.tenant.slug, program.ref, flag.pk])
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(flag: OverlapFlag, subject: str, intro: str) -> None:
    to = _recipients(flag)
    if not to:
        return
    a, b = flag.program_a, flag.program_b
    lines = [
        intro, "",
        f"{a.ref} — {a.title} ({a.owner.name})",
        f"{b.ref} — {b.title} ({b.owner.name})", "",
        *[f"- {reason}" for reason in flag.rendered_reasons()], "",
        _url(flag, a),
    ]
    queue_email(EmailMessage(subject=subject, body="\n".join(lines), to=to), topic=f"overlap-flag:{flag.pk}",
                tenant=flag.tenant)


def notify_flag_opened(flag: OverlapFlag) -> None:
    # Rendered now in the portal's language, so the worker only carries text.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[SATUSAMA] Possible overlap: %(a)s and %(b)s") % {"a": flag.program_a.ref, "b": flag.program_b.ref}
        intro = _("These two programs look like the same assistance for the same businesses, place and time. "
                  "Please answer the overlap flag on the program page.")
        _send(flag, subject, intro)


def notify_flag_changed(flag: OverlapFlag, what: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[SATUSAMA] Overlap flag %(a)s and %(b)s: %(what)s") % {
            "a": flag.program_a.ref, "b": flag.program_b.ref, "what": what,
        }
        _send(flag, subject, str(what))
