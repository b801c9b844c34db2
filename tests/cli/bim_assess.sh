#!/usr/bin/env bash
# bim assess --typology: JSON contract, variants sorted by NPV, cost override, funding items with their origin,
# location list in --help (read from data/climate/monthly.csv), errors.
set -eu
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# --help lists the locations of data/climate/monthly.csv, every one of them
"$SMARTV4" bim assess --help >"$tmp/help.txt"
for code in $(cut -d, -f1 "$SRC/data/climate/monthly.csv" | tail -n +2); do grep -q "  $code " "$tmp/help.txt" || { echo "--help lacks $code"; exit 1; }; done
"$SMARTV4" bim assess --typology CZ.N.SFH.03.Gen.ReEx.001 --json >"$tmp/a.json"
printf 'country,measure,eur_per_unit,unit,year,source\nCZ,heat_pump,1,unit,2024,test\n' >"$tmp/costs.csv"
"$SMARTV4" bim assess --typology CZ.N.SFH.03.Gen.ReEx.001 --json --costs "$tmp/costs.csv" >"$tmp/b.json"
python3 - "$tmp/a.json" "$tmp/b.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
for k in ["building", "climate", "baseline", "variants"]:
    assert k in a, k
for k in ["q_h_nd", "delivered", "primary", "co2"]:
    assert a["baseline"][k] > 0, k
v = a["variants"]
assert len(v) >= 10
keys = ["name", "measures", "u_values", "q_h_nd", "delivered_kwh", "primary_kwh", "co2_kg", "cost_eur",
        "savings_eur_per_year", "payback_years", "npv_eur", "funding"]
for x in v:
    for k in keys: assert k in x, k
npv = [x["npv_eur"] for x in v]
assert npv == sorted(npv, reverse=True), "not sorted by NPV"
names = [x["name"] for x in v]
assert any(n.startswith("TABULA") for n in names), names
env = next(x for x in v if x["name"] == "envelope (standard)")
assert env["q_h_nd"] < 0.6 * a["baseline"]["q_h_nd"]
assert env["u_values"]["Wall_1"] < 0.35
assert any("zelená" in f["name"] for f in env["funding"]), env["funding"]
for x in v:  # without --db every funding item comes from data/ and says so
    for f in x["funding"]:
        assert f["source"] == "data/funding/programmes.csv" and "record_id" not in f and f["country"] in ("CZ", "EU"), f
assert a["economics"]["funding"] == "data/funding/programmes.csv", a["economics"]
hp = lambda d: next(x for x in d["variants"] if x["name"] == "heat pump")
assert hp(b)["cost_eur"] < 10 and hp(a)["cost_eur"] > 1000, (hp(a)["cost_eur"], hp(b)["cost_eur"])
PY
if "$SMARTV4" bim assess --typology CZ.N.SFH.03.Gen.ReEx.001 --location XX.Y 2>"$tmp/err"; then exit 1; fi
grep -q "unknown location" "$tmp/err"
if "$SMARTV4" bim assess 2>/dev/null; then exit 1; fi
exit 0
