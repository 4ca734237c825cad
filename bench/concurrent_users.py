"""Twenty people at once: staff submitting programs and forum officers recording decisions, through the real pages.

Run by bench/concurrent_users.sh (gunicorn on PostgreSQL). Phases, in one process:
  setup   - people for the run: SUBMITTERS admins of demo organisations (admins submit), DECIDERS officers of the Sleman
            forum; a coming meeting with ITEMS submitted Sleman programs on its agenda;
  run     - every person in a thread for DURATION seconds, through HTTP only: staff open the registration page and
            submit a new program (`action=submit`); officers go through all agenda items in their own random
            order and record a decision on each, so several officers race for every item;
  verify  - what the database holds against what was sent: one program, submitted once, per accepted
            submission; exactly one decision and one status change per agenda item that officers decided on
            (however many raced for it), none on the others; no answer of 500 or more.
Prints one line per figure and exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")

PASSWORD = "Beban-Satusama-2026"  # noqa: S105 - throw-away accounts of a benchmark database
RUN_TAG = f"Uji beban {int(time.time())}"  # this run's rows only, even in a database used before
CHECKED = re.compile(r'<input[^>]*type="checkbox"[^>]*name="(kinds|sectors|regions)"[^>]*value="([^"]+)"')
OWNER = re.compile(r'<select[^>]*name="owner"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')


def setup(submitters: int, deciders: int, items: int) -> dict:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scopes_disabled
    from guardian.shortcuts import assign_perm

    from forums import services as forum_services
    from forums.models import Forum
    from programs import services as program_services
    from programs.models import OverlapFlag
    from programs.workflow import transition
    from stakeholders.models import Membership, Organization, Region, Tenant, User

    with scopes_disabled(), transaction.atomic():
        tenant = Tenant.objects.get(slug="diy")
        sleman = Region.objects.get(tenant=tenant, code="34.04")
        forum = Forum.objects.get(tenant=tenant, region=sleman)
        orgs = list(Organization.objects.filter(tenant=tenant).order_by("pk")[:submitters])

        def person(email, name):
            user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
            user.set_password(PASSWORD)
            user.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            return user

        staff = []
        for i in range(submitters):
            user = person(f"beban.staf{i}@satusama.test", f"Staf Beban {i}")
            Membership.objects.get_or_create(user=user, organization=orgs[i % len(orgs)], tenant=tenant,
                                             defaults={"role": "admin"})  # admins submit
            staff.append(user.email)
        officers = []
        for i in range(deciders):
            user = person(f"beban.sekretaris{i}@satusama.test", f"Sekretaris Beban {i}")
            Membership.objects.get_or_create(user=user, organization=orgs[0], tenant=tenant, defaults={"role": "staff"})
            assign_perm("forums.manage_forum", user, forum)
            officers.append(user.email)

        secretary = User.objects.get(email=officers[0])
        start = timezone.now() + timedelta(days=1)
        meeting = forum_services.meeting_create(
            forum=forum, by=secretary, title=f"{RUN_TAG}: rapat", starts_at=start, ends_at=start + timedelta(hours=3),
            place="Ruang Rapat Bappeda Sleman",
        )
        owner_staff = User.objects.get(email=staff[0])
        owner = orgs[0]
        programs = []
        for i in range(items):
            program = program_services.create_program(tenant=tenant, owner=owner, by=owner_staff, data={
                "title": f"{RUN_TAG} agenda {i}", "description": f"Program uji beban nomor {i}.",
                "kinds": ["pelatihan"], "sectors": ["kuliner"], "regions": [sleman],
                "start_date": date.today() + timedelta(days=30), "end_date": date.today() + timedelta(days=60),
                "target_umkm": 20, "contact_name": "Sekretariat Uji", "contact_email": "uji@satusama.test",
            })
            transition(program=program, to="submitted", by=owner_staff)
            programs.append(program)
        agenda = forum_services.agenda_add_programs(meeting=meeting, programs=programs, by=secretary)
    # The overlap check (run when the transaction above committed) flags these look-alike programs against each
    # other; a forum would resolve the flags before deciding. Here they are answered up front: this benchmark
    # measures the decisions.
    with scopes_disabled():
        OverlapFlag.objects.filter(tenant=tenant, status="open").update(
            status="resolved", resolution="not_overlap", note=RUN_TAG)
    return {"staff": staff, "officers": officers, "items": [item.pk for item in agenda], "meeting": meeting.pk}


class Browser:
    """One person's session: cookies, CSRF token, and the answers it got."""

    def __init__(self, base: str, counts: Counter, lock: threading.Lock):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.counts, self.lock = counts, lock

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = self.base + path  # http://127.0.0.1:PORT, set by the script
        req = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        try:
            with self.opener.open(req, timeout=60) as response:
                status, text, location = response.status, response.read().decode(errors="replace"), ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        with self.lock:
            self.counts[f"http {status // 100}xx"] += 1
        return status, text, location

    def login(self, email: str) -> None:
        self.request("/accounts/login/")
        status, _, location = self.request("/accounts/login/", [
            ("csrfmiddlewaretoken", self.csrf()), ("login", email), ("password", PASSWORD)])
        if status != 302:
            raise RuntimeError(f"login of {email} failed: {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submitter(browser: Browser, email: str, until: float, sent: list, n: int) -> None:
    browser.login(email)
    i = 0
    while time.monotonic() < until:
        status, page, _ = browser.request("/diy/program/baru/")
        if status != 200:
            continue
        choices = {}
        for name, value in CHECKED.findall(page):
            choices.setdefault(name, value)
        owner = OPTION.findall(OWNER.search(page).group(1))[0]
        title = f"{RUN_TAG} {n}-{i}: pendampingan {random.choice(['kemasan', 'pemasaran', 'keuangan', 'halal'])}"
        status, _, location = browser.request("/diy/program/baru/", [
            ("csrfmiddlewaretoken", browser.csrf()), ("owner", owner), ("title", title),
            ("description", "Pendampingan UMKM dalam uji beban bersamaan."),
            ("kinds", choices["kinds"]), ("sectors", choices["sectors"]), ("regions", choices["regions"]),
            ("start_date", (date.today() + timedelta(days=40)).isoformat()),
            ("end_date", (date.today() + timedelta(days=90)).isoformat()),
            ("target_umkm", "25"), ("budget_idr", "15000000"), ("contact_name", "Narahubung Uji"),
            ("contact_phone", "0274 123456"), ("version", ""), ("action", "submit"),
        ])
        if status == 302 and "/diy/program/" in location and "/ubah/" not in location:
            sent.append(title)
        i += 1


def decider(browser: Browser, email: str, until: float, items: list[int], attempts: Counter) -> None:
    browser.login(email)
    order = random.sample(items, len(items))
    for pk in order:
        if time.monotonic() >= until:
            return
        status, _, _ = browser.request(f"/diy/forum/agenda/{pk}/", [
            ("csrfmiddlewaretoken", browser.csrf()), ("action", "decision"), ("outcome", "needs_revision"),
            ("reason", "Lengkapi rincian anggaran."), ("conditions", "")])
        attempts[pk] += 1


def verify(sent: list[str], items: list[int]) -> list[str]:
    """`items`: the agenda items at least one officer sent a decision for."""
    from django_scopes import scopes_disabled

    from forums.models import AgendaItem, Decision
    from programs.models import Program, ProgramEvent

    problems = []
    with scopes_disabled():
        submitted = Program.objects.filter(title__startswith=f"{RUN_TAG} ").exclude(title__contains="agenda")
        titles = Counter(submitted.values_list("title", flat=True))
        print(f"programs submitted: sent {len(sent)}, in the database {sum(titles.values())}")
        if sorted(titles.elements()) != sorted(sent):
            problems.append("the programs in the database are not the ones whose submission was accepted")
        not_submitted = submitted.exclude(status="submitted").count()
        events = ProgramEvent.objects.filter(program__in=submitted, to_status="submitted").count()
        if not_submitted or events != len(sent):
            problems.append(f"{not_submitted} programs not submitted, {events} submit events for {len(sent)}")
        decisions = Counter(Decision.objects.filter(agenda_item__in=items).values_list("agenda_item_id", flat=True))
        on_agenda = AgendaItem.objects.filter(pk__in=items).values("program_id")
        changes = ProgramEvent.objects.filter(program__in=on_agenda, to_status="needs_revision").count()
        print(f"decisions: sent for {len(items)} agenda items, {sum(decisions.values())} decisions, "
              f"{changes} status changes")
        if sorted(decisions) != sorted(items) or max(decisions.values(), default=0) != 1 or changes != len(items):
            problems.append("not exactly one decision and one status change per agenda item")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8767")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--submitters", type=int, default=14)
    parser.add_argument("--deciders", type=int, default=6)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()

    people = setup(args.submitters, args.deciders, args.items)
    counts, lock = Counter(), threading.Lock()
    sent, attempts = [], Counter()
    until = time.monotonic() + args.duration
    threads = [threading.Thread(target=submitter, args=(Browser(args.base, counts, lock), email, until, sent, n))
               for n, email in enumerate(people["staff"])]
    threads += [threading.Thread(target=decider, args=(Browser(args.base, counts, lock), email, until,
                                                         people["items"], attempts))
                for email in people["officers"]]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    print(f"{len(threads)} people for {elapsed:.0f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"decision attempts: {sum(attempts.values())} on {len(attempts)} items (racing officers)")
    problems = verify(sent, list(attempts))
    if counts["http 5xx"]:
        problems.append(f"{counts['http 5xx']} answers of 500 or more")
    if not sent or not attempts:
        problems.append("nothing was submitted or decided: the check proves nothing")
    for problem in problems:
        print("FAIL:", problem)
    if not problems:
        print("PASS: the database holds exactly what was sent, no server errors")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
