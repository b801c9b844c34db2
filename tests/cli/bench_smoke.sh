#!/usr/bin/env bash
# Smoke run of the benchmarks (`make bench` runs them long): every bench/*.sh (but run.sh) at tiny sizes and short
# durations, against the build under test, everything written under one temporary directory. Asserts that each exits
# 0, prints its figures with numbers that parse and are > 0, and leaves no process behind (the servers stopped, the
# ports free). It does NOT assert the performance targets: smoke runs share a loaded 2-core CI machine and also run
# in the ASan+UBSan build. A peer that is not installed (IFC++, web-ifc) is skipped with the reason printed.
# Environment (from ctest): SMARTV4 (the binary), SRC (repo root), SMARTV4_DATA, XDG_CACHE_HOME.
set -u
: "${SMARTV4:?SMARTV4 not set}" "${SRC:?SRC not set}"
build=$(cd "$(dirname "$SMARTV4")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$SMARTV4" ] || fail "no smartv4 binary at $SMARTV4"
[ -f "$build/libsv4.a" ] || fail "no libsv4.a beside $SMARTV4"
for t in python3 curl wrk nginx hyperfine rg /usr/bin/time; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || fail "$t missing (scripts/deps.sh test installs it)"
done
# every benchmark has its smoke run below: a new bench/*.sh must be added here
for s in "$SRC"/bench/*.sh; do
  case "$(basename "$s" .sh)" in
    run | classify | portal | search_micro | bim_parse) ;;
    *) fail "bench/$(basename "$s") has no smoke run in tests/cli/bench_smoke.sh" ;;
  esac
done

T=$(mktemp -d "${TMPDIR:-/tmp}/sv4-bench-smoke.XXXXXX")
pg= # process group of the bench being run (timeout makes one), stopped if this script is interrupted
holder= # the process keeping a port busy in the failure test
cleanup() {
  [ -n "$pg" ] && kill -TERM -- "-$pg" 2>/dev/null && wait "$pg" 2>/dev/null # the bench's own cleanup runs
  [ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export TMPDIR=$T # the benches' own mktemp dirs go here too

# left GROUP: processes (not zombies) still in process group GROUP or naming a file under $T (the nested timeouts of
# the benches make groups of their own), one "pid cmdline" a line
left() {
  local f line st pid args cmd
  for f in /proc/[0-9]*/stat; do
    read -r line 2>/dev/null <"$f" || continue
    read -r -a st <<<"${line##*) }" # state ppid pgrp ... (after "pid (comm) ")
    [ "${st[0]}" != Z ] || continue
    pid=${f#/proc/}
    pid=${pid%/stat}
    mapfile -d '' args 2>/dev/null <"/proc/$pid/cmdline" || continue
    cmd="${args[*]}"
    if [ "${st[2]}" = "$1" ] || [[ "$cmd" == *"$T/"* ]]; then echo "$pid ${cmd:0:200}"; fi
  done
}

# bench NAME SECONDS ARGS...: runs bench/NAME.sh under a time limit into $T/NAME.log; fails on a non-zero exit (on a
# zero one when SMOKE_EXPECT_FAIL=1) or a process left behind. The environment of the call (VAR=... bench ...) is
# passed on.
bench() {
  local name=$1 limit=$2 rc t0 t1 rest
  shift 2
  t0=$(date +%s%N)
  timeout -k 10 "$limit" bash "$SRC/bench/$name.sh" "$build" "$@" >"$T/$name.log" 2>&1 &
  pg=$!
  wait "$pg"
  rc=$?
  t1=$(date +%s%N)
  rest=$(left "$pg")
  pg=
  t1=$(((t1 - t0) / 100000000))
  echo "=== bench/$name.sh: exit $rc, $((t1 / 10)).$((t1 % 10)) s"
  cat "$T/$name.log"
  if [ -n "$rest" ]; then
    # stop what was left (by pid: only processes of this bench's group), then fail
    while read -r p _; do kill -9 "$p" 2>/dev/null; done <<<"$rest"
    fail "$name left processes behind:"$'\n'"$rest"
  fi
  [ $rc = 124 ] || [ $rc = 137 ] && fail "$name did not finish in $limit s"
  if [ "${SMOKE_EXPECT_FAIL:-0}" = 1 ]; then
    [ $rc != 0 ] || fail "$name should have failed"
  else
    [ $rc = 0 ] || fail "$name exited $rc"
  fi
  return 0
}

# check NAME: python asserts over $T/NAME.log (the program on stdin, after PYLIB); figure(regex) returns the number it
# captures, which must parse and be > 0
check() {
  local prog
  prog=$(cat)
  python3 -c "$PYLIB$prog" "$T/$1.log" || fail "$1: figures missing or not > 0 (output above)"
}
PYLIB='
import os, re, sys
log = open(sys.argv[1], encoding="utf-8", errors="replace").read()
def figure(rx, positive=True):
    m = re.search(rx, log, re.M)
    assert m, "no line matching %r" % rx
    v = float(m.group(1))
    assert v == v and (v > 0 or not positive), "%r: %s" % (rx, m.group(0))
    return v
'

# ---- classify: 1 MB corpus, 2 turns, ripgrep over 1 KB and python re over 2 KB (both crawl), 3 start-up runs --------
BENCH_DIR="$T/classify" BENCH_MB=1 RG_KB=1 PY_KB=2 RG_TIMEOUT=60 STARTUP_RUNS=3 REPEAT=2 bench classify 150
check classify <<'EOF'
num = r"([0-9.]+(?:e[-+]?[0-9]+)?)"
figure(r"^  smartv4 classify --jsonl: " + num + " MB/s")
figure(r"^  ripgrep \(.* MB slice\): (?:<= \(timed out after \d+ s\) )?" + num + " MB/s")
figure(r"^  bare vectorscan: " + num + " MB/s")
figure(r"^  python re +" + num + " MB/s")
figure(r"^classify benchmark: corpus " + num + " MB, ")
figure(r"^classify benchmark: .* MB, (\d+) lines \(\d+ with labels\), \d+ terms")
figure(r"^classify benchmark: .* lines \((\d+) with labels\)")
figure(r"smartv4 / bare scan = " + num + " ")
figure(r"smartv4 / ripgrep = " + num + "x")
figure(r"smartv4 / python re = " + num + "x")
figure(r"^  start-up with cached database: " + num + " ms")
EOF

# ---- portal: 500 records, 2 s of searches, 2 s per static run, on two free ports ------------------------------------
port=$(python3 - <<'PY'
import socket
for _ in range(100):
    a, b = socket.socket(), socket.socket()
    try:
        a.bind(("127.0.0.1", 0))
        p = a.getsockname()[1]
        if p < 65535:
            b.bind(("127.0.0.1", p + 1))
            print(p)
            break
    except OSError:
        pass
    finally:
        a.close()
        b.close()
PY
)
[ -n "$port" ] || fail "no two free consecutive ports"
SV4_BENCH_RECORDS=500 SV4_BENCH_SECONDS=2 SV4_BENCH_STATIC_SECONDS=2 SV4_BENCH_PORT=$port \
  SV4_BENCH_CACHE="$T/cache" bench portal 150
check portal <<'EOF'
assert "Non-2xx" not in log, "searches answered with errors"
figure(r"^portal benchmark: (\d+) records")
figure(r"^searches/s \(wrk, 64 conn\) +([0-9.]+) ")
figure(r"^search p50 +([0-9.]+) ms")
figure(r"^search p99 +([0-9.]+) ms")
figure(r"^server CPU per search +([0-9.]+) us", positive=False)
figure(r"^peak RSS \(VmHWM\) +([0-9.]+) MB")
figure(r"^static smartv4 req/s +([0-9.]+)")
figure(r"^static nginx req/s +([0-9.]+)")
figure(r"^static ratio smartv4/nginx +([0-9.]+)")
EOF
# ports_free P...: nothing listens on them any more (SO_REUSEADDR: connections in TIME_WAIT do not count)
ports_free() {
  python3 - "$@" <<'PY' || fail "portal: port $* still has a listener after the bench"
import socket, sys
for q in map(int, sys.argv[1:]):
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", q))
        s.listen()
    finally:
        s.close()
PY
}
ports_free "$port" $((port + 1))

# ---- portal failing half-way: nginx's port is taken, so it fails after its server started and must still stop it -----
python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
print("ready", flush=True)
time.sleep(600)' $((port + 1)) >"$T/holder.log" 2>&1 &
holder=$!
for _ in $(seq 1 100); do grep -q ready "$T/holder.log" && break; sleep 0.1; done
grep -q ready "$T/holder.log" || fail "could not take port $((port + 1)) for the failure test"
SMOKE_EXPECT_FAIL=1 SV4_BENCH_RECORDS=500 SV4_BENCH_SECONDS=1 SV4_BENCH_STATIC_SECONDS=1 SV4_BENCH_PORT=$port \
  SV4_BENCH_CACHE="$T/cache" bench portal 60
grep -q "portal: server up" "$T/portal.log" || fail "portal failure test: the server did not even start"
kill "$holder" && wait "$holder" 2>/dev/null
holder=
ports_free "$port" $((port + 1))

# ---- search_micro: the same (cached) database of 500 records, 5 rounds of the portal mix ----------------------------
SV4_BENCH_RECORDS=500 SV4_BENCH_ROUNDS=5 SV4_BENCH_CACHE="$T/cache" bench search_micro 60
NQ=$(grep -c '"/api' "$SRC/bench/portal_search.lua") check search_micro <<'EOF'
rows = re.findall(r"^ +([0-9.]+) us +([0-9.]+) us\(p90\)  (/api/v1/search.*)$", log, re.M)
assert len(rows) == int(os.environ["NQ"]), "%d query rows, %s queries in the mix" % (len(rows), os.environ["NQ"])
assert all(float(a) > 0 and float(b) > 0 for a, b, _ in rows), rows
figure(r"^mean ([0-9.]+) us per search")
EOF

# ---- bim_parse: the smallest sample model and a generated one of ~1 MB (one copy of AC20-FZK-Haus) ------------------
SV4_BENCH_FILES="IfcOpenHouse_IFC4" SV4_BENCH_MB=1 SV4_BENCH_DIR="$T" \
  SV4_BENCH_TIMEOUT=60 SV4_BENCH_NPM_TIMEOUT=60 bench bim_parse 150
check bim_parse <<'EOF'
files = ["IfcOpenHouse_IFC4.ifc", "sv4_bench_big_1mb.ifc"]
runners = ["smartv4-index", "smartv4-decode"]
if "IFC++ not available" in log:
    print("bench_smoke: SKIPPED peer IFC++ (bim_parse printed: IFC++ not available; scripts/deps.sh test installs it)")
else:
    runners.append("ifcpp")
if "web-ifc not available" in log:
    print("bench_smoke: SKIPPED peers webifc-open, webifc-lines (bim_parse printed: web-ifc not available: node + "
          "npm ci in bench/webifc failed, e.g. no network)")
else:
    runners += ["webifc-open", "webifc-lines"]
for r in runners:
    for f in files:
        m = re.search(r"^%s +%s +([0-9.]+) MB/s +([0-9.]+) s +([0-9.]+) MB peak +[0-9.]+x size +(\d+) entities$"
                      % (re.escape(r), re.escape(f)), log, re.M)
        assert m, "no figures for %s on %s" % (r, f)
        assert float(m.group(1)) > 0 and float(m.group(3)) > 0 and int(m.group(4)) > 0, m.group(0)
assert "failed" not in log, "a run failed"
EOF

echo "bench_smoke: all benchmarks ran end to end"
