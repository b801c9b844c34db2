#!/usr/bin/env bash
# bim tabula: one variant step by step; the JSON keys of the reference file; a clear error for an unknown code.
set -eu
out=$("$SMARTV4" bim tabula CZ.N.AB.01.Gen.ReEx.001.001)
grep -q "q_h_nd *152.9" <<<"$out" || { echo "text output lacks q_h_nd 152.9"; echo "$out"; exit 1; }
json=$("$SMARTV4" bim tabula CZ.N.AB.01.Gen.ReEx.001.002 --json)
python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
for k in ["q_ht", "q_sol", "q_int", "tau", "a_H", "gamma_h_gn", "eta_h_gn", "q_h_nd", "inputs"]:
    assert k in d, k
assert abs(d["q_h_nd"] - 67.4) <= 0.5, d["q_h_nd"]
assert abs(d["q_h_nd"] - d["reference"]["q_h_nd"]) <= 0.5
PY
if "$SMARTV4" bim tabula XX.NOPE 2>err.txt; then echo "unknown code accepted"; exit 1; fi
grep -q "no building variant" err.txt
rm -f err.txt
"$SMARTV4" bim tabula --list | grep -q "^PL.N.SFH.01.Gen.ReEx.001.001"
