#!/usr/bin/env bash
# Browser end-to-end tests: starts the real `smartv4 serve --demo` on a free port with a fresh database, creates an
# admin, a reviewer and a contributor with `smartv4 user add`, and runs portal.test.mjs (node --test) in Debian's
# chromium driven by playwright-core. Screenshots go to tests/browser/screenshots/.
# Environment: SMARTV4 (the binary; default build/smartv4), SRC (repo root), CHROMIUM (default /usr/bin/chromium),
# SV4_BROWSER_START_TIMEOUT (seconds to wait for /healthz; default 420 — the first start compiles the rules).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SRC=${SRC:-$(cd "$here/../.." && pwd)}
SMARTV4=${SMARTV4:-$SRC/build/smartv4}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
timeout_s=${SV4_BROWSER_START_TIMEOUT:-420}

for tool in node npm curl python3; do
  command -v "$tool" >/dev/null || { echo "browser tests need $tool (scripts/deps.sh test installs it)" >&2; exit 1; }
done
[ -x "$CHROMIUM" ] || { echo "browser tests need chromium at $CHROMIUM (scripts/deps.sh test)" >&2; exit 1; }
[ -x "$SMARTV4" ] || { echo "no smartv4 binary at $SMARTV4" >&2; exit 1; }

if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error) >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv4-browser.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
db="$tmp/portal.db"
export SMARTV4_DATA=${SMARTV4_DATA:-$SRC/data}

# users first: the database is created and migrated by the first command; serve --demo then fills it
export SV4_ADMIN_PASSWORD="admin-pass-$RANDOM$RANDOM" SV4_REVIEWER_PASSWORD="reviewer-pass-$RANDOM$RANDOM"
export SV4_CONTRIBUTOR_PASSWORD="contrib-pass-$RANDOM$RANDOM"
SV4_PASSWORD=$SV4_ADMIN_PASSWORD "$SMARTV4" user add --role admin --db "$db" alice >/dev/null
SV4_PASSWORD=$SV4_REVIEWER_PASSWORD "$SMARTV4" user add --role reviewer --db "$db" rita >/dev/null
SV4_PASSWORD=$SV4_CONTRIBUTOR_PASSWORD "$SMARTV4" user add --role contributor --db "$db" carl >/dev/null

"$SMARTV4" serve --db "$db" --port "$port" --demo >"$tmp/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for ((i = 0; i < timeout_s * 2; i++)); do
  if curl -fsS "$base/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server exited during start:" >&2
    cat "$tmp/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$base/healthz" >/dev/null || { echo "the server did not answer /healthz in ${timeout_s}s" >&2; exit 1; }

mkdir -p "$here/screenshots"
status=0
SV4_BASE_URL=$base CHROMIUM=$CHROMIUM SV4_TEST_DATA="$SRC/tests/data" SV4_SCREENSHOTS="$here/screenshots" \
  node --test --test-concurrency=1 "$here"/*.test.mjs || status=$?
if [ $status -ne 0 ]; then
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$tmp/server.log" >&2
fi
exit $status
