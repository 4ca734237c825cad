"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

from stakeholders.demo import DEMO_PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the live server's data is set up from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("SATUSAMA_E2E_REQUIRED"):
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}, but SATUSAMA_E2E_REQUIRED is set.")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium) — browser tests skipped")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, request, **context_options):
    context = browser.new_context(locale="id-ID", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    context.close()


@pytest.fixture
def page(browser, request):
    yield from _page(browser, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser, request):
    """A 360×740 touch phone, as an UMKM owner holds it."""
    yield from _page(browser, request, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


@pytest.fixture
def demo(live_server):
    """The live server's URL, with the seed_demo data."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    return live_server.url


# The login form's words per language: the e-mail and password labels and the button (Indonesian unless chosen).
LOGIN_WORDS = {"id": ("E-mail", "Kata sandi", "Masuk"), "en": ("Email", "Password", "Sign In")}


@pytest.fixture
def login(live_server):
    """`login(page, email)` signs in as a person does and waits for the portal's dashboard.

    It opens the login page unless the page shows it already (where a protected page sent the visitor); with
    `lang="en"` it first chooses English in the header's language switcher. The fields are found by their labels.
    """
    base = live_server.url

    def sign_in(page, email, *, password=DEMO_PASSWORD, lang="id"):
        if "/accounts/login/" not in page.url:
            page.goto(f"{base}/accounts/login/")
        if lang != "id":  # the switcher submits itself on change
            with page.expect_navigation():
                page.locator("#lang-select").select_option(lang)
            assert page.locator("html").get_attribute("lang") == lang
        email_label, password_label, button = LOGIN_WORDS[lang]
        page.get_by_label(email_label).fill(email)
        page.get_by_label(password_label).fill(password)
        page.get_by_role("button", name=button).click()
        page.wait_for_url(f"{base}/diy/")

    return sign_in


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _static_from_finders(settings):
    # The live server serves static files from the apps' folders, under their plain names.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
