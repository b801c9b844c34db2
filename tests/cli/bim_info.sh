#!/usr/bin/env bash
# bim info: text and JSON output on the sample models, help, usage errors, broken and structural-only files.
set -u
D="$SRC/tests/data/ifc"
fail() { echo "FAIL: $*" >&2; exit 1; }
"$SMARTV4" bim --help | grep -q "info FILE.ifc" || fail "bim --help"
"$SMARTV4" bim info --help | grep -q "orientation" || fail "bim info --help"
"$SMARTV4" bim info >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file should be a usage error (2)"
out=$("$SMARTV4" bim info "$D/AC20-FZK-Haus.ifc") || fail "text output exit code"
echo "$out" | grep -q "schema:      IFC4" || fail "text schema"
echo "$out" | grep -Eq "Wand-Ext-ERDG-1 +18.76 qto +220 +0.400 pset" || fail "text envelope row: $out"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
for f in AC20-FZK-Haus duplex Office_A_20110811 IfcOpenHouse_IFC4 tested_sample_project; do
  "$SMARTV4" bim info "$D/$f.ifc" --json >"$T/$f.json" || fail "$f exit code"
done
# structural model: read (exit 0), empty envelope, warning on stderr and in JSON
"$SMARTV4" bim info "$D/ISSUE_021_Mini_Project.ifc" --json >"$T/mini.json" 2>"$T/mini.err" || fail "structural exit code"
grep -q "no thermal envelope" "$T/mini.err" || fail "structural warning on stderr"
python3 - "$T" <<'PY' || fail "JSON contract"
import json, sys
t = sys.argv[1]
d = json.load(open(t + "/AC20-FZK-Haus.json"))
assert d["schema"] == "IFC4", d["schema"]
assert d["elements"]["wall"] == 13 and d["elements"]["window"] == 11 and d["elements"]["slab"] == 4, d["elements"]
assert d["elements"]["door"] == 5 and d["elements"]["roof"] == 0
assert d["entities"]["IFCWALLSTANDARDCASE"] == 13
w = [e for e in d["envelope"] if e["id"] == "#21966"][0]
assert w["type"] == "wall" and abs(w["area_m2"] - 18.76) < 0.01 and w["area_source"] == "qto", w
assert w["u"] == 0.4 and w["u_source"] == "pset" and w["orientation_deg"] == 220 and w["external"] is True, w
assert sum(1 for e in d["envelope"] if e["type"] == "window") == 11
for f in ("duplex", "Office_A_20110811", "IfcOpenHouse_IFC4", "tested_sample_project"):
    assert json.load(open(t + "/" + f + ".json"))["has_envelope"], f
m = json.load(open(t + "/mini.json"))
assert m["envelope"] == [] and not m["has_envelope"] and "warning" in m, m
PY
# broken files: exit 1 with line and entity in the message
err=$("$SMARTV4" bim info "$D/broken/truncated_string.ifc" 2>&1); [ $? -eq 1 ] || fail "broken exit code"
echo "$err" | grep -q "truncated_string.ifc:9: entity #2: unterminated string" || fail "broken message: $err"
err=$("$SMARTV4" bim info "$D/broken/not_step.ifc" 2>&1); [ $? -eq 1 ] || fail "not-step exit code"
echo "$err" | grep -q "not a STEP file" || fail "not-step message"
exit 0
