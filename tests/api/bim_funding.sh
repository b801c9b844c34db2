#!/usr/bin/env bash
# Building assessments take their funding from the portal's funding records when the store has any: on a fresh
# database (no funding records) the variants' funding comes from data/funding/programmes.csv; once a reviewer
# publishes a funding record classified under a renovation topic, POST /api/v1/buildings/assess and the /buildings
# page list that record (with its origin and a link to it) and no data/ programme any more; a draft does not count.
. "$(dirname "$0")/lib.bash"

start_server
typ=CZ.N.SFH.05.Gen.ReEx.001

req POST /api/v1/buildings/assess -F typology=$typ
expect_status 200 "assess with no funding records in the store"
jcheck "d['economics']['funding'] == 'data/funding/programmes.csv'" "funding from data/ when the store has none"
jcheck "any(f['source'] == 'data/funding/programmes.csv' for v in d['variants'] for f in v['funding'])" "data/ items say where they come from"

SV4_PASSWORD=review-pass-1 "$SMARTV4" user add --db "$DB" --role reviewer rita >/dev/null
req POST /api/v1/login -H 'Content-Type: application/json' --data '{"name":"rita","password":"review-pass-1"}'
expect_status 200 "reviewer logs in"
TOKEN=$(csrf)

# a draft funding record does not switch the source
req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data '{"type":"funding","lang":"en","country":"CZ","countries":["CZ"],"applicant_types":["household"],"published":false,"title":{"en":"Draft renovation grant"},"summary":{"en":"Grants for the thermal insulation of family houses."}}'
expect_status 201 "draft funding record created"
DRAFT=$(python3 -c "import json; print(json.load(open('$WORK/body'))['id'])")
req POST "/api/v1/records/$DRAFT/labels" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"scheme":"egd","code":"buildings","action":"add","reason":"renovation"}'
expect_status 200 "draft labelled"
req POST /api/v1/buildings/assess -F typology=$typ
jcheck "d['economics']['funding'] == 'data/funding/programmes.csv'" "a draft funding record is not used"

# a published one, classified under the renovation wave, for Czech households
req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data '{"type":"funding","lang":"en","country":"CZ","countries":["CZ"],"applicant_types":["household"],"status":"open","url":"https://example.org/grant","published":true,"title":{"en":"Test home renovation grant"},"summary":{"en":"Grants for households: thermal insulation of walls and roofs, new windows and heat pumps in family houses."}}'
expect_status 201 "funding record published"
FID=$(python3 -c "import json; print(json.load(open('$WORK/body'))['id'])")
req POST "/api/v1/records/$FID/labels" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"scheme":"egd","code":"buildings","action":"add","reason":"renovation"}'
expect_status 200 "funding record labelled as renovation wave"

req POST /api/v1/buildings/assess -F typology=$typ
expect_status 200 "assess with a funding record in the store"
jcheck "d['economics']['funding'] == 'portal funding records'" "the store's funding records are the source"
jcheck "[f['name'] for f in next(v for v in d['variants'] if v['name'] == 'envelope (standard)')['funding']] == ['Test home renovation grant']" "the record fits the envelope package"
jcheck "all(f['record_id'] == $FID and f['source'] == 'portal funding record #$FID' and f['url'] == 'https://example.org/grant' for v in d['variants'] for f in v['funding'])" "every item is that record and names it"
jcheck "not any('zelen' in f['name'] for v in d['variants'] for f in v['funding'])" "no data/ programme once the store has funding records"

# another country's building does not get the Czech record
req POST /api/v1/buildings/assess -F typology=PL.N.SFH.01.Gen.ReEx.001 -F country=PL
if [ "$STATUS" = 200 ]; then
  jcheck "d['economics']['funding'] == 'portal funding records' and not any(v['funding'] for v in d['variants'])" "a Polish building gets no Czech programme"
else
  fail "assess a Polish typology building"
fi

# the page shows it with a link to the record
req GET /buildings
req POST /buildings -F csrf="$(csrf)" -F typology=$typ
expect_status 200 "buildings page assessment"
grep -q "href=\"/records/$FID\">Test home renovation grant</a>" "$WORK/body" && ok "the page links the funding record" || fail "the page links the funding record"
grep -q "portal funding records" "$WORK/body" && ok "the page says where funding comes from" || fail "the page says where funding comes from"
finish
