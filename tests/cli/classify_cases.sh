#!/usr/bin/env bash
# Data-driven classification cases: every tests/data/classify/*.jsonl line {"id","lang","text","expect":{scheme:
# [codes]},"forbid":{scheme:[codes]}} is classified with the shipped rules; lists each case whose expected codes are
# missing or forbidden codes present, and prints a pass count per language.
set -uo pipefail
: "${SMARTV4:?}" "${SRC:?}"
shopt -s nullglob
files=("$SRC"/tests/data/classify/*.jsonl)
[ ${#files[@]} -gt 0 ] || { echo "no case files"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat "${files[@]}" | grep -v '^\s*$' > "$tmp/in.jsonl"
"$SMARTV4" classify --jsonl < "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err"
if [ ! -s "$tmp/out.jsonl" ]; then echo "FAIL: no output:"; cat "$tmp/err"; exit 1; fi
python3 - "$tmp/in.jsonl" "$tmp/out.jsonl" <<'PY'
import json, sys, collections
cases = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
outs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
if len(cases) != len(outs):
    print(f"FAIL: {len(cases)} inputs but {len(outs)} output lines"); sys.exit(1)
passed, total, fails = collections.Counter(), collections.Counter(), []
for c, o in zip(cases, outs):
    lang = c.get("lang") or c["id"].split("-")[0]
    total[lang] += 1
    if "error" in o:
        fails.append(f"{c['id']}: error {o['error']}"); continue
    problems = []
    for scheme, codes in (c.get("expect") or {}).items():
        got = set(map(str, o.get(scheme, [])))
        miss = [x for x in codes if str(x) not in got]
        if miss: problems.append(f"{scheme} missing {miss}")
    for scheme, codes in (c.get("forbid") or {}).items():
        got = set(map(str, o.get(scheme, [])))
        bad = [x for x in codes if str(x) in got]
        if bad: problems.append(f"{scheme} forbidden {bad}")
    if problems:
        fails.append(f"{c['id']}: " + "; ".join(problems) + f"  (got sdg={o.get('sdg')} egd={o.get('egd')} taxonomy={o.get('taxonomy')} smartcity={o.get('smartcity')})")
    else:
        passed[lang] += 1
for f in fails: print("FAIL", f)
for lang in sorted(total): print(f"{lang}: {passed[lang]}/{total[lang]} cases pass")
sys.exit(1 if fails else 0)
PY
