#!/usr/bin/env python3
"""gen_records.py — deterministic synthetic portal records for the benchmarks.

Usage: gen_records.py N [SEED] > records.jsonl

Replicates the 76 real records of data/demo/records.jsonl into N records: every record keeps the shape and
the fields of its model, with the title, summary, place, region, country, language, period and status varied,
and a realistic "labels" array (what the classifier would have stored: 1-4 SDG goals with their targets, Green
Deal areas, EU taxonomy objectives, smart-city dimensions, each with a score). `smartv4 import --no-classify`
stores those labels as the classifier's, so the database is exactly what the import path writes.
Same N and SEED → byte-identical output.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, "..", "data", "demo", "records.jsonl")

# place, LAU-ish code, NUTS3 per country (real places and NUTS 2021 codes)
PLACES = {
    "PL": [("Kraków", "PL213"), ("Wrocław", "PL514"), ("Warszawa", "PL911"), ("Gdańsk", "PL634"),
           ("Poznań", "PL415"), ("Łódź", "PL711"), ("Lublin", "PL814"), ("Katowice", "PL22A"),
           ("Szczecin", "PL424"), ("Białystok", "PL841"), ("Rzeszów", "PL825"), ("Toruń", "PL613")],
    "CZ": [("Praha", "CZ010"), ("Brno", "CZ064"), ("Ostrava", "CZ080"), ("Plzeň", "CZ032"),
           ("Olomouc", "CZ071"), ("Liberec", "CZ051"), ("České Budějovice", "CZ031"), ("Hradec Králové", "CZ052"),
           ("Pardubice", "CZ053"), ("Zlín", "CZ072")],
    "SK": [("Bratislava", "SK010"), ("Košice", "SK042"), ("Žilina", "SK031"), ("Banská Bystrica", "SK032"),
           ("Prešov", "SK041"), ("Nitra", "SK023"), ("Trnava", "SK021"), ("Trenčín", "SK022")],
    "HU": [("Budapest", "HU110"), ("Debrecen", "HU321"), ("Szeged", "HU333"), ("Pécs", "HU231"),
           ("Győr", "HU221"), ("Miskolc", "HU311"), ("Székesfehérvár", "HU211"), ("Nyíregyháza", "HU323"),
           ("Kecskemét", "HU331")],
    "EU": [("Brussels", "")],
}
LANG_OF = {"PL": "pl", "CZ": "cs", "SK": "sk", "HU": "hu", "EU": "en"}
COUNTRY_W = [("PL", 30), ("CZ", 25), ("SK", 18), ("HU", 20), ("EU", 7)]

# Words added to titles and summaries, per language, so text queries hit different subsets.
THEMES = {
    "en": ["renewable energy", "energy efficiency", "public transport", "green infrastructure", "circular economy",
           "district heating", "digital services", "air quality", "water management", "social housing",
           "cycling network", "waste prevention", "smart grid", "climate adaptation", "open data", "innovation hub"],
    "pl": ["odnawialne źródła energii", "efektywność energetyczna", "transport publiczny", "zielona infrastruktura",
           "gospodarka o obiegu zamkniętym", "ciepłownictwo", "usługi cyfrowe", "jakość powietrza",
           "gospodarka wodna", "mieszkalnictwo społeczne", "sieć rowerowa", "inteligentna sieć"],
    "cs": ["obnovitelné zdroje energie", "energetická účinnost", "veřejná doprava", "zelená infrastruktura",
           "oběhové hospodářství", "dálkové vytápění", "digitální služby", "kvalita ovzduší",
           "hospodaření s vodou", "sociální bydlení", "cyklistická síť", "chytrá síť"],
    "sk": ["obnoviteľné zdroje energie", "energetická efektívnosť", "verejná doprava", "zelená infraštruktúra",
           "obehové hospodárstvo", "diaľkové vykurovanie", "digitálne služby", "kvalita ovzdušia",
           "vodné hospodárstvo", "sociálne bývanie", "cyklistická sieť", "inteligentná sieť"],
    "hu": ["megújuló energia", "energiahatékonyság", "közösségi közlekedés", "zöld infrastruktúra",
           "körforgásos gazdaság", "távfűtés", "digitális szolgáltatások", "levegőminőség",
           "vízgazdálkodás", "szociális lakhatás", "kerékpárút-hálózat", "okos hálózat"],
}
# theme index → the labels it implies (sdg goal, targets, egd, taxonomy, smartcity)
THEME_LABELS = [
    (7, ["7.2"], "energy", "ccm", "environment"), (7, ["7.3"], "energy", "ccm", "environment"),
    (11, ["11.2"], "mobility", None, "mobility"), (15, ["15.1", "15.5"], "biodiversity", "bio", "environment"),
    (12, ["12.5", "12.2"], "circular", "ce", "economy"), (7, ["7.1", "7.3"], "energy", "ccm", "living"),
    (9, ["9.c"], None, None, "governance"), (11, ["11.6"], "pollution", "ppc", "environment"),
    (6, ["6.4", "6.3"], None, "water", "environment"), (11, ["11.1"], "buildings", None, "living"),
    (11, ["11.2"], "mobility", "ccm", "mobility"), (7, ["7.b"], "energy", "ccm", "economy"),
    (13, ["13.1"], "climate", "cca", "environment"), (16, ["16.6"], None, None, "governance"),
    (8, ["8.2"], None, None, "economy"), (17, ["17.17"], None, None, "people"),
]
VARIANTS = {"en": ["update", "action plan", "pilot", "programme", "phase"],
            "pl": ["aktualizacja", "plan działania", "pilotaż", "program", "etap"],
            "cs": ["aktualizace", "akční plán", "pilotní projekt", "program", "etapa"],
            "sk": ["aktualizácia", "akčný plán", "pilotný projekt", "program", "etapa"],
            "hu": ["frissítés", "cselekvési terv", "kísérleti projekt", "program", "szakasz"]}


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def labels_for(rng, themes):
    """A classifier-like label set: goals from the themes plus a random extra goal or two."""
    goals = {}
    egd, tax, sc = {}, {}, {}
    for t in themes:
        g, targets, e, x, s = THEME_LABELS[t % len(THEME_LABELS)]
        goals.setdefault(g, set()).update(targets)
        if e:
            egd[e] = 1
        if x:
            tax[x] = 1
        if s:
            sc[s] = 1
    for _ in range(rng.choice([0, 1, 1, 2])):
        g = rng.randint(1, 17)
        goals.setdefault(g, set()).add("%d.%d" % (g, rng.randint(1, 5)))
    if rng.random() < 0.3:
        sc[rng.choice(["economy", "people", "governance", "mobility", "environment", "living"])] = 1
    out = []
    for g in sorted(goals):
        out.append({"scheme": "sdg", "code": str(g), "score": round(rng.uniform(0.3, 0.95), 3),
                    "targets": sorted(goals[g])})
    for scheme, d in (("egd", egd), ("taxonomy", tax), ("smartcity", sc)):
        for c in sorted(d):
            out.append({"scheme": scheme, "code": c, "score": round(rng.uniform(0.3, 0.9), 3), "targets": []})
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    rng = random.Random(seed)
    demo = [json.loads(l) for l in open(DEMO, encoding="utf-8") if l.strip()]
    out = sys.stdout
    for i in range(n):
        base = demo[i % len(demo)]
        rec = json.loads(json.dumps(base))  # deep copy
        country = weighted(rng, COUNTRY_W) if base.get("country") != "EU" or rng.random() < 0.5 else "EU"
        place, nuts = rng.choice(PLACES[country])
        lang = LANG_OF[country] if rng.random() < 0.85 else "en"
        rec["country"] = country
        rec["lang"] = lang
        rec["place"] = place
        if nuts:
            rec["nuts"] = nuts
        else:
            rec.pop("nuts", None)
        rec.pop("lau", None)
        rec["slug"] = "%s-%06d" % (base.get("slug", "record")[:60], i)
        y0 = rng.randint(2005, 2025)
        if rec["type"] in ("strategy", "project", "funding", "practice") or rng.random() < 0.5:
            rec["period"] = "%d-%d" % (y0, y0 + rng.choice([2, 3, 4, 6, 7, 10])) if rng.random() < 0.85 else "%d-" % y0
        else:
            rec.pop("period", None)
        if rec["type"] == "strategy":
            rec["status"] = rng.choice(["adopted", "adopted", "draft", "in force", "expired"])
        themes = rng.sample(range(12), rng.choice([1, 2, 2, 3]))
        # titles/summaries: in the record language plus English; themes and place worked into the text
        title, summary = {}, {}
        for lg in sorted({lang, "en"}):
            src_t = base["title"].get(lg) or base["title"].get("en") or next(iter(base["title"].values()))
            src_s = (base.get("summary") or {}).get(lg) or (base.get("summary") or {}).get("en") or ""
            words = THEMES.get(lg, THEMES["en"])
            th = [words[t % len(words)] for t in themes]
            title[lg] = "%s — %s, %s (%s %d)" % (src_t, place, th[0], VARIANTS[lg][i % 5], i % 997 + 1)
            sents = [s.strip().rstrip(".") for s in src_s.split(". ") if s.strip()]
            rng.shuffle(sents)
            summary[lg] = ". ".join(sents[:3] + ["; ".join(th)]) + "."
        rec["title"] = title
        rec["summary"] = summary
        rec["labels"] = labels_for(rng, themes)
        out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
