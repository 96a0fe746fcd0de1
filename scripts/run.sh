#!/usr/bin/env bash
# Run the product: install, migrate, seed, create the demo accounts, then serve on :${PORT:-8000}.
# PostgreSQL when DATABASE_URL is set, SQLite under var/ otherwise. A Celery worker and beat run when
# Redis answers (REDIS_URL, or redis://localhost:6379/0); otherwise tasks run eagerly in-process.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_venv requirements.txt
ensure_pdf_libraries
mkdir -p var
[ -f var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
export SECRET_KEY=${SECRET_KEY:-$(cat var/secret_key)}
export DEBUG=${DEBUG:-0}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}
# the demo has no phones: texts (sign-up codes) are appended to var/sms-outbox.txt, readable by its owner only
export SMS_BACKEND=${SMS_BACKEND:-applications.sms.FileSmsBackend}
export SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-0} CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-0}
PORT=${PORT:-8000}

if [ -z "${REDIS_URL:-}" ] && redis_answers redis://localhost:6379/0; then
  export REDIS_URL=redis://localhost:6379/0
fi
log "database: ${DATABASE_URL:-SQLite (var/db.sqlite3)}; broker: ${REDIS_URL:-none, tasks run eagerly}"

python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
python manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  log "starting the Celery worker and beat"
  celery -A hukou worker --loglevel INFO --concurrency 2 >var/celery-worker.log 2>&1 & pids+=($!)
  celery -A hukou beat --loglevel INFO --pidfile= >var/celery-beat.log 2>&1 & pids+=($!)
fi

log "serving on http://localhost:$PORT/  (admin: /admin/, API docs: /api/docs/, health: /healthz)"
GUNICORN_BIND="0.0.0.0:$PORT" gunicorn -c deploy/gunicorn.conf.py hukou.wsgi:application &
pids+=($!)
wait "${pids[-1]}"
