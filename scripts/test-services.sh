#!/usr/bin/env bash
# Install and start what the tests need: PostgreSQL, Chromium and gettext from
# Debian's packages, curl, and the npm test tools (axe-core, oidc-provider).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
# Fonts with Arabic and Ethiopic letters: the browser tests compare Arabic pages with reference pictures.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
command -v curl >/dev/null 2>&1 || need+=(curl)  # the docs' API examples are run by a test
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the scaled-out configuration's test
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing from Debian: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: start the packaged cluster and make a test role.
version=$(ls /etc/postgresql | sort -n | tail -1)
if ! $SUDO pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  $SUDO pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  as_postgres psql -qtAc "SELECT 1" >/dev/null 2>&1 && break
  sleep 1
done
if [ "$(as_postgres psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname='fyren'")" != "1" ]; then
  as_postgres psql -qc "CREATE ROLE fyren LOGIN CREATEDB PASSWORD 'fyren'"
fi
if [ "$(as_postgres psql -qtAc "SELECT 1 FROM pg_database WHERE datname='fyren'")" != "1" ]; then
  as_postgres psql -qc "CREATE DATABASE fyren OWNER fyren"
fi

# Redis for the scaled-out configuration's test (tasks on RQ, cache and sessions), on its own port.
if ! redis-cli -p 6390 ping >/dev/null 2>&1; then
  redis-server --port 6390 --save "" --appendonly no --daemonize yes >/dev/null
fi

# npm test tools, exactly as locked.
if [ ! -d node_modules/axe-core ] || [ ! -d node_modules/oidc-provider ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
