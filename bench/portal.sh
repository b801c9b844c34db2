#!/usr/bin/env bash
# Portal benchmark (issue 3 bars): N synthetic records (bench/gen_records.py, imported with
# `smartv4 import --no-classify --batch`, labels from the JSONL), then wrk at 64 connections against a mix of faceted
# searches (bench/portal_search.lua), the server's CPU per search and memory, and in the same run the static-file
# throughput of smartv4 against nginx serving the same CSS file.
# Usage: bench/portal.sh [BUILD_DIR] [--db-only]   (run by `make bench` through bench/run.sh; `make check` runs it
#        at tiny sizes in tests/cli/bench_smoke.sh)
#   --db-only: only make sure the database of N records exists (generated once, kept in the cache) and print its path
#   (bench/search_micro.sh uses it).
# Environment: SV4_BENCH_RECORDS (default 100000), SV4_BENCH_SECONDS (wrk duration for searches, default 20),
#              SV4_BENCH_STATIC_SECONDS (wrk duration for each static-file run, default 10),
#              SV4_BENCH_CACHE (where generated databases are kept between runs, default /tmp/sv4-bench-cache),
#              SV4_BENCH_PORT (default 18640; nginx uses PORT+1), SV4_BENCH_THREADS (serve --threads; default: the
#              server's own choice).
# Traffic goes to 127.0.0.1 only; the server and nginx are stopped whatever happens (also on INT/TERM/HUP).
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
db_only=0
[ "${2:-}" = --db-only ] && db_only=1
case "$build" in /*) ;; *) build="$src/$build" ;; esac
bin="$build/smartv4"
n=${SV4_BENCH_RECORDS:-100000}
secs=${SV4_BENCH_SECONDS:-20}
static_secs=${SV4_BENCH_STATIC_SECONDS:-10}
port=${SV4_BENCH_PORT:-18640}
nport=$((port + 1))
cache=${SV4_BENCH_CACHE:-/tmp/sv4-bench-cache}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv4-bench-portal.XXXXXX")
srv_pid='' ngx_pid=''
# running PID: exists and is not a zombie waiting to be reaped
running() {
  local st
  read -r st 2>/dev/null <"/proc/$1/stat" || return 1
  st=${st##*) } # "pid (comm) state ..."
  [ "${st%% *}" != Z ]
}

# Waits until URL answers (TRIES polls, PAUSE seconds apart) while process PID runs; its LOG is shown if it dies.
wait_for() {
  local url=$1 pid=$2 log=$3 tries=$4 pause=$5 i
  for ((i = 0; i < tries; i++)); do
    curl -sf -m 5 -o /dev/null "$url" && return 0
    running "$pid" || { cat "$log" >&2; return 1; }
    sleep "$pause"
  done
  curl -sf -m 5 -o /dev/null "$url"
}

# stop PID: TERM, up to 10 s for it to exit (the server finishes its requests, nginx its workers), then KILL;
# returns its exit status (137 when it had to be killed)
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do running "$1" || break; sleep 0.1; done
  running "$1" && kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  [ -n "$ngx_pid" ] && stop "$ngx_pid"
  [ -n "$srv_pid" ] && stop "$srv_pid"
  ngx_pid='' srv_pid=''
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
needed="python3"
[ $db_only = 1 ] || needed="wrk nginx python3 curl"
for t in $needed; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "portal: $t missing (scripts/deps.sh bench)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "portal: $bin missing (build first)" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
css="$src/data/web/static/style.css"
[ -f "$css" ] || { echo "portal: $css missing" >&2; exit 1; }

# ---- data: generated once per (N, generator, import code, FTS text) and kept in the cache --------------------------
key=$(cat "$src/bench/gen_records.py" "$src/src/cli/cmd_import.c" "$src/src/store/sqlite.c" \
  "$src/src/store/fts_tokenizer.c" "$src/src/store/store.c" | md5sum | cut -c1-12)
db="$cache/portal-$n-$key.db"
mkdir -p "$cache"
if [ ! -f "$db" ]; then
  echo "portal: generating $n records and importing them (once; kept as $db)" >&2
  t0=$(date +%s)
  python3 "$src/bench/gen_records.py" "$n" | split -l 25000 -d --additional-suffix=.jsonl - "$tmp/part" || exit 1
  rm -f "$db.tmp"*
  "$bin" import --db "$db.tmp" --no-classify --batch 2000 "$tmp"/part*.jsonl >"$tmp/import.log" 2>&1 || {
    tail -5 "$tmp/import.log" >&2
    exit 1
  }
  mv "$db.tmp" "$db" && rm -f "$db.tmp"-*
  rm -f "$tmp"/part*.jsonl
  echo "portal: import took $(($(date +%s) - t0)) s: $(tail -1 "$tmp/import.log")" >&2
fi
if [ $db_only = 1 ]; then
  echo "$db"
  exit 0
fi

# ---- server -------------------------------------------------------------------------------------------------------
cp "$db" "$tmp/portal.db"
t0=$(date +%s)
"$bin" serve --db "$tmp/portal.db" --port "$port" --quiet ${SV4_BENCH_THREADS:+--threads "$SV4_BENCH_THREADS"} \
  >"$tmp/serve.log" 2>&1 &
srv_pid=$!
wait_for "http://127.0.0.1:$port/healthz" "$srv_pid" "$tmp/serve.log" 600 0.5 || {
  echo "portal: the server did not start" >&2
  exit 1
}
echo "portal: server up in $(($(date +%s) - t0)) s"
rss_start=$(awk '/VmRSS/ {print $2}' "/proc/$srv_pid/status")

# every record once (fills the per-record caches: worst-case memory), then every query of the mix once
pages=$(((n + 999) / 1000))
for p in $(seq 1 "$pages"); do
  curl -sf -m 120 -o /dev/null "http://127.0.0.1:$port/api/v1/search?per_page=1000&page=$p"
done
grep -o '"/api[^"]*"' "$src/bench/portal_search.lua" | tr -d '"' | while read -r u; do
  curl -s -m 60 -o /dev/null -w "%{http_code} %{time_total}s $u\n" "http://127.0.0.1:$port$u" >>"$tmp/warm.log"
done
grep -v '^200 ' "$tmp/warm.log" && { echo "portal: a query of the mix failed" >&2; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$srv_pid/stat"; }
hz=$(getconf CLK_TCK)
c0=$(ticks)
wrk -t2 -c64 -d"${secs}s" --latency -s "$src/bench/portal_search.lua" "http://127.0.0.1:$port" >"$tmp/search.txt" 2>&1
c1=$(ticks)
cat "$tmp/search.txt"

# ---- static file: smartv4 vs nginx on the same file ----------------------------------------------------------------
mkdir -p "$tmp/nginx/root/static" "$tmp/nginx/logs"
cp "$css" "$tmp/nginx/root/static/style.css"
# as root, nginx's workers would run as nobody and could not read the file under the private (0700) temporary dir
user_line=
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy; fastcgi_temp_path $tmp/nginx/fcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  types { text/css css; }
  sendfile on;
  server { listen 127.0.0.1:$nport; root $tmp/nginx/root; }
}
EOF
# in the foreground of a background job (daemon off): its pid is known at once and cleanup can wait for it
"$nginx_bin" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" 2>"$tmp/nginx/start.log" &
ngx_pid=$!
wait_for "http://127.0.0.1:$nport/static/style.css" "$ngx_pid" "$tmp/nginx/start.log" 100 0.1 || {
  echo "portal: nginx does not serve the file" >&2
  exit 1
}
curl -sf -m 30 -o /dev/null "http://127.0.0.1:$port/static/style.css" ||
  { echo "portal: smartv4 does not serve /static/style.css" >&2; exit 1; }
wrk -t2 -c64 -d"${static_secs}s" "http://127.0.0.1:$port/static/style.css" >"$tmp/static_sv4.txt" 2>&1
wrk -t2 -c64 -d"${static_secs}s" "http://127.0.0.1:$nport/static/style.css" >"$tmp/static_nginx.txt" 2>&1
stop "$ngx_pid"
ngx_pid=

hwm=$(awk '/VmHWM/ {print $2}' "/proc/$srv_pid/status")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$srv_pid/status")
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
reqs=$(awk '/requests in/ {print $1}' "$tmp/search.txt")
errs=$(awk '/Non-2xx|Socket errors/' "$tmp/search.txt")
# the server stops cleanly on TERM (in a sanitizer build this is also where leaks are reported)
stop "$srv_pid"
srv_rc=$?
srv_pid=
python3 - "$n" "$(rps "$tmp/search.txt")" "$(pct "$tmp/search.txt" 50%)" "$(pct "$tmp/search.txt" 90%)" \
  "$(pct "$tmp/search.txt" 99%)" "$reqs" "$((c1 - c0))" "$hz" "$hwm" "$rss" "$rss_start" \
  "$(rps "$tmp/static_sv4.txt")" "$(rps "$tmp/static_nginx.txt")" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$errs" <<'EOF'
import sys
(n, rps, p50, p90, p99, reqs, ticks, hz, hwm, rss, rss0, s_sv4, s_ngx, cores, load, errs) = sys.argv[1:17]
def ms(v):
    v = v.strip()
    for suf, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if v.endswith(suf):
            return float(v[: -len(suf)]) * f
    return float("nan")
rps, s_sv4, s_ngx = float(rps), float(s_sv4), float(s_ngx)
cpu_us = int(ticks) / int(hz) * 1e6 / max(int(reqs), 1)
ratio = s_sv4 / s_ngx if s_ngx else 0.0
def rate(v):  # at least 3 significant digits: a slow (sanitizer, smoke) run never prints 0
    return "%.0f" % v if v >= 100 else "%.3g" % v
rows = [
    ("searches/s (wrk, 64 conn)", rate(rps), ">= 5000", rps >= 5000),
    ("search p50", "%.2f ms" % ms(p50), "", None),
    ("search p90", "%.2f ms" % ms(p90), "", None),
    ("search p99", "%.2f ms" % ms(p99), "<= 10 ms", ms(p99) <= 10),
    ("server CPU per search", "%.0f us" % cpu_us, "<= 400 us (5000/s on 2 cores)", cpu_us <= 400),
    ("peak RSS (VmHWM)", "%.1f MB" % (int(hwm) / 1024), "<= 300 MB", int(hwm) / 1024 <= 300),
    ("RSS at start / after run", "%.1f / %.1f MB" % (int(rss0) / 1024, int(rss) / 1024), "", None),
    ("static smartv4 req/s", rate(s_sv4), "", None),
    ("static nginx req/s", rate(s_ngx), "", None),
    ("static ratio smartv4/nginx", "%.2f" % ratio, ">= 0.5", ratio >= 0.5),
]
print("\nportal benchmark: %s records, %s cores, load average %s%s" % (n, cores, load, ("; " + errs) if errs else ""))
print("%-30s %-18s %-32s %s" % ("measure", "value", "target", "met"))
for name, val, target, ok in rows:
    print("%-30s %-18s %-32s %s" % (name, val, target, "" if ok is None else ("yes" if ok else "NO")))
EOF
py_rc=$?
if [ $srv_rc -ne 0 ]; then
  echo "portal: the server exited with status $srv_rc on TERM$([ $srv_rc = 137 ] && echo " (killed: still running 10 s after TERM)"):" >&2
  tail -30 "$tmp/serve.log" >&2
  exit 1
fi
exit $py_rc
