#!/usr/bin/env python3
"""Builds the classify benchmark corpus deterministically from the repository's own data: rule terms, taxonomy
titles, test-case texts and demo records, recombined per language into JSON Lines {"id","lang","text"}.
Usage: classify_corpus.py SRC OUT.jsonl TERMS.txt [MEGABYTES]"""
import csv, glob, json, os, random, re, sys

src, out, terms_out = sys.argv[1], sys.argv[2], sys.argv[3]
mb = int(sys.argv[4]) if len(sys.argv) > 4 else 110
langs = ["en", "pl", "cs", "sk", "hu"]
rng = random.Random(20261101)
sentences = {l: [] for l in langs}
terms = {l: set() for l in langs}

for path in sorted(glob.glob(os.path.join(src, "data/rules/**/*.rules"), recursive=True)):
    lang = None
    for line in open(path, encoding="utf-8"):
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if line.startswith("@lang"):
            lang = line.split()[1]
        m = re.match(r"(terms|with\s*\d*|not\s*\d*)\s*:(.*)", line)
        if m and lang in terms:
            for t in m.group(2).split(","):
                t = t.strip()
                if t and m.group(1) == "terms":
                    terms[lang].add(t.replace("*", ""))
for path in sorted(glob.glob(os.path.join(src, "tests/data/classify/*.jsonl"))):
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        try:
            o = json.loads(line)
        except ValueError:
            continue
        l = o.get("lang")
        if l in sentences:
            sentences[l] += [s for s in re.split(r"(?<=[.!?])\s+", o.get("text", "")) if s]
for path in sorted(glob.glob(os.path.join(src, "data/taxonomy/*.csv"))):
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for l in langs:
                if row.get(l):
                    sentences[l].append(row[l].strip() + ".")
for path in sorted(glob.glob(os.path.join(src, "data/demo/**/*.json*"), recursive=True)):
    try:
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r'"(?:summary|description|text)"\s*:\s*"((?:[^"\\]|\\.)*)"', text):
            s = json.loads('"' + m.group(1) + '"')
            lm = re.search(r'"lang"\s*:\s*"(\w\w)"', text)
            sentences[(lm.group(1) if lm and lm.group(1) in langs else "en")].append(s)
    except (OSError, ValueError):
        pass

with open(terms_out, "w", encoding="utf-8") as f:
    for t in sorted(set().union(*terms.values())):
        if len(t) >= 3:
            f.write(t + "\n")

# Filler words per language, from its sentences, so that texts are mostly non-matching prose like real documents.
words = {l: [w for s in sentences[l] for w in s.split()] or ["text"] for l in langs}
term_list = {l: sorted(terms[l]) for l in langs}
target = mb * 1024 * 1024
n = 0
size = 0
with open(out, "w", encoding="utf-8") as f:
    while size < target:
        l = langs[n % 5]
        parts = []
        length = rng.randint(400, 2400)
        cur = 0
        while cur < length:
            r = rng.random()
            if r < 0.35 and sentences[l]:
                s = rng.choice(sentences[l])
            elif r < 0.45 and term_list[l]:
                s = rng.choice(term_list[l])
            else:
                s = " ".join(rng.choice(words[l]) for _ in range(rng.randint(6, 18))) + "."
            parts.append(s)
            cur += len(s) + 1
        rec = {"id": "b%07d" % n, "lang": l, "text": " ".join(parts)}
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        f.write(line)
        size += len(line.encode("utf-8"))
        n += 1
print(f"corpus: {n} lines, {size/1e6:.1f} MB; terms: {sum(1 for _ in open(terms_out, encoding='utf-8'))}")
