# Shared helpers of scripts/run.sh and scripts/test.sh (sourced, not run).

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A Python >= 3.12 (Django 6 needs it): $PYTHON, then PATH, then pyenv's versions.
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.12 python3.13 python3 \
      "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
      /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  die "Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12)"
}

# .venv with the given requirements file installed; reinstalls only when a requirements file changed.
ensure_venv() {
  local requirements=$1 stamp=.venv/.requirements.sha
  if [ ! -x .venv/bin/python ]; then
    log "creating the virtual environment (.venv)"
    "$(find_python)" -m venv .venv
  fi
  local want
  want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)-$requirements
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing $requirements"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
      | grep -v '^WARNING: Location' >&2 || true
    .venv/bin/python -c 'import django' || die "installing $requirements failed"
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/.venv/bin:$PATH"
}

redis_answers() {  # redis_answers URL
  .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()
PY
}

postgres_answers() {
  pg_isready -h localhost -p 5432 -q 2>/dev/null
}

# Start PostgreSQL (installing it from Debian's packages if missing) and wait for it.
ensure_postgres() {
  postgres_answers && return 0
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  log "starting PostgreSQL"
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do postgres_answers && break; sleep 1; done
  postgres_answers || die "PostgreSQL did not start"
  # trust auth on localhost for the postgres role, as on the CI machines
  psql -h localhost -U postgres -c 'select 1' >/dev/null 2>&1 \
    || die "cannot connect to PostgreSQL as postgres on localhost (trust auth expected)"
}

# Start Redis (installing it if missing) and wait for it.
ensure_redis() {
  redis_answers redis://localhost:6379/0 && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing Redis"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_answers redis://localhost:6379/0 && break; sleep 1; done
  redis_answers redis://localhost:6379/0 || die "Redis did not start"
}

# What weasyprint needs to draw the PDF documents (受理回执, 一次性告知书…): Pango (with its FreeType
# backend), HarfBuzz's subsetter (fast font subsetting) and a font with Chinese glyphs. Installed from
# Debian's packages, only when one is missing.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei)
ensure_pdf_libraries() {
  local package missing=()
  for package in "${PDF_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "warning: not a Debian system; install Pango and a Chinese font yourself (PDF documents)"
    return 0
  fi
  log "installing ${missing[*]} (PDF documents)"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "installing ${missing[*]} failed (needed to render the PDF documents)"
}

# A test tool from Debian's packages, installed when its program is missing:
# ensure_debian_tool PROGRAM PACKAGE "what it is for".
ensure_debian_tool() {
  local program=$1 package=$2 purpose=$3
  [ -x "$program" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "warning: not a Debian system; install $package as $program yourself ($purpose)"
    return 0
  fi
  log "installing $package ($purpose)"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "$package" >/dev/null \
    || die "installing $package failed (needed by the $purpose)"
}

# Debian's Chromium for the browser tests (tests/portal: pytest-playwright drives /usr/bin/chromium;
# Playwright's own browser download cannot run here).
ensure_chromium() { ensure_debian_tool /usr/bin/chromium chromium "browser tests"; }

# Debian's nginx for the edge tests (tests/hukou/test_edge.py runs deploy/nginx.conf in front of gunicorn).
ensure_nginx() { ensure_debian_tool /usr/sbin/nginx nginx "edge tests"; }
