"""Money in rupiah: one formatter (satusama/templatetags/satusama.py) prints every amount, the minus before "Rp"."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from satusama.templatetags.satusama import rupiah, rupiah_short
from umkm.outcomes import OutcomeSummary

CASES = [
    # amount, Indonesian, English
    (45_000_000, "Rp45.000.000", "Rp45,000,000"),
    (999, "Rp999", "Rp999"),
    (1_000, "Rp1.000", "Rp1,000"),
    (0, "Rp0", "Rp0"),
    (-1, "-Rp1", "-Rp1"),
    (-20_000_000, "-Rp20.000.000", "-Rp20,000,000"),
    (2_500_000_000_000, "Rp2.500.000.000.000", "Rp2,500,000,000,000"),
    (-9_223_372_036_854_775_807, "-Rp9.223.372.036.854.775.807", "-Rp9,223,372,036,854,775,807"),
    ("45000000", "Rp45.000.000", "Rp45,000,000"),  # a number that arrives as text (a form's cleaned data)
    ("-20000000", "-Rp20.000.000", "-Rp20,000,000"),
    (None, "–", "–"),
    ("", "–", "–"),
]


@pytest.mark.parametrize(("amount", "id_text", "en_text"), CASES)
def test_rupiah_in_both_languages(amount, id_text, en_text):
    with translation.override("id"):
        assert rupiah(amount) == id_text
    with translation.override("en"):
        assert rupiah(amount) == en_text


@pytest.mark.parametrize(("amount", "id_text", "en_text"), [
    (990_000_000, "+Rp990.000.000", "+Rp990,000,000"),
    (0, "+Rp0", "+Rp0"),  # no change is shown as a non-negative change, as before
    (-20_000_000, "-Rp20.000.000", "-Rp20,000,000"),
    (None, "–", "–"),
])
def test_a_change_carries_its_sign_before_the_currency(amount, id_text, en_text):
    template = Template('{% load satusama %}{{ amount|rupiah:"+" }}')
    with translation.override("id"):
        assert template.render(Context({"amount": amount})) == id_text
    with translation.override("en"):
        assert template.render(Context({"amount": amount})) == en_text


@pytest.mark.parametrize(("amount", "id_text", "en_text"), [
    (-1_180_000_000, "-Rp1,18 miliar", "-Rp1.18 billion"),
    (-45_000_000, "-Rp45 juta", "-Rp45 million"),
    (-999_999, "-Rp999.999", "-Rp999,999"),
    (-1_005_000, "-Rp1,01 juta", "-Rp1.01 million"),  # rounded half away from zero, like the positive amount
    (1_005_000, "Rp1,01 juta", "Rp1.01 million"),
    (0, "Rp0", "Rp0"),
])
def test_rupiah_short_negative_and_zero(amount, id_text, en_text):
    with translation.override("id"):
        assert rupiah_short(amount) == id_text
    with translation.override("en"):
        assert rupiah_short(amount) == en_text


def test_a_fall_in_sales_reads_minus_rupiah_on_the_program_and_roadmap_outcomes():
    from django.template.loader import render_to_string

    summary = OutcomeSummary(measured=3, sales_changes=[-20_000_000, -25_000_000, 5_000_000],
                             sales_change_pcts=[-40.0, -50.0, 10.0])
    with translation.override("id"):
        figures = render_to_string("umkm/_outcome_figures.html", {"summary": summary})
        table = render_to_string("roadmap/_outcome_table.html", {"cov": {"outcome_rows": [("2026", summary)]}})
    assert "-Rp20.000.000" in figures and "(-40,0%)" in figures
    assert "-Rp20.000.000 (-40,0%)" in table
    for html in (figures, table):
        assert "Rp-" not in html and "+-" not in html and "+Rp" not in html
    with translation.override("id"):
        empty = render_to_string("roadmap/_outcome_table.html", {"cov": {"outcome_rows": [("2026", OutcomeSummary())]}})
    assert "–" in empty and "Rp" not in empty


def test_no_template_or_module_formats_rupiah_by_itself():
    """Every amount goes through the `rupiah` filters: no "Rp" glued to a number anywhere else."""
    root = Path(settings.BASE_DIR)
    formatter = root / "satusama" / "templatetags" / "satusama.py"
    glued = re.compile(r"""Rp\s*(\{\{|\{%|\{[a-z_(]|%\(|["']\s*\+)""")
    offenders = []
    for path in root.rglob("*"):
        if path.suffix not in {".html", ".txt", ".py"} or path == formatter:
            continue
        if any(part in {".venv", "node_modules", "staticfiles", "tests", "migrations"} for part in path.parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(root)}: {m.group(0)}" for m in glued.finditer(text)]
    assert offenders == []
