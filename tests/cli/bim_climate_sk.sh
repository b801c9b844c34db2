#!/usr/bin/env bash
# Slovak climate rows: data/climate/monthly.csv's SK.* rows are exactly what gen_sk.py makes of sk-sources.csv, and the
# gen_sk.py pipeline (validation, ratio derivation of the vertical orientations, --write) yields rows the binary loads.
# The pipeline check uses a synthetic SK.TEST location that copies CZ.SE (temperatures, horizontal irradiation and
# ratio donor), in a temporary data dir only: its derived vertical values must equal CZ.SE's and so must q_h_nd.
set -eu
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gen="$SRC/data/climate/gen_sk.py"

# 1. The real table: monthly.csv's SK rows are generated, never hand-typed.
python3 "$gen" --check >/dev/null

# 2. Synthetic pipeline run in a copy of the data dir.
mkdir -p "$tmp/data/climate"
for d in "$SRC"/data/*; do [ "$(basename "$d")" = climate ] || ln -s "$d" "$tmp/data/"; done
cp "$SRC/data/climate/monthly.csv" "$tmp/data/climate/monthly.csv"
python3 - "$tmp/data/climate/monthly.csv" "$tmp/sk-sources.csv" <<'PY'
import csv, sys
rows = {r["code"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
se = rows["CZ.SE"]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("# synthetic test input: a copy of CZ.SE, not Slovak data\n")
    f.write("code,name,month,theta_e,theta_station,theta_period,theta_source,I_Sol_Hor,irr_site,irr_period,"
            "irr_source,ratio_donor,licence\n")
    for m in range(1, 13):
        f.write("SK.TEST,synthetic test row,%d,%s,test,test,copy of CZ.SE,%s,test,test,copy of CZ.SE,CZ.SE,test\n"
                % (m, se["theta_e_%02d" % m], se["I_Sol_Hor_%02d" % m]))
PY
python3 "$gen" --sources "$tmp/sk-sources.csv" --monthly "$tmp/data/climate/monthly.csv" --write >/dev/null
python3 "$gen" --sources "$tmp/sk-sources.csv" --monthly "$tmp/data/climate/monthly.csv" --check >/dev/null
python3 - "$tmp/data/climate/monthly.csv" <<'PY'
import csv, sys
rows = {r["code"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
t, se = rows["SK.TEST"], rows["CZ.SE"]
assert t["country"] == "SK"
for k in se:
    if k.startswith(("theta_e_", "I_Sol_")):
        assert abs(float(t[k]) - float(se[k])) < 1e-9, (k, t[k], se[k])
assert "ratios of TABULA CZ.SE" in t["source"], t["source"]
PY
# A broken source table is refused (11 months).
grep -v ',12,' "$tmp/sk-sources.csv" >"$tmp/bad.csv"
if python3 "$gen" --sources "$tmp/bad.csv" --monthly "$tmp/data/climate/monthly.csv" 2>"$tmp/err"; then exit 1; fi
grep -q "12 months" "$tmp/err"

# --help lists the locations from monthly.csv: the new Slovak row shows up, the "no Slovak rows" hint goes
SMARTV4_DATA="$tmp/data" "$SMARTV4" bim assess --help >"$tmp/help.txt"
grep -q "SK.TEST *SK *synthetic test row" "$tmp/help.txt"
if grep -q "Slovakia has no climate rows" "$tmp/help.txt"; then exit 1; fi
"$SMARTV4" bim assess --help | grep -q "Slovakia has no climate rows"

typ=CZ.N.SFH.05.Gen.ReEx.001
SMARTV4_DATA="$tmp/data" "$SMARTV4" bim assess --typology $typ --location SK.TEST --country SK --json >"$tmp/sk.json"
SMARTV4_DATA="$tmp/data" "$SMARTV4" bim assess --typology $typ --location CZ.SE --json >"$tmp/se.json"
python3 - "$tmp/sk.json" "$tmp/se.json" <<'PY'
import json, sys
sk, se = (json.load(open(p)) for p in sys.argv[1:3])
assert sk["climate"]["code"] == "SK.TEST", sk["climate"]
assert abs(sk["baseline"]["q_h_nd"] - se["baseline"]["q_h_nd"]) < 1e-6, (sk["baseline"]["q_h_nd"], se["baseline"]["q_h_nd"])
PY
exit 0
