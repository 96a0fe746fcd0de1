#!/usr/bin/env bash
# Run the tests: install (Debian's chromium too, for the browser tests), make sure PostgreSQL and
# Redis are up (starting them if needed), then ruff and the pytest suite against them. Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_venv requirements-dev.txt
ensure_pdf_libraries
ensure_chromium
ensure_nginx
ensure_postgres
ensure_redis

export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@localhost:5432/hukou}
export REDIS_URL=${TEST_REDIS_URL:-redis://localhost:6379/15}
export DEBUG=0 SECRET_KEY=test-only-secret-key ALLOWED_HOSTS=testserver,localhost,127.0.0.1

log "ruff"
ruff check .
log "pytest (database: $DATABASE_URL, redis: $REDIS_URL)"
pytest "$@"
