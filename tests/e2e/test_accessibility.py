"""Accessibility: axe-core finds no serious or critical violation on the main pages, on desktop and phone.

The pages are discovered from the main navigation, so pages added later are checked too.
"""

from pathlib import Path

import pytest

from tests.e2e.layout import sideways_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def violations(page):
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_have_no_serious_violations(browser, demo, login, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="id-ID")
    page = context.new_page()
    problems = {}
    page.goto(f"{demo}/accounts/login/?next=/diy/")
    problems["login"] = violations(page)
    login(page, "admin.dinas@satusama.test")
    links = page.eval_on_selector_all(".main-nav a", "els => els.map(e => e.getAttribute('href'))")
    assert links, "the main navigation is empty"
    for href in [*links, "/profil/"]:
        page.goto(f"{demo}{href}")
        problems[href] = violations(page) + sideways_overflow(page)
    context.close()
    assert {k: v for k, v in problems.items() if v} == {}
