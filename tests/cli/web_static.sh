#!/usr/bin/env bash
# The server's web layer without the classifier: static files (ETag, 304, Cache-Control, types, no traversal),
# the interface language choice (?lang=, cookie, Accept-Language with q-values), escaping and CSRF fields in pages.
set -euo pipefail
: "${SMARTV4:?}" "${SRC:?}"
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
# a data directory without rules: the server starts at once (pages fall back to the taxonomy for titles/colours)
mkdir -p "$tmp/data/rules"
for d in "$SRC"/data/*; do [ "$(basename "$d")" = rules ] || ln -s "$d" "$tmp/data/$(basename "$d")"; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SMARTV4_DATA="$tmp/data" "$SMARTV4" serve --db "$tmp/p.db" --port "$port" --demo >"$tmp/log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
fail() { echo "FAIL: $*" >&2; exit 1; }

h=$(curl -fsS -D - -o "$tmp/css" "$base/static/style.css")
grep -qi '^content-type: text/css' <<<"$h" || fail "style.css content type"
etag=$(grep -i '^etag:' <<<"$h" | cut -d' ' -f2 | tr -d '\r')
[ -n "$etag" ] || fail "no ETag"
grep -qi '^cache-control: public' <<<"$h" || fail "no Cache-Control"
cmp -s "$tmp/css" "$SRC/data/web/static/style.css" || fail "style.css body differs from the file"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/static/style.css")
[ "$code" = 304 ] || fail "If-None-Match gave $code, not 304"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "nope"' "$base/static/style.css")
[ "$code" = 200 ] || fail "a stale ETag gave $code"
curl -fsS -D - -o /dev/null "$base/static/app.js" | grep -qi '^content-type: text/javascript' || fail "app.js type"
for bad in '/static/../CMakeLists.txt' '/static/..%2f..%2fetc%2fpasswd' '/static/a%5cb.css' '/static/%2e%2e/x'; do
  code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$base$bad")
  case "$code" in 400 | 404) ;; *) fail "$bad gave $code" ;; esac
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/static/missing.css")" = 404 ] || fail "missing file not 404"

# language: default English, Accept-Language with q-values, ?lang= sets the cookie, the cookie wins over the header
curl -fsS "$base/" | grep -q '<html lang="en">' || fail "default language"
curl -fsS -H 'Accept-Language: de;q=1, sk;q=0.4, cs;q=0.7' "$base/" | grep -q '<html lang="cs">' || fail "q-values"
curl -fsS -H 'Accept-Language: hu-HU' "$base/" | grep -q 'Keresés' || fail "Hungarian text"
h=$(curl -fsS -D - -o "$tmp/pl.html" "$base/search?lang=pl")
grep -qi '^set-cookie: sv4lang=pl' <<<"$h" || fail "?lang= does not set the cookie"
grep -q 'Filtry' "$tmp/pl.html" || fail "Polish search page"
curl -fsS -H 'Cookie: sv4lang=sk' -H 'Accept-Language: hu' "$base/" | grep -q '<html lang="sk">' || fail "cookie before header"
curl -fsS "$base/?lang=xx" | grep -q '<html lang="en">' || fail "unsupported ?lang="

# escaping: the query is shown escaped everywhere
curl -fsS "$base/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E" >"$tmp/s.html"
grep -q '<script>alert' "$tmp/s.html" && fail "unescaped query in the search page"
grep -q '&lt;script&gt;alert(1)' "$tmp/s.html" || fail "query not shown"

# forms carry the CSRF token of the cookie; posts without it are refused
h=$(curl -fsS -D - -o "$tmp/login.html" "$base/login")
tok=$(grep -i '^set-cookie: sv4csrf=' <<<"$h" | sed 's/.*sv4csrf=\([0-9a-f]*\).*/\1/')
[ -n "$tok" ] || fail "no CSRF cookie"
grep -q "name=\"csrf\" value=\"$tok\"" "$tmp/login.html" || fail "login form lacks the CSRF field"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sv4csrf=$tok" --data 'name=x&password=y&csrf=wrong' "$base/login")
[ "$code" = 403 ] || fail "login with a wrong CSRF token gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sv4csrf=$tok" --data "name=x&password=yyyyyyyy&csrf=$tok" "$base/login")
[ "$code" = 401 ] || fail "wrong password gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/review")
[ "$code" = 303 ] || fail "anonymous review queue gave $code"
# pages exist and are HTML
for p in / /search /records/1 '/compare?ids=1,2' /classify /login; do
  curl -fsS -D - -o /dev/null "$base$p" | grep -qi '^content-type: text/html' || fail "$p is not HTML"
done
curl -fsS "$base/records/1" | grep -q '<svg class="chart bars"' || fail "record page has no SDG chart"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/records/999999")" = 404 ] || fail "missing record not 404"
curl -fsS "$base/api/v1/openapi.json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["openapi"].startswith("3.") and "/api/v1/search" in d["paths"]' \
  || fail "openapi.json"
echo "web_static: ok"
