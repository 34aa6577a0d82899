#!/usr/bin/env bash
# tests/e2e/run.sh: the example frontend (examples/web) in a real browser.
#
# Starts `pathways serve` (build/debug/pathways) on a free port with CORS_ORIGINS naming one
# origin, serves examples/web with `python3 -m http.server` from that origin and from a
# second origin the API does not list, and runs tests/e2e/roadmap.spec.mjs with Node and
# playwright-core driving Debian's Chromium (no browser download). Stops both servers;
# the API must exit 0 on SIGTERM (a leak found by ASan fails the run). Exit status: the
# test's (or non-zero when a step before it fails).
#
# Needs: PW_TEST_DATABASE_URL (a migrated and seeded database, as scripts/test provides),
# node + npm, python3, curl and a Chromium. Knobs:
#   PW_E2E_CHROMIUM     browser executable (default /usr/bin/chromium)
#   PW_E2E_BIN          the pathways binary (default build/debug/pathways)
#   PW_E2E_SCREENSHOTS  a directory to save screenshots into (default: none taken)
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
E2E=$ROOT/tests/e2e
BIN=${PW_E2E_BIN:-$ROOT/build/debug/pathways}
export PW_E2E_CHROMIUM=${PW_E2E_CHROMIUM:-/usr/bin/chromium}

log() { printf '==> e2e: %s\n' "$*" >&2; }
die() {
  printf 'error: e2e: %s\n' "$*" >&2
  exit 1
}

[[ -n ${PW_TEST_DATABASE_URL:-} ]] || die "PW_TEST_DATABASE_URL is not set (run me from scripts/test)"
[[ -x $BIN ]] || die "no pathways binary at $BIN"
[[ -x $PW_E2E_CHROMIUM ]] || die "no browser at $PW_E2E_CHROMIUM"
for tool in node npm python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done

TMP=$(mktemp -d /tmp/pwe2e.XXXXXX)
PIDS=()
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf -- "$TMP"
}
trap cleanup EXIT

# Sanitized binaries: GCC 12's ASan crashes at start-up with more than 28 bits of mmap
# randomisation (see scripts/test), so run them without ASLR there when allowed.
WRAP=()
if [[ -r /proc/sys/vm/mmap_rnd_bits ]] && (($(</proc/sys/vm/mmap_rnd_bits) > 28)) &&
  setarch "$(uname -m)" -R true 2>/dev/null; then
  WRAP=(setarch "$(uname -m)" -R)
fi

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_http URL PID: until URL answers 200, or the process PID has died, or 30 s.
wait_http() {
  local url=$1 pid=$2 i
  for ((i = 0; i < 300; i++)); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

log "npm ci (playwright-core; it downloads no browser)"
(cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

API_PORT=$(free_port)
WEB_PORT=$(free_port)
FOREIGN_PORT=$(free_port)
while [[ $WEB_PORT == "$API_PORT" ]]; do WEB_PORT=$(free_port); done
while [[ $FOREIGN_PORT == "$API_PORT" || $FOREIGN_PORT == "$WEB_PORT" ]]; do FOREIGN_PORT=$(free_port); done
export PW_E2E_API=http://127.0.0.1:$API_PORT
export PW_E2E_WEB=http://127.0.0.1:$WEB_PORT
export PW_E2E_FOREIGN=http://127.0.0.1:$FOREIGN_PORT

log "API on $PW_E2E_API (CORS_ORIGINS=$PW_E2E_WEB)"
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n') \
  DATABASE_URL=$PW_TEST_DATABASE_URL \
  PATHWAYS_LISTEN=127.0.0.1:$API_PORT \
  CORS_ORIGINS=$PW_E2E_WEB \
  RATE_LIMIT_PER_MIN=1000 \
  PATHWAYS_THREADS=4 \
  LOG_LEVEL=warn \
  "${WRAP[@]}" "$BIN" serve >"$TMP/api.log" 2>&1 &
API_PID=$!
PIDS+=("$API_PID")

log "page on $PW_E2E_WEB, and on $PW_E2E_FOREIGN (an origin the API does not allow)"
python3 -m http.server --bind 127.0.0.1 --directory "$ROOT/examples/web" "$WEB_PORT" \
  >"$TMP/web.log" 2>&1 &
WEB_PID=$!
PIDS+=("$WEB_PID")
python3 -m http.server --bind 127.0.0.1 --directory "$ROOT/examples/web" "$FOREIGN_PORT" \
  >"$TMP/foreign.log" 2>&1 &
FOREIGN_PID=$!
PIDS+=("$FOREIGN_PID")

show_logs() {
  local f
  for f in api web foreign; do
    printf -- '--- %s.log (last 40 lines)\n' "$f" >&2
    tail -n 40 -- "$TMP/$f.log" >&2 || true
  done
}

if ! wait_http "$PW_E2E_API/readyz" "$API_PID"; then
  show_logs
  die "the API did not become ready"
fi
if ! wait_http "$PW_E2E_WEB/index.html" "$WEB_PID" || ! wait_http "$PW_E2E_FOREIGN/index.html" "$FOREIGN_PID"; then
  show_logs
  die "the static server did not start"
fi

log "node roadmap.spec.mjs (Chromium: $("$PW_E2E_CHROMIUM" --version 2>/dev/null || echo unknown))"
rc=0
(cd "$E2E" && node --test --test-reporter=spec roadmap.spec.mjs contract.spec.mjs) || rc=$?

# Stop the API first and require a clean exit (ASan reports leaks at exit).
kill -TERM "$API_PID" 2>/dev/null || true
api_rc=0
wait "$API_PID" || api_rc=$?
PIDS=("$WEB_PID" "$FOREIGN_PID")
if ((api_rc != 0)); then
  log "pathways serve exited with status $api_rc after SIGTERM"
  ((rc != 0)) || rc=$api_rc
fi
if ((rc != 0)); then
  show_logs
  log "FAILED (status $rc, ${SECONDS}s)"
else
  log "passed (${SECONDS}s)"
fi
exit "$rc"
