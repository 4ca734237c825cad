"""Formula injection sweep: no export of the project hands a spreadsheet a formula.

The demo data is poisoned first: every free-text field of every tenant-owned row (and people's names) gets a
prefix a spreadsheet would evaluate (`=`, `+`, `-`, `@`). Then a tenant admin opens every page of the tenant
(the URL list comes from the resolver, as in the isolation sweep) and every download link those pages offer;
each CSV and XLSX answer is read cell by cell. A cell may start with a formula trigger only when it is a plain
negative number. An export added later is covered without editing this test, as long as a page links to it.
"""

import csv
import io
import re
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.test import Client
from django.urls import get_resolver
from django_scopes import scopes_disabled

from stakeholders.models import Tenant, User

from .test_isolation_sweep import fill, tenant_models, walk

POISONS = ["=SUM(7)", "+SUM(7)", "-SUM(7)", "@SUM(7)"]
MARKER = "SUM(7)"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"^-\d[\d.,]*$")
# Identifiers that appear in URLs or are matched exactly: poisoning them would only break the walk.
KEEP = {"ref", "nib", "code", "slug", "token", "key", "email", "kind", "status", "language", "version"}
DOWNLOAD_HINTS = ("csv", "xlsx", "ekspor", "export", "unduh", "download", "format=")
HREF = re.compile(r'href="([^"#]+)"')


def poison(tenant: Tenant) -> None:
    for model in tenant_models():
        fields = [
            f for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name not in KEEP
            and not isinstance(f, models.EmailField | models.URLField | models.SlugField)
        ]
        for i, field in enumerate(fields):
            value = Concat(Value(POISONS[i % len(POISONS)]), F(field.name))
            if field.max_length:
                value = Left(value, field.max_length)
            model.objects.filter(tenant=tenant).exclude(**{field.name: ""}).update(**{field.name: value})
    User.objects.filter(memberships__tenant=tenant).update(full_name=Value("=SUM(7) Nama"))


def is_export(response) -> bool:
    kind = response.get("Content-Type", "")
    return "csv" in kind or "spreadsheetml" in kind


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def cells(response):
    data = body(response)
    if "spreadsheetml" in response["Content-Type"]:
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        yield f"formula {cell.value}"
                    elif isinstance(cell.value, str):
                        yield cell.value
        return
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield from row


def dangerous(value: str) -> bool:
    return value.startswith("formula ") or (value.startswith(TRIGGERS) and not NEGATIVE_NUMBER.match(value))


def download_links(response, tenant_slug: str) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    links = set()
    for href in HREF.findall(body(response).decode(errors="replace")):
        href = href.replace("&amp;", "&")
        path = urlsplit(href).path
        if path.startswith(f"/{tenant_slug}/") and any(h in href.lower() for h in DOWNLOAD_HINTS):
            links.add(href)
    return links


@pytest.mark.django_db
def test_no_export_hands_a_spreadsheet_a_formula():
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="diy")
        poison(tenant)
        urls = []
        for route, name, _callback in walk(get_resolver().url_patterns):
            if "tenant_slug" not in route:
                continue
            filled, _missing = fill(route, name, "diy", tenant)
            urls += (filled or [])[:1]
    admin = Client()
    admin.force_login(User.objects.get(email="admin.dinas@satusama.test"))

    seen, exports, problems, neutralised = set(), [], [], 0
    queue = list(dict.fromkeys(urls))
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = admin.get(url)
        if response.status_code != 200:
            continue
        if is_export(response):
            exports.append(url)
            for value in cells(response):
                if dangerous(value):
                    problems.append(f"{url}: {value[:60]!r}")
                neutralised += MARKER in value
        else:
            queue += sorted(download_links(response, "diy") - seen)

    assert len(exports) >= 3, f"too few exports found to trust the sweep: {exports}"
    assert neutralised > 0, "the poisoned text never reached an export: the sweep proves nothing"
    assert problems == [], "cells a spreadsheet would run as formulas:\n" + "\n".join(problems[:40])
