#!/usr/bin/env bash
# Validates the shipped reference data: data/taxonomy/*.csv (SDG goals and targets, Green Deal areas,
# EU Taxonomy objectives, smart-city dimensions, versions) and data/demo/records.jsonl.
# Black-box: reads only the files. Needs $SRC (repo root). Exit 0 = pass.
set -u
: "${SRC:?SRC (repository root) must be set}"
python3 - "$SRC" <<'PY'
import csv, json, os, re, sys

src = sys.argv[1]
tax = os.path.join(src, 'data', 'taxonomy')
demo = os.path.join(src, 'data', 'demo')
errors = []
LANGS = ['en', 'pl', 'cs', 'sk', 'hu']

def err(msg):
    errors.append(msg)

def read_csv(name, header):
    path = os.path.join(tax, name)
    if not os.path.isfile(path):
        err(f'{name}: missing'); return []
    raw = open(path, 'rb').read()
    try:
        raw.decode('utf-8')
    except UnicodeDecodeError as e:
        err(f'{name}: not UTF-8 ({e})'); return []
    with open(path, encoding='utf-8', newline='') as fh:
        rows = list(csv.reader(fh, strict=True))
    if not rows or rows[0] != header:
        err(f'{name}: header is {rows[0] if rows else None}, expected {header}'); return []
    out = []
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            err(f'{name}:{n}: {len(row)} fields, expected {len(header)}'); continue
        d = dict(zip(header, row))
        for k, v in d.items():
            if not v.strip():
                err(f'{name}:{n}: empty {k}')
            elif v != v.strip():
                err(f'{name}:{n}: {k} has leading/trailing spaces')
        out.append(d)
    codes = [d['code'] if 'code' in d else d.get('scheme') for d in out]
    dups = {c for c in codes if codes.count(c) > 1}
    if dups:
        err(f'{name}: duplicate codes {sorted(dups)}')
    return out

# --- SDG goals -------------------------------------------------------------------------------------
goals = read_csv('sdg-goals.csv', ['code', 'color'] + LANGS)
if [g['code'] for g in goals] != [str(i) for i in range(1, 18)]:
    err(f'sdg-goals.csv: expected codes 1..17 in order, got {[g["code"] for g in goals]}')
for g in goals:
    if not re.fullmatch(r'#[0-9A-F]{6}', g['color']):
        err(f'sdg-goals.csv: goal {g["code"]}: colour {g["color"]!r} is not #RRGGBB')
known = {'1': '#E5243B', '7': '#FCC30B', '13': '#3F7E44', '17': '#19486A'}
for g in goals:
    if g['code'] in known and g['color'] != known[g['code']]:
        err(f'sdg-goals.csv: goal {g["code"]} colour {g["color"]}, official is {known[g["code"]]}')
if goals and goals[6]['en'] != 'Affordable and clean energy':
    err(f'sdg-goals.csv: goal 7 en title is {goals[6]["en"]!r}')
long_ = read_csv('sdg-goals-long.csv', ['code', 'en', 'cs'])
if sorted(int(g['code']) for g in long_) != list(range(1, 18)):
    err('sdg-goals-long.csv: expected codes 1..17')

# --- SDG targets -----------------------------------------------------------------------------------
targets = read_csv('sdg-targets.csv', ['code', 'goal', 'en', 'cs'])
if len(targets) != 169:
    err(f'sdg-targets.csv: {len(targets)} targets, expected 169')
goal_codes = {g['code'] for g in goals}
for t in targets:
    m = re.fullmatch(r'(\d{1,2})\.([0-9]{1,2}|[a-z])', t['code'])
    if not m:
        err(f'sdg-targets.csv: bad target code {t["code"]!r}'); continue
    if m.group(1) != t['goal']:
        err(f'sdg-targets.csv: target {t["code"]} has goal {t["goal"]}')
    if t['goal'] not in goal_codes:
        err(f'sdg-targets.csv: target {t["code"]}: goal {t["goal"]} does not exist')
for c in ('7.2', '11.a', '17.19', '1.b', '14.c'):
    if c not in {t['code'] for t in targets}:
        err(f'sdg-targets.csv: target {c} missing')
per_goal = {}
for t in targets:
    per_goal[t['goal']] = per_goal.get(t['goal'], 0) + 1
if goals and set(per_goal) != goal_codes:
    err(f'sdg-targets.csv: goals without targets: {sorted(goal_codes - set(per_goal), key=int)}')

# --- other schemes ---------------------------------------------------------------------------------
for name, header, expected in [
    ('egd-areas.csv', ['code'] + LANGS + ['description_en'],
     ['climate', 'energy', 'circular', 'buildings', 'mobility', 'food', 'biodiversity', 'pollution']),
    ('eu-taxonomy.csv', ['code'] + LANGS + ['article'], ['ccm', 'cca', 'water', 'ce', 'ppc', 'bio']),
    ('smartcity.csv', ['code'] + LANGS + ['description_en'],
     ['economy', 'people', 'governance', 'mobility', 'environment', 'living']),
]:
    rows = read_csv(name, header)
    got = [r['code'] for r in rows]
    if sorted(got) != sorted(expected) or len(got) != len(expected):
        err(f'{name}: codes {got}, expected exactly {expected}')

versions = read_csv('versions.csv', ['scheme', 'version', 'source', 'year', 'licence'])
if sorted(v['scheme'] for v in versions) != ['egd', 'sdg', 'smartcity', 'taxonomy']:
    err(f'versions.csv: schemes {[v["scheme"] for v in versions]}, expected sdg, egd, taxonomy, smartcity')
for v in versions:
    if not re.fullmatch(r'\d{4}\.\d{1,2}(\.\d+)?', v['version']):
        err(f'versions.csv: {v["scheme"]}: version {v["version"]!r} is not like 2026.11')
    if not re.fullmatch(r'\d{4}', v['year']):
        err(f'versions.csv: {v["scheme"]}: year {v["year"]!r}')

for d in (tax, demo):
    if not os.path.isfile(os.path.join(d, 'README.md')):
        err(f'{os.path.relpath(d, src)}/README.md missing')

# --- demo records ----------------------------------------------------------------------------------
TYPES = {'strategy', 'practice', 'project', 'method', 'funding', 'organisation'}
COUNTRIES = {'PL', 'CZ', 'SK', 'HU', 'EU'}
DATE = r'\d{4}-\d{2}-\d{2}'
records = []
path = os.path.join(demo, 'records.jsonl')
if not os.path.isfile(path):
    err('data/demo/records.jsonl: missing')
else:
    with open(path, encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            where = f'records.jsonl:{n}'
            if not line.strip():
                err(f'{where}: empty line'); continue
            try:
                r = json.loads(line)
            except ValueError as e:
                err(f'{where}: invalid JSON: {e}'); continue
            if not isinstance(r, dict):
                err(f'{where}: not a JSON object'); continue
            records.append((n, r))
            for f in ('type', 'slug', 'lang', 'country', 'title', 'summary'):
                if f not in r:
                    err(f'{where}: missing field {f}')
            t, lang, country = r.get('type'), r.get('lang'), r.get('country')
            if t not in TYPES:
                err(f'{where}: type {t!r} not one of {sorted(TYPES)}')
            if not isinstance(r.get('slug'), str) or not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', r.get('slug', '')):
                err(f'{where}: slug {r.get("slug")!r} must be lower-case words joined by "-"')
            if country not in COUNTRIES:
                err(f'{where}: country {country!r} not in PL/CZ/SK/HU/EU')
            if lang not in LANGS:
                err(f'{where}: lang {lang!r} not one of {LANGS}')
            for f in ('title', 'summary'):
                v = r.get(f)
                if not isinstance(v, dict):
                    if f in r:
                        err(f'{where}: {f} must be an object of language: text')
                    continue
                for need in {'en', lang} - {None}:
                    if not isinstance(v.get(need), str) or not v.get(need, '').strip():
                        err(f'{where}: {f}.{need} missing or empty')
                for k, s in v.items():
                    if k not in LANGS:
                        err(f'{where}: {f} has unknown language {k!r}')
                    elif not isinstance(s, str) or not s.strip():
                        err(f'{where}: {f}.{k} empty')
            if isinstance(r.get('summary'), dict):
                for k, s in r['summary'].items():
                    if isinstance(s, str) and len(s) < 80:
                        err(f'{where}: summary.{k} is too short for 2-5 sentences')
            for f in ('problem', 'solution', 'results', 'transferability'):
                if f in r and not (isinstance(r[f], dict) and r[f].get('en') and r[f].get(lang)):
                    err(f'{where}: {f} needs en and {lang} text')
            if t == 'practice':
                for f in ('problem', 'solution', 'results', 'transferability'):
                    if f not in r:
                        err(f'{where}: practice without {f}')
            if t == 'project' and r.get('stage') not in ('idea', 'planning', 'implementation', 'completed'):
                err(f'{where}: project stage {r.get("stage")!r}')
            if t == 'method':
                for f in ('audience', 'duration', 'materials'):
                    if not r.get(f):
                        err(f'{where}: method without {f}')
            if t == 'funding':
                if r.get('level') not in ('eu', 'national', 'regional'):
                    err(f'{where}: funding level {r.get("level")!r}')
                if not r.get('countries') or not r.get('applicant_types'):
                    err(f'{where}: funding needs countries and applicant_types')
            if t == 'organisation' and r.get('kind') not in ('cluster', 'university', 'firm', 'city', 'region', 'agency', 'ngo'):
                err(f'{where}: organisation kind {r.get("kind")!r}')
            if 'subtype' in r and r['subtype'] not in ('smart_city', 'ris3', 'secap', 'iti', 'other'):
                err(f'{where}: subtype {r["subtype"]!r}')
            if 'status' in r and r['status'] not in ('adopted', 'draft', 'implemented', 'open', 'closed'):
                err(f'{where}: status {r["status"]!r}')
            for f in ('adopted', 'call_open', 'call_close'):
                if f in r and not re.fullmatch(DATE, str(r[f])):
                    err(f'{where}: {f} {r[f]!r} is not YYYY-MM-DD')
            if 'url' in r and not re.fullmatch(r'https?://[^\s/$.?#][^\s]*', str(r['url'])):
                err(f'{where}: url {r["url"]!r}')
            if country in ('PL', 'CZ', 'SK', 'HU') and 'nuts' in r and not str(r['nuts']).startswith(country):
                err(f'{where}: nuts {r["nuts"]!r} is not in {country}')
            if 'lau' in r and 'nuts' not in r:
                err(f'{where}: lau without nuts')
            for f in ('budget_eur', 'funding_need_eur', 'budget_min_eur', 'budget_max_eur'):
                if f in r and (not isinstance(r[f], (int, float)) or r[f] < 0):
                    err(f'{where}: {f} must be a non-negative number')
            if 'organisations' in r and not (isinstance(r['organisations'], list)
                                             and all(isinstance(x, str) for x in r['organisations'])):
                err(f'{where}: organisations must be a list of slugs')

    slugs = [r.get('slug') for _, r in records]
    seen = set()
    for n, r in records:
        if r.get('slug') in seen:
            err(f'records.jsonl:{n}: duplicate slug {r.get("slug")!r}')
        seen.add(r.get('slug'))
    orgs = {r.get('slug') for _, r in records if r.get('type') == 'organisation'}
    for n, r in records:
        for o in r.get('organisations') or []:
            if o not in orgs:
                err(f'records.jsonl:{n}: organisation {o!r} is not an organisation record')
    for c in ('PL', 'CZ', 'SK', 'HU'):
        k = sum(1 for _, r in records if r.get('country') == c)
        if k < 10:
            err(f'records.jsonl: only {k} records for {c}, need at least 10')
    missing = TYPES - {r.get('type') for _, r in records}
    if missing:
        err(f'records.jsonl: no record of type {sorted(missing)}')
    if len(records) < 48:
        err(f'records.jsonl: {len(records)} records, need at least 48')

if errors:
    print(f'FAIL: data validation found {len(errors)} problem(s):', file=sys.stderr)
    for e in errors[:100]:
        print('  ' + e, file=sys.stderr)
    sys.exit(1)
print(f'ok: {len(goals)} goals, {len(targets)} targets, {len(records)} demo records')
PY
