#!/usr/bin/env bash
# Drafts ("published": false) against a real server with the demo data: anonymous visitors and contributors who do
# not own a draft never see it — not in search results, totals, facet counts, feeds, exports, record pages, compare,
# funding or documents — while its owner, reviewers and admins do; contributors cannot publish, reviewers can.
. "$(dirname "$0")/lib.bash"

start_server --demo
SV4_PASSWORD=carol-pass-1 "$SMARTV4" user add --db "$DB" --role contributor carol >/dev/null
SV4_PASSWORD=dave-pass-1 "$SMARTV4" user add --db "$DB" --role contributor dave >/dev/null
SV4_PASSWORD=rita-pass-1 "$SMARTV4" user add --db "$DB" --role reviewer rita >/dev/null
ANON="$WORK/anon.jar" CAROL="$WORK/carol.jar" DAVE="$WORK/dave.jar" RITA="$WORK/rita.jar"
touch "$ANON"

login() {  # login JAR NAME PASSWORD
  JAR=$1 req POST /api/v1/login -H 'Content-Type: application/json' --data "{\"name\":\"$2\",\"password\":\"$3\"}"
  expect_status 200 "$2 logs in"
}
login "$CAROL" carol carol-pass-1
login "$DAVE" dave dave-pass-1
login "$RITA" rita rita-pass-1
jnum() { python3 -c "import json,sys; d=json.load(open('$WORK/body')); print($1)"; }

# what everyone sees before the draft exists
JAR=$ANON req GET '/api/v1/search?per_page=1'
total0=$(jnum "d['total']")
eu0=$(jnum "sum(v['count'] for v in d['facets']['country'] if v['value'] == 'EU')")

# carol writes a draft (a contributor's record is a draft unless it says otherwise)
WORD=zyxdraftword
JAR=$CAROL TOKEN=$(JAR=$CAROL csrf)
JAR=$CAROL req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data "{\"type\":\"strategy\",\"lang\":\"en\",\"country\":\"EU\",\"period\":\"2024-2030\",\"title\":{\"en\":\"Draft $WORD mobility plan\"},\"summary\":{\"en\":\"A $WORD plan for electric buses and cycling.\"}}"
expect_status 201 "contributor creates a record"
RID=$(jnum "d['id']")
jcheck "d['published'] is False and d['owner'] == 'carol'" "it is carol's draft"
JAR=$CAROL req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data '{"type":"strategy","title":{"en":"sneaky"},"published":null}'
expect_status 403 "a contributor cannot create a published record by dropping the flag"
JAR=$CAROL req PATCH "/api/v1/records/$RID" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"published":true}'
expect_status 403 "a contributor cannot publish"
JAR=$CAROL req PATCH "/api/v1/records/$RID" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"published":null}'
expect_status 403 "a contributor cannot publish by removing the flag"
printf 'Draft annex: %s depot for electric buses.\n' "$WORD" >"$WORK/annex.txt"
JAR=$CAROL req POST "/api/v1/records/$RID/documents" -H "X-CSRF-Token: $TOKEN" -F "file=@$WORK/annex.txt;type=text/plain"
expect_status 201 "the owner adds a document to the draft"
DOC=$(jnum "d['document']")

# the owner sees it everywhere
JAR=$CAROL req GET "/api/v1/records/$RID"
expect_status 200 "the owner reads the draft"
JAR=$CAROL req GET "/api/v1/search?q=$WORD&cross=0"
jcheck "d['total'] == 1 and d['results'][0]['id'] == $RID" "the owner finds the draft"
JAR=$CAROL req GET "/api/v1/search?per_page=1"
jcheck "d['total'] == $total0 + 1" "the owner's totals count it"
JAR=$CAROL req GET "/records/$RID"
expect_status 200 "the owner's record page"

# anonymous visitors and the other contributor see nothing of it
for who in anon dave; do
  if [ $who = anon ]; then export JAR=$ANON; else export JAR=$DAVE; fi
  req GET "/api/v1/records/$RID"
  expect_status 404 "$who: the draft is not found"
  req GET "/api/v1/search?q=$WORD&cross=0"
  jcheck "d['total'] == 0 and d['results'] == []" "$who: search does not find it"
  req GET "/api/v1/search?per_page=1"
  jcheck "d['total'] == $total0" "$who: the total does not count it"
  jcheck "sum(v['count'] for v in d['facets']['country'] if v['value'] == 'EU') == $eu0" "$who: facet counts do not count it"
  req GET "/api/v1/search?country=EU&per_page=1000&sort=newest"
  jcheck "all(r['id'] != $RID for r in d['results'])" "$who: a facet filter does not show it"
  req GET "/api/v1/records?per_page=1000&sort=newest"
  jcheck "all(r['id'] != $RID for r in d['results'])" "$who: the record list does not show it"
  req GET "/api/v1/search.atom?q=$WORD&cross=0"
  ! grep -q "<entry>" "$WORK/body" && ok "$who: the Atom feed leaves it out" || fail "$who: the Atom feed leaves it out"
  req GET "/api/v1/search.atom"
  ! grep -q "urn:smartv4:record:$RID<" "$WORK/body" && ok "$who: the full feed leaves it out" || fail "$who: the full feed leaves it out"
  for fmt in csv json; do
    req GET "/api/v1/export?format=$fmt&country=EU"
    ! grep -q "$WORD" "$WORK/body" && ok "$who: $fmt export leaves it out" || fail "$who: $fmt export leaves it out"
  done
  req GET "/api/v1/export?format=xlsx&country=EU" 2>/dev/null
  python3 -c "
import sys, zipfile
z = zipfile.ZipFile('$WORK/body')
sys.exit(1 if any(b'$WORD' in z.read(n) for n in z.namelist()) else 0)" && ok "$who: xlsx export leaves it out" ||
    fail "$who: xlsx export leaves it out"
  req GET "/records/$RID"
  expect_status 404 "$who: the record page is not found"
  req GET "/search?q=$WORD&cross=0"
  ! grep -q "mobility plan\|/records/$RID\"" "$WORK/body" && ok "$who: the search page does not show it" ||
    fail "$who: the search page does not show it"
  req GET "/"
  ! grep -q "$WORD" "$WORK/body" && ok "$who: the home page does not list it" || fail "$who: the home page does not list it"
  req GET "/api/v1/compare?ids=1,$RID"
  expect_status 404 "$who: compare does not reveal it"
  req GET "/api/v1/records/$RID/funding"
  expect_status 404 "$who: its funding matches are not found"
  req GET "/api/v1/records/$RID/documents/$DOC"
  expect_status 404 "$who: its document is not served"
  req GET "/api/v1/records/1/documents/$DOC"
  expect_status 404 "$who: nor through another record's path"
  unset JAR
done
TOKEN=$(JAR=$DAVE csrf)
JAR=$DAVE req PATCH "/api/v1/records/$RID" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"status":"hijacked"}'
expect_status 404 "another contributor cannot change the draft"

# a reviewer sees it, and publishing makes it public
JAR=$RITA req GET "/api/v1/search?q=$WORD&cross=0"
jcheck "d['total'] == 1" "a reviewer finds the draft"
JAR=$RITA req GET "/api/v1/records/$RID/documents/$DOC"
expect_status 200 "a reviewer reads its document"
TOKEN=$(JAR=$RITA csrf)
JAR=$RITA req PATCH "/api/v1/records/$RID" -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" --data '{"published":true}'
expect_status 200 "a reviewer publishes"
JAR=$ANON req GET "/api/v1/search?q=$WORD&cross=0"
jcheck "d['total'] == 1 and d['results'][0]['id'] == $RID" "published: anonymous search finds it"
JAR=$ANON req GET "/api/v1/records/$RID"
expect_status 200 "published: anonymous reads it"

# a reviewer's own draft is hidden too, until published
JAR=$RITA req POST /api/v1/records -H 'Content-Type: application/json' -H "X-CSRF-Token: $TOKEN" \
  --data "{\"type\":\"practice\",\"title\":{\"en\":\"Reviewer draft $WORD\"},\"published\":false}"
expect_status 201 "a reviewer writes a draft"
RID2=$(jnum "d['id']")
JAR=$ANON req GET "/api/v1/search?q=$WORD&cross=0"
jcheck "d['total'] == 1 and d['results'][0]['id'] == $RID" "anonymous search leaves the reviewer's draft out"
JAR=$CAROL req GET "/api/v1/records/$RID2"
expect_status 404 "a contributor does not see a reviewer's draft"

finish
