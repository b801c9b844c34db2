#!/usr/bin/env bash
# The REST API against a real server on a fresh SQLite file with the demo data: health, search and facets,
# cross-language search, records CRUD with roles, review, compare, funding, exports, feeds, and broken input.
. "$(dirname "$0")/lib.bash"

start_server --demo

req GET /healthz
expect_status 200 "healthz"
jcheck "d['records'] >= 40 and d['store'] == 'sqlite'" "demo data imported (>= 40 records)"
classifier=$(python3 -c "import json; print(1 if json.load(open('$WORK/body'))['classifier'] else 0)")

req GET /api/v1/openapi.json
expect_status 200 "openapi served"
jcheck "d['openapi'].startswith('3.') and '/api/v1/search' in d['paths']" "openapi describes the search"

req GET '/api/v1/search?per_page=5'
expect_status 200 "search all"
jcheck "d['total'] >= 40 and len(d['results']) == 5 and set(['type','country','sdg','egd','taxonomy','smartcity','year','lang','review','region','target']) <= set(d['facets'])" "search returns a page and every facet"
jcheck "sum(v['count'] for v in d['facets']['country']) >= d['total']" "country facet counts cover all records"

req GET '/api/v1/search?country=PL&per_page=1000'
jcheck "d['total'] >= 10 and all(r['country'] == 'PL' for r in d['results'])" "country facet filters"
jcheck "len(d['facets']['country']) >= 4" "country facet stays disjunctive (other countries counted)"

req GET '/api/v1/search?type=funding&country=CZ'
jcheck "all(r['type'] == 'funding' and r['country'] == 'CZ' for r in d['results'])" "type and country combine"

req GET '/api/v1/search?q=geothermal&cross=0'
jcheck "d['total'] >= 1 and any('<mark>' in r.get('snippet','') for r in d['results'])" "full-text search with highlighted snippet"

req GET '/api/v1/search?q=kosice&cross=0'
jcheck "d['total'] >= 1" "diacritic-insensitive search (kosice finds Košice)"

if [ "$classifier" = 1 ]; then
  req GET '/api/v1/search?q=odnawialne%20%C5%BAr%C3%B3d%C5%82a%20energii&per_page=100'
  jcheck "any(r['country'] != 'PL' for r in d['results']) and d.get('also_codes')" "a Polish theme query finds records in other languages"
  req GET '/api/v1/search?sdg=7&per_page=100'
  jcheck "d['total'] >= 3 and all(7 in r['sdg'] for r in d['results'])" "SDG facet filter"
fi

req GET '/api/v1/search?sdg=99'
expect_status 400 "bad facet value is a 400"
jcheck "d['error']['code'] == 'bad_request' and d['error']['message']" "error body shape"
long=$(python3 -c "print('a'*3000)")
req GET "/api/v1/search?q=$long"
expect_status 413 "overlong query is refused"
req GET '/api/v1/search?q=%22%29%28*%3A%5E%20OR%20NOT'
expect_status 200 "FTS syntax in a query cannot break the search"

# feeds and exports
req GET '/api/v1/search.atom?country=HU'
expect_status 200 "atom feed"
grep -q '<feed xmlns="http://www.w3.org/2005/Atom">' "$WORK/body" && ok "atom feed is Atom" || fail "atom feed is Atom"
req GET '/api/v1/export?format=csv&country=SK'
expect_status 200 "csv export"
rows=$(python3 -c "import csv,io; print(len(list(csv.reader(io.open('$WORK/body', encoding='utf-8-sig')))))")
req GET '/api/v1/search?country=SK&per_page=1'
total=$(python3 -c "import json; print(json.load(open('$WORK/body'))['total'])")
[ "$rows" = "$((total+1))" ] && ok "csv export has every matching record ($total)" || fail "csv rows $rows vs total $total"
req GET '/api/v1/export?format=json'
jcheck "isinstance(d, list) and len(d) >= 40" "json export"
req GET '/api/v1/export?format=xlsx&type=strategy'
expect_status 200 "xlsx export"
head -c 2 "$WORK/body" | grep -q PK && ok "xlsx is a zip container" || fail "xlsx is a zip container"
req GET '/api/v1/export?format=doc'
expect_status 400 "unknown export format"

# anonymous writes
req POST /api/v1/records -H 'Content-Type: application/json' --data '{"type":"strategy","title":{"en":"x"}}'
expect_status 401 "anonymous create is 401"

# users and roles
SV4_PASSWORD=contrib-pass-1 "$SMARTV4" user add --db "$DB" --role contributor carol >/dev/null
SV4_PASSWORD=review-pass-1 "$SMARTV4" user add --db "$DB" --role reviewer rita >/dev/null
req POST /api/v1/login -H 'Content-Type: application/json' --data '{"name":"carol","password":"wrong-password"}'
expect_status 401 "wrong password"
req POST /api/v1/login -H 'Content-Type: application/json' --data '{"name":"carol","password":"contrib-pass-1"}'
expect_status 200 "contributor logs in"
grep -q 'sv4session' "$WORK/cookies" && ok "session cookie set" || fail "session cookie set"
TOKEN=$(csrf)
req POST /api/v1/records -H 'Content-Type: application/json' --data '{"type":"strategy","title":{"en":"x"}}'
expect_status 403 "write without CSRF header is refused"
req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data '{"type":"strategy","lang":"en","country":"PL","title":{"en":"Test city climate plan"},"summary":{"en":"The city will install solar photovoltaic panels and heat pumps to cut greenhouse gas emissions by 40% by 2030."}}'
expect_status 201 "contributor creates a draft"
RID=$(python3 -c "import json; print(json.load(open('$WORK/body'))['id'])")
req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data '{"type":"strategy","title":{"en":"y"},"published":true}'
expect_status 403 "contributor publishing is 403"
req PATCH "/api/v1/records/$RID" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"status":"draft","why":"fix"}'
expect_status 200 "contributor updates"
req GET "/api/v1/records/$RID"
jcheck "d['status'] == 'draft' and len(d['revisions']) == 2 and d['revisions'][0]['why'] == 'fix'" "revision history records who/why"
if [ "$classifier" = 1 ]; then
  jcheck "any(l['scheme']=='sdg' and l['code']=='7' for l in d['labels']) and all('evidence' in l for l in d['labels'])" "record classified with evidence"
fi
revs_before=$(python3 -c "import json; print(len(json.load(open('$WORK/body'))['revisions']))")

# broken uploads change nothing
printf '%%PDF-1.7\n1 0 obj << /Type /Catalog' > "$WORK/trunc.pdf"
req POST "/api/v1/records/$RID/documents" -H "X-CSRF-Token: $TOKEN" -F "file=@$WORK/trunc.pdf;type=application/pdf"
[[ "$STATUS" =~ ^4 ]] && ok "truncated PDF is a 4xx ($STATUS)" || fail "truncated PDF is a 4xx"
jcheck "'error' in d and 'trunc.pdf' in d['error']['message'] or 'PDF' in d['error']['message']" "error names the file or format"
printf 'caf\xe9 \xff\xfe broken' > "$WORK/bad.txt"
req POST "/api/v1/records/$RID/documents" -H "X-CSRF-Token: $TOKEN" -F "file=@$WORK/bad.txt;type=text/plain"
[[ "$STATUS" =~ ^4 ]] && ok "invalid UTF-8 text is a 4xx ($STATUS)" || fail "invalid UTF-8 text is a 4xx"
python3 - "$WORK/bomb.docx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr('word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' + ' ' * (300 * 1024 * 1024) + '</w:t></w:r></w:p></w:body></w:document>')
PY
req POST "/api/v1/records/$RID/documents" -H "X-CSRF-Token: $TOKEN" -F "file=@$WORK/bomb.docx"
[[ "$STATUS" =~ ^4 ]] && ok "zip bomb DOCX is a 4xx ($STATUS)" || fail "zip bomb DOCX is a 4xx"
head -c $((101*1024*1024)) /dev/zero > "$WORK/huge.bin"
req POST "/api/v1/records/$RID/documents" -H "X-CSRF-Token: $TOKEN" -F "file=@$WORK/huge.bin"
expect_status 413 "oversized body is 413"
rm -f "$WORK/huge.bin" "$WORK/bomb.docx"
req GET "/api/v1/records/$RID"
jcheck "len(d['documents']) == 0 and len(d['revisions']) == $revs_before" "broken uploads changed nothing"

# a good upload is imported, classified and stored in one go
printf 'Climate plan of the test city.\n\nWe will reduce CO2 emissions by 55%% by 2030 compared with 2005 and insulate 300 public buildings.\n' > "$WORK/plan.txt"
req POST "/api/v1/records/$RID/documents" -H "X-CSRF-Token: $TOKEN" -F "file=@$WORK/plan.txt;type=text/plain"
expect_status 201 "text upload"
DOC=$(python3 -c "import json; print(json.load(open('$WORK/body'))['document'])")
req GET "/api/v1/records/$RID/documents/$DOC"
expect_status 200 "document download"
grep -q 'insulate 300 public buildings' "$WORK/body" && ok "original bytes kept" || fail "original bytes kept"

# JSON limits
deep=$(python3 -c "print('['*1000 + ']'*1000)")
req POST /api/v1/classify -H 'Content-Type: application/json' --data "$deep"
expect_status 413 "deeply nested JSON is refused"
req POST /api/v1/classify -H 'Content-Type: application/json' --data '{"text": "unterminated'
expect_status 400 "malformed JSON is a 400"
req POST /api/v1/classify -H 'Content-Type: application/json' --data '{"text": 5}'
expect_status 400 "text must be a string"
if [ "$classifier" = 1 ]; then
  req POST /api/v1/classify -H 'Content-Type: application/json' --data '{"text":"Budowa farmy fotowoltaicznej i magazynu energii zwiększy udział odnawialnych źródeł energii w gminie.","lang":"pl"}'
  expect_status 200 "classify text"
  jcheck "7 in d['sdg'] and d['lang'] == 'pl' and all(e['rule'].startswith('pl.') for l in d['labels'] for e in l['evidence'])" "Polish text classified by Polish rules with evidence"
fi

# reviewer: review, delete; contributor cannot delete
req DELETE "/api/v1/records/$RID" -H "X-CSRF-Token: $TOKEN"
expect_status 403 "contributor cannot delete"
req POST /api/v1/logout
req POST /api/v1/login -H 'Content-Type: application/json' --data '{"name":"rita","password":"review-pass-1"}'
expect_status 200 "reviewer logs in"
TOKEN=$(csrf)
req POST "/api/v1/records/$RID/labels" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"scheme":"sdg","code":"13","action":"add","reason":"climate plan"}'
expect_status 200 "reviewer adds a label"
req POST "/api/v1/records/$RID/labels" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"scheme":"sdg","code":"99","action":"add"}'
[[ "$STATUS" =~ ^4 ]] && ok "unknown code refused" || fail "unknown code refused"
req GET "/api/v1/search?sdg=13&review=reviewed"
jcheck "any(r['id'] == $RID for r in d['results'])" "review shows in facets at once"
req GET "/api/v1/compare?ids=1,2,$RID"
jcheck "len(d['goals']) == 17 and len(d['records']) == 3 and 'common_gaps' in d" "compare matrix"
req GET "/api/v1/records/1/funding"
expect_status 200 "funding matches"
jcheck "isinstance(d['matches'], list)" "funding matches list"
req DELETE "/api/v1/records/$RID" -H "X-CSRF-Token: $TOKEN"
expect_status 204 "reviewer deletes"
req GET "/api/v1/records/$RID"
expect_status 404 "deleted record is gone"
req GET "/api/v1/nope"
expect_status 404 "unknown route"
req DELETE "/healthz"
expect_status 405 "wrong method"

# building module: typology and IFC assessments, clear errors for a structural-only model
req POST /api/v1/buildings/assess -F typology=CZ.N.SFH.05.Gen.ReEx.001
expect_status 200 "assess a TABULA typology building"
jcheck "d['baseline']['q_h_nd'] > 50 and len(d['variants']) >= 5 and all('npv_eur' in v for v in d['variants'])" "assessment has a baseline and costed variants"
jcheck "all(d['variants'][i]['npv_eur'] >= d['variants'][i+1]['npv_eur'] for i in range(len(d['variants'])-1))" "variants sorted best NPV first"
req POST /api/v1/buildings/assess -F "file=@$SRC/tests/data/ifc/AC20-FZK-Haus.ifc" -F country=CZ -F location=CZ.N -F year=1990
expect_status 200 "assess an IFC model"
jcheck "d['baseline']['q_h_nd'] > 0 and len(d['variants']) >= 5" "IFC model assessed"
req POST /api/v1/buildings/assess -F "file=@$SRC/tests/data/ifc/ISSUE_021_Mini_Project.ifc" -F country=CZ -F location=CZ.N
expect_status 422 "structural-only model refused"
jcheck "'envelope' in d['error']['message']" "the message says there is no thermal envelope"
req POST /api/v1/buildings/assess -F typology=XX.NOPE
expect_status 404 "unknown typology"
req GET /buildings
expect_status 200 "buildings page"
grep -q 'CZ.N.SFH.05.Gen' "$WORK/body" && ok "typology buildings offered" || fail "typology buildings offered"

# login rate limit
for i in $(seq 1 12); do req POST /api/v1/login -H 'Content-Type: application/json' --data '{"name":"rita","password":"nope-nope"}'; done
expect_status 429 "login attempts are rate limited"

finish
