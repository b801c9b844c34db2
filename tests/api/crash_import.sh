#!/usr/bin/env bash
# kill -9 during a bulk import: every record committed before the kill is intact (its row, full-text entry,
# revision and labels), PRAGMA integrity_check passes, and the store opens and imports again.
. "$(dirname "$0")/lib.bash"
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI missing (scripts/deps.sh test installs it)"; exit 1; }

python3 - "$SRC/data/demo/records.jsonl" "$WORK/bulk.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for i in range(4000):
        r = dict(recs[i % len(recs)])
        r['slug'] = f"bulk-{i}"
        r.pop('organisations', None)
        out.write(json.dumps(r, ensure_ascii=False) + '\n')
PY

"$SMARTV4" import --db "$DB" "$WORK/bulk.jsonl" >"$WORK/import.out" 2>"$WORK/import.err" &
pid=$!
n=0
for _ in $(seq 1 300); do
  n=$(sqlite3 "$DB" 'select count(*) from records' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 100 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
[ "${n:-0}" -ge 100 ] && ok "import was running when killed ($n records seen)" || fail "import never reached 100 records"

STATUS=-; BODY=$(sqlite3 "$DB" 'PRAGMA integrity_check')
[ "$BODY" = "ok" ] && ok "integrity_check after kill -9" || fail "integrity_check: $BODY"
BODY=$(sqlite3 "$DB" "select count(*) from records r where not exists (select 1 from records_fts_docsize f where f.id = r.id)")
[ "$BODY" = "0" ] && ok "every committed record has its full-text entry" || fail "records without FTS: $BODY"
BODY=$(sqlite3 "$DB" "select count(*) from records r where (select count(*) from revisions v where v.record_id = r.id) <> 1")
[ "$BODY" = "0" ] && ok "every committed record has its creation revision" || fail "records with missing revision: $BODY"
BODY=$(sqlite3 "$DB" "select count(*) from records where json_extract(doc,'\$.title') is null")
[ "$BODY" = "0" ] && ok "every committed record has its title" || fail "records without title: $BODY"
if grep -q 'no classifier' "$WORK/import.err"; then :; else
  BODY=$(sqlite3 "$DB" "select count(*) from records r where not exists (select 1 from labels l where l.record_id = r.id)")
  [ "$BODY" = "0" ] && ok "every committed record has its labels (same transaction)" || fail "records without labels: $BODY"
fi
committed=$(sqlite3 "$DB" 'select count(*) from records')

# the store opens again and accepts the rest; duplicates of committed slugs are reported, not written twice
"$SMARTV4" import --db "$DB" "$WORK/bulk.jsonl" >"$WORK/import2.out" 2>"$WORK/import2.err" || true
after=$(sqlite3 "$DB" 'select count(*) from records')
[ "$after" = "4000" ] && ok "re-import completes to 4000 records" || fail "re-import gave $after records"
rejected=$(grep -o 'rejected [0-9]*' "$WORK/import2.out" | grep -o '[0-9]*')
[ "$rejected" = "$committed" ] && ok "re-import rejects exactly the $committed already committed (duplicate slug)" || fail "rejected $rejected vs committed $committed"
finish
