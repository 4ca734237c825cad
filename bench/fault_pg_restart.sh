#!/usr/bin/env bash
# Fault check: PostgreSQL restarts under a running app, which recovers without being restarted itself.
# Runs a private, throw-away PostgreSQL cluster (so nothing else on the machine is disturbed), gunicorn with
# 2 workers on it, requests pages, restarts PostgreSQL (fast shutdown: every connection is cut), and requests
# the same pages again. Every answer must be a success: connections are health-checked before reuse
# (CONN_HEALTH_CHECKS), so the first request after the restart reconnects instead of failing.
# Usage: bash bench/fault_pg_restart.sh        Needs: PostgreSQL server binaries, `make test` run once (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found"; exit 1; }
PGPORT=${PGPORT:-5439}
PORT=${PORT:-8766}
ROUNDS=${ROUNDS:-20}
PY=.venv/bin/python
WORK=$(mktemp -d)
chmod 755 "$WORK"

as_pg() {  # initdb and pg_ctl refuse to run as root
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$WORK"; su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
pg_ctl() { as_pg "$PGBIN/pg_ctl -D $WORK/data -l $WORK/pg.log -w $*" >/dev/null; }

as_pg "$PGBIN/initdb -D $WORK/data -A trust -U postgres" >/dev/null
pg_ctl -o "'-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1'" start
cleanup() {
  kill "${GUNICORN:-}" 2>/dev/null || true
  pg_ctl -m immediate stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/satusama"
export DJANGO_DEBUG=0 DJANGO_SECURE=0 SECRET_KEY=fault-check-only-secret-key ALLOWED_HOSTS=127.0.0.1
export SATUSAMA_REQUIRE_ADMIN_MFA=0
unset REDIS_URL
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres satusama
$PY manage.py migrate --no-input -v0
$PY manage.py compiletranslations >/dev/null
$PY manage.py seed_demo >/dev/null

.venv/bin/gunicorn satusama.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning &
GUNICORN=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break; sleep 0.2; done

JAR="$WORK/cookies"
curl -s -c "$JAR" -o /dev/null "http://127.0.0.1:$PORT/accounts/login/"
CSRF=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
curl -s -b "$JAR" -c "$JAR" -o /dev/null -H "Referer: http://127.0.0.1:$PORT/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "login=staf.sleman@satusama.test" \
  --data-urlencode "password=Demo-Satusama-2026" "http://127.0.0.1:$PORT/accounts/login/"
grep -q sessionid "$JAR" || { echo "login failed"; exit 1; }

requests() {  # label: ROUNDS requests on a signed-in page and on an anonymous one (both read the database)
  local ok=0 failed=0 code
  for _ in $(seq "$ROUNDS"); do
    for args in "-b $JAR http://127.0.0.1:$PORT/diy/program/" "http://127.0.0.1:$PORT/diy/"; do
      # shellcheck disable=SC2086
      code=$(curl -s -o /dev/null -w '%{http_code}' $args)
      if [[ "$code" =~ ^[23] ]]; then ok=$((ok + 1)); else failed=$((failed + 1)); echo "  $args -> $code"; fi
    done
  done
  echo "$1: $ok answered, $failed failed"
  FAILED=$((${FAILED:-0} + failed))
}

requests "before the restart"
pg_ctl -m fast restart
requests "after the restart"
[ "$FAILED" -eq 0 ] && echo "PASS: PostgreSQL restarted, the app reconnected by itself" \
  || { echo "FAIL: $FAILED requests failed"; exit 1; }
