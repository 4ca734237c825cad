"""Languages: Indonesian by default, English on request; the Indonesian catalogues are complete."""

from datetime import date
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("*/**/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_are_indonesian_and_english_catalogues():
    langs = {p.parent.parent.name for p in CATALOGUES}
    assert {"id", "en"} <= langs


@pytest.mark.parametrize("path", [p for p in CATALOGUES if p.parent.parent.name == "id"], ids=str)
def test_indonesian_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{path}: untranslated {missing[:10]}"


def test_one_source_string_has_one_indonesian_translation_across_apps():
    """Django merges the catalogues of all apps and the first one wins, so two translations of one msgid would
    make a page's wording depend on the order of INSTALLED_APPS."""
    seen: dict[tuple[str, str], set[str]] = {}
    for path in (p for p in CATALOGUES if p.parent.parent.name == "id"):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and entry.msgstr:
                seen.setdefault((entry.msgctxt or "", entry.msgid), set()).add(entry.msgstr)
    conflicts = {msgid: sorted(texts) for (_ctx, msgid), texts in seen.items() if len(texts) > 1}
    assert conflicts == {}


def test_switching_to_english_and_back(world):
    client = world.client_for(world.staff)
    assert "Beranda" in client.get("/diy/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/diy/"})
    page = client.get("/diy/").content.decode()
    assert 'lang="en"' in page
    assert "Dashboard" in page and "Welcome" in page
    client.post("/i18n/setlang/", {"language": "id", "next": "/diy/"})
    assert "Beranda" in client.get("/diy/").content.decode()


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'lang="en"' in page


def test_indonesian_dates_and_money():
    template = Template("{% load satusama %}{{ d|date }} {{ amount|rupiah }}")
    with translation.override("id"):
        assert template.render(Context({"d": date(2025, 3, 10), "amount": 45_000_000})) == (
            "10 Maret 2025 Rp45.000.000"
        )
    with translation.override("en"):
        assert template.render(Context({"d": date(2025, 3, 10), "amount": 45_000_000})) == (
            "10 March 2025 Rp45,000,000"
        )
