#!/usr/bin/env bash
# bim assess --db: funding from the portal's published funding records when the database has any (country,
# applicant type, status, draft and renovation topic decide; every item names its record), else from data/funding/;
# a missing database is an error, not a new empty one.
set -eu
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
typ=CZ.N.SFH.03.Gen.ReEx.001
lab() { printf '[{"scheme":"%s","code":"%s","score":0.9}]' "$1" "$2"; }
{
  # 1 fits: CZ, households, renovation wave
  printf '{"type":"funding","slug":"f-cz","lang":"en","country":"CZ","title":{"en":"Test CZ renovation grant"},"status":"open","url":"https://example.org/cz","countries":["CZ"],"applicant_types":["household"],"labels":%s}\n' "$(lab egd buildings)"
  # 2 fits the heat pump and PV variants only: EU-wide, clean energy
  printf '{"type":"funding","slug":"f-eu","lang":"en","title":{"en":"Test EU clean energy fund"},"countries":["EU"],"labels":%s}\n' "$(lab egd energy)"
  # 3 closed, 4 draft, 5 Poland only, 6 universities only, 7 no renovation topic, 8 not a funding record
  printf '{"type":"funding","slug":"f-closed","lang":"en","country":"CZ","title":{"en":"Test closed"},"status":"closed","countries":["CZ"],"labels":%s}\n' "$(lab egd buildings)"
  printf '{"type":"funding","slug":"f-draft","lang":"en","country":"CZ","title":{"en":"Test draft"},"published":false,"countries":["CZ"],"labels":%s}\n' "$(lab egd buildings)"
  printf '{"type":"funding","slug":"f-pl","lang":"en","country":"PL","title":{"en":"Test PL only"},"countries":["PL"],"labels":%s}\n' "$(lab egd buildings)"
  printf '{"type":"funding","slug":"f-uni","lang":"en","country":"CZ","title":{"en":"Test universities"},"countries":["CZ"],"applicant_types":["university"],"labels":%s}\n' "$(lab egd buildings)"
  printf '{"type":"funding","slug":"f-mob","lang":"en","country":"CZ","title":{"en":"Test mobility"},"countries":["CZ"],"labels":%s}\n' "$(lab egd mobility)"
  printf '{"type":"project","slug":"p-cz","lang":"en","country":"CZ","title":{"en":"Test project"},"labels":%s}\n' "$(lab egd buildings)"
} >"$tmp/r.jsonl"
"$SMARTV4" import --db "$tmp/portal.db" --no-classify "$tmp/r.jsonl" >/dev/null
"$SMARTV4" bim assess --typology $typ --db "$tmp/portal.db" --json >"$tmp/a.json"
"$SMARTV4" bim assess --typology $typ --db "$tmp/portal.db" >"$tmp/a.txt"
grep -q "Test CZ renovation grant \[portal #1\]" "$tmp/a.txt"
grep -q "Funding programmes from portal funding records" "$tmp/a.txt"
python3 - "$tmp/a.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
assert a["economics"]["funding"] == "portal funding records", a["economics"]
v = {x["name"]: x for x in a["variants"]}
names = lambda n: sorted(f["name"] for f in v[n]["funding"])
assert names("envelope (standard)") == ["Test CZ renovation grant"], names("envelope (standard)")
assert names("heat pump") == ["Test CZ renovation grant", "Test EU clean energy fund"], names("heat pump")
assert names("PV on the roof") == ["Test EU clean energy fund"], names("PV on the roof")
for x in a["variants"]:
    for f in x["funding"]:
        assert f["source"] == "portal funding record #%d" % f["record_id"], f
        assert f["record_id"] in (1, 2), f
cz = next(f for f in v["envelope (standard)"]["funding"])
assert cz["country"] == "CZ" and cz["url"] == "https://example.org/cz", cz
eu = next(f for f in v["PV on the roof"]["funding"])
assert eu["country"] == "EU", eu
PY
# another applicant type: the household-only grant no longer fits, the open EU fund still does
"$SMARTV4" bim assess --typology $typ --db "$tmp/portal.db" --applicant university --json >"$tmp/u.json"
python3 - "$tmp/u.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
got = {f["name"] for x in a["variants"] for f in x["funding"]}
assert got == {"Test universities", "Test EU clean energy fund"}, got
PY
# a database whose only funding record is a draft has none: data/funding/ is used, and says so
grep '"f-draft"' "$tmp/r.jsonl" >"$tmp/d.jsonl"
"$SMARTV4" import --db "$tmp/drafts.db" --no-classify "$tmp/d.jsonl" >/dev/null
"$SMARTV4" bim assess --typology $typ --db "$tmp/drafts.db" --json >"$tmp/d.json"
python3 - "$tmp/d.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
assert a["economics"]["funding"] == "data/funding/programmes.csv", a["economics"]
fs = [f for x in a["variants"] for f in x["funding"]]
assert fs and all(f["source"] == "data/funding/programmes.csv" for f in fs), fs
PY
# a missing database is an error and is not created
if "$SMARTV4" bim assess --typology $typ --db "$tmp/none.db" 2>"$tmp/err"; then exit 1; fi
grep -q "no such database" "$tmp/err"
[ ! -e "$tmp/none.db" ]
exit 0
