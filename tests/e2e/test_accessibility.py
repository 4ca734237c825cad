"""Accessibility: axe-core finds no serious or critical violation on the main pages, on desktop and phone.

The pages are discovered from the main navigation, so pages added later are checked too.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from stakeholders.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def violations(page):
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/diy/**")


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_have_no_serious_violations(browser, live_server, width):
    call_command("seed_demo", verbosity=0)
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="id-ID")
    page = context.new_page()
    problems = {}
    page.goto(f"{live_server.url}/accounts/login/?next=/diy/")
    problems["login"] = violations(page)
    login(page, live_server.url, "admin.dinas@satusama.test")
    links = page.eval_on_selector_all(".main-nav a", "els => els.map(e => e.getAttribute('href'))")
    assert links, "the main navigation is empty"
    for href in [*links, "/profil/"]:
        page.goto(f"{live_server.url}{href}")
        problems[href] = violations(page)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems[href].append(f"page is {overflow}px wider than the {width}px viewport")
    context.close()
    assert {k: v for k, v in problems.items() if v} == {}
