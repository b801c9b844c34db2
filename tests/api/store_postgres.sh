#!/usr/bin/env bash
# The PostgreSQL backend against a real, throw-away PostgreSQL server in a temp dir (unix socket only): the store
# unit tests (test_store with SV4_TEST_PG), then the portal end to end on it (demo import, health, faceted and
# diacritic-insensitive search with snippets). The server is stopped and removed whatever happens.
# Runs as root (CI: initdb/postgres then run as the postgres user) or as an ordinary user.
# The compiled classifier rules are cached per rule set; reuse the user's cache so a second run is quick.
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}"
. "$(dirname "$0")/lib.bash"

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/initdb" ] || PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "FAIL - no PostgreSQL server binaries (install the Debian package postgresql: scripts/deps.sh test)" >&2
  exit 1
fi
TEST_STORE="$(dirname "$SMARTV4")/test_store"

PGDIR=$(mktemp -d /tmp/sv4pg.XXXXXX)
PG_STARTED=0
as_pg() {  # as_pg CMD...: as the postgres user when root (initdb and postgres refuse root), else as ourselves
  if [ "$(id -u)" -eq 0 ]; then (cd "$PGDIR" && runuser -u postgres -- "$@"); else (cd "$PGDIR" && "$@"); fi
}
pg_cleanup() {
  if [ "$PG_STARTED" = 1 ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$PGDIR"
  cleanup
}
trap pg_cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres: "$PGDIR"

as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGDIR/initdb.log" 2>&1 ||
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$PGDIR/initdb.log" 2>&1 ||
  { cat "$PGDIR/initdb.log" >&2; echo "FAIL - initdb" >&2; exit 1; }
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 30 \
  -o "-k $PGDIR -c listen_addresses= -F -c full_page_writes=off" start >/dev/null ||
  { cat "$PGDIR/server.log" >&2; echo "FAIL - postgres did not start" >&2; exit 1; }

psql_() { "$PGBIN/psql" -h "$PGDIR" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
for db in sv4unit sv4e2e; do
  psql_ -d postgres -c "CREATE DATABASE $db" && psql_ -d "$db" -c "CREATE EXTENSION unaccent" ||
    { echo "FAIL - cannot create database $db with unaccent" >&2; exit 1; }
done
ok "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') running in $PGDIR"

# 1. the store unit tests, every test in a fresh schema
if [ -x "$TEST_STORE" ]; then
  if SV4_TEST_PG="host=$PGDIR user=postgres dbname=sv4unit" "$TEST_STORE" >"$WORK/unit.out" 2>&1; then
    ok "test_store on PostgreSQL ($(grep -c '^\[       OK' "$WORK/unit.out") tests)"
  else
    STATUS=- BODY=$(tail -40 "$WORK/unit.out"); fail "test_store on PostgreSQL"
  fi
else
  STATUS=- BODY="$TEST_STORE missing"; fail "test_store binary present"
fi

# 2. the portal on PostgreSQL (a URI this time; the unit tests used key=value)
DB="postgresql://postgres@/sv4e2e?host=$PGDIR"
"$SMARTV4" serve --db "$DB" --port 0 --quiet --demo >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 3000); do  # a cold classifier cache compiles the rules first: allow minutes, not seconds
  grep -q 'http://' "$WORK/server.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; echo "FAIL - server died" >&2; exit 1; }
  sleep 0.1
done
BASE=$(grep -o 'http://[^/]*' "$WORK/server.out" | head -1)
[ -n "$BASE" ] || { cat "$WORK/server.err" >&2; echo "FAIL - server did not start" >&2; exit 1; }

req GET /healthz
expect_status 200 "healthz"
jcheck "d['store'] == 'postgres' and d['records'] >= 40" "store is postgres with the demo data (>= 40 records)"

req GET '/api/v1/search?country=SK&per_page=100'
jcheck "d['total'] >= 1 and all(r['country'] == 'SK' for r in d['results']) and len(d['facets']['country']) >= 4" \
  "country facet filters and stays disjunctive"

req GET '/api/v1/search?q=kosice&country=SK&cross=0'
jcheck "d['total'] >= 1 and all(r['country'] == 'SK' for r in d['results'])" "kosice finds Košice (SK facet)"
jcheck "any('<mark>' in r.get('snippet', '') for r in d['results'])" "snippet highlights the match"

req GET '/api/v1/search?q=gyor%20geoterm*&cross=0'
jcheck "d['total'] >= 1 and any('Gy' in json.dumps(r, ensure_ascii=False) for r in d['results'])" \
  "diacritic-insensitive word plus prefix (gyor geoterm* finds Győr)"

req GET '/api/v1/search?q=%22%29%28*%3A%5E%20OR%20NOT%20%27%5C'
expect_status 200 "query syntax in the text cannot break the search"

# libpq is loaded when a PostgreSQL store is first opened (src/store/postgres/pq.h): a broken client library is a
# clear error, not a crash, and the command line does not load it at all
mkdir -p "$WORK/badlib" && : > "$WORK/badlib/libpq.so.5"
if LD_LIBRARY_PATH="$WORK/badlib" "$SMARTV4" serve --db "$DB" --port 0 --quiet >"$WORK/bad.out" 2>"$WORK/bad.err"; then
  fail "a broken libpq should stop serve"
elif grep -q "cannot load the PostgreSQL client library libpq.so.5" "$WORK/bad.err"; then
  ok "a broken libpq is a clear error: $(head -c 120 "$WORK/bad.err")"
else
  fail "a broken libpq: unexpected message: $(cat "$WORK/bad.err")"
fi
if command -v ldd >/dev/null && ldd "$SMARTV4" | grep -q 'libpq\.so'; then fail "smartv4 links libpq at start"; else ok "libpq not loaded at start"; fi

finish
