"""Settings come from the environment; production values pass `check --deploy` with no warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    dropped = {"DJANGO_DEBUG", "SECRET_KEY", "DJANGO_SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0",
        SECRET_KEY="p9Xk2vL8qR4tY7uW1zA6sD3fG5hJ0kLmN8bV2cX4zQ7wE1rT9yU3iO5pA6sD8fG0",
        ALLOWED_HOSTS="satusama.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_with_debug_off_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_makemigrations_runs_without_a_key_and_finds_models_and_migrations_in_step():
    result = run_manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="0", SECRET_KEY="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_security_headers_on_pages(client, world):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_refused_permission_is_logged(rf, caplog, world):
    from satusama.views import permission_denied

    request = rf.get("/diy/rahasia/")
    request.user = world.staff
    with caplog.at_level("WARNING", logger="satusama.security"):
        response = permission_denied(request)
    assert response.status_code == 403
    assert f"user={world.staff.pk}" in caplog.text and "/diy/rahasia/" in caplog.text


def test_health_answers_without_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok"
