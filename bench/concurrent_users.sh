#!/usr/bin/env bash
# 20 people at once for a minute: 14 staff submit programs, 6 forum officers race to record decisions, all through
# gunicorn (2 workers) on PostgreSQL; then the database is checked against what was sent (bench/concurrent_users.py).
# Usage: bash bench/concurrent_users.sh              DURATION=15 bash bench/concurrent_users.sh   (short form)
# Needs: PostgreSQL on 127.0.0.1:5432 (trust auth), `make test` run once (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-60}
PORT=${PORT:-8767}
DB=${DB:-satusama_concurrency}
PY=.venv/bin/python

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}"
export DJANGO_DEBUG=0 DJANGO_SECURE=0 SECRET_KEY=concurrency-check-only-secret-key ALLOWED_HOSTS=127.0.0.1,localhost
export SATUSAMA_REQUIRE_ADMIN_MFA=0
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend  # mail is not what is measured here
unset REDIS_URL
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB}" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB}" >/dev/null
$PY manage.py migrate --no-input -v0
$PY manage.py compiletranslations >/dev/null
$PY manage.py seed_demo >/dev/null

.venv/bin/gunicorn satusama.wsgi --workers 2 --threads 4 --bind "127.0.0.1:$PORT" --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break; sleep 0.2; done
$PY bench/concurrent_users.py --base "http://127.0.0.1:$PORT" --duration "$DURATION"
