# lib.bash — shared by the API tests: start a real smartv4 server on a free port with a fresh database, curl
# helpers, JSON assertions (python3), cleanup. Source it; it is not a test itself (no .sh test runs it alone).
set -euo pipefail
: "${SMARTV4:?SMARTV4 must point at the smartv4 binary}"
: "${SRC:?SRC must point at the repository}"
export SMARTV4_DATA="${SMARTV4_DATA:-$SRC/data}"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}"
WORK=$(mktemp -d)
DB="$WORK/test.db"
SERVER_PID=""
fails=0
passes=0

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ]; then
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server is not running any more; its stderr:"; tail -50 "$WORK/server.err" 2>/dev/null
      rc=1
    fi
    kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    # a sanitizer report at shutdown (leaks) fails the test too
    if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$WORK/server.err" 2>/dev/null; then
      echo "sanitizer report from the server:"; tail -60 "$WORK/server.err"
      rc=1
    fi
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'echo "error: line $LINENO of $(basename "$0") failed (exit $?)" >&2' ERR

start_server() {  # start_server [extra args...]
  "$SMARTV4" serve --db "$DB" --port 0 --quiet "$@" >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  # a cold rules cache means compiling the vectorscan database first: allow for it (sanitizer builds are slower)
  for _ in $(seq 1 3000); do
    if grep -q 'http://' "$WORK/server.out" 2>/dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.err" >&2; echo "server died" >&2; exit 1; fi
    sleep 0.1
  done
  BASE=$(grep -o 'http://[^/]*' "$WORK/server.out" | head -1)
  [ -n "$BASE" ] || { cat "$WORK/server.err" >&2; echo "server did not start" >&2; exit 1; }
}

# req METHOD PATH [curl args...] → sets STATUS and BODY (file $WORK/body); cookies in $JAR (default
# $WORK/cookies), so a test can act as several users at once
req() {
  local m=$1 p=$2; shift 2
  local jar=${JAR:-$WORK/cookies}
  STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$m" -b "$jar" -c "$jar" "$@" "$BASE$p")
  BODY=$(cat "$WORK/body")
}

ok()   { passes=$((passes+1)); echo "ok - $*"; }
fail() { fails=$((fails+1)); echo "FAIL - $*"; echo "  status=$STATUS body=${BODY:0:400}"; }
expect_status() { if [ "$STATUS" = "$1" ]; then ok "$2"; else fail "$2 (expected $1)"; fi; }

# jq-like check with python: jcheck 'expr over d' 'description'
jcheck() {
  if python3 -c "import json,sys; d=json.load(open('$WORK/body')); sys.exit(0 if ($1) else 1)" 2>/dev/null; then ok "$2"; else fail "$2"; fi
}

csrf() { awk '$6=="sv4csrf"{print $7}' "${JAR:-$WORK/cookies}" | tail -1; }

finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
