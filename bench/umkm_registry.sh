#!/usr/bin/env bash
# UMKM registry speed at 1,000,000 businesses on PostgreSQL (see bench/umkm_registry.py). From the checkout:
#   bash bench/umkm_registry.sh
#   BUSINESSES=50000 IMPORT_ROWS=10000 bash bench/umkm_registry.sh     # the short form
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and `make test` run once (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
BUSINESSES=${BUSINESSES:-1000000}
IMPORT_ROWS=${IMPORT_ROWS:-100000}
DB=${DB:-satusama_umkm_bench}
PY=.venv/bin/python

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}"
export DJANGO_DEBUG=0 DJANGO_SECURE=0 SECRET_KEY=bench-only-secret-key ALLOWED_HOSTS=testserver,127.0.0.1
export SATUSAMA_REQUIRE_ADMIN_MFA=0
unset REDIS_URL

psql -h 127.0.0.1 -U postgres -qtc "SELECT 1 FROM pg_database WHERE datname='${DB}'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB}"
$PY manage.py migrate --no-input -v0
$PY manage.py compiletranslations >/dev/null
$PY manage.py collectstatic --no-input -v0
$PY manage.py seed_demo >/dev/null
$PY bench/umkm_registry.py --tenant diy --businesses "$BUSINESSES" --import-rows "$IMPORT_ROWS"
