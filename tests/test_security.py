"""Security with production settings: HTTPS-only cookies and HSTS, and no stack trace or SQL ever reaches a user."""

import json

import pytest
from django.db import DatabaseError
from django.test import Client

from .test_settings import run_manage

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "p9Xk2vL8qR4tY7uW1zA6sD3fG5hJ0kLmN8bV2cX4zQ7wE1rT9yU3iO5pA6sD8fG0",
    "ALLOWED_HOSTS": "satusama.example.go.id",
}

PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="satusama.example.go.id")
plain = client.get("/health/")
secure = client.get("/health/", secure=True)
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "hsts": secure.get("Strict-Transport-Security", ""),
    "cookies": {name: [getattr(settings, name + "_SECURE"), getattr(settings, name + "_HTTPONLY"),
                       getattr(settings, name + "_SAMESITE")] for name in ("SESSION_COOKIE", "CSRF_COOKIE")},
}))
"""


def test_production_settings_send_https_only_cookies_and_hsts(tmp_path):
    result = run_manage("shell", "-c", PROBE, DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["redirect"] == [301, "https://satusama.example.go.id/health/"]
    assert "max-age=31536000" in probe["hsts"] and "includeSubDomains" in probe["hsts"]
    assert probe["cookies"] == {"SESSION_COOKIE": [True, True, "Lax"], "CSRF_COOKIE": [True, True, "Lax"]}


class BrokenTenants:
    """Stands in for the Tenant model in the middleware: every lookup fails the way a broken database does."""

    class objects:  # noqa: N801 - mimics the manager attribute
        @staticmethod
        def filter(**kwargs):
            raise DatabaseError('relation "stakeholders_tenant" does not exist LINE 1: SELECT "stakeholders_tenant"')


@pytest.mark.django_db
def test_a_server_error_shows_the_error_page_without_stack_trace_or_sql(monkeypatch, world):
    monkeypatch.setattr("stakeholders.models.Tenant", BrokenTenants)
    client = Client(raise_request_exception=False)
    client.force_login(world.staff)
    response = client.get("/diy/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "SATUSAMA" in body and 'lang="id"' in body
    for leak in ("Traceback", "SELECT", "stakeholders_tenant", "DatabaseError", "File \""):
        assert leak not in body
