#!/usr/bin/env python3
"""Build the Slovak (SK.*) rows of monthly.csv from sk-sources.csv, so that every SK number can be checked.

For each location code, sk-sources.csv gives 12 monthly mean air temperatures and 12 monthly mean daily global
horizontal irradiations, each with its station/site, period and source. The vertical east/south/west/north
irradiations are derived month by month from the horizontal value with the ratios of a named TABULA region of
monthly.csv (ratio_donor):

    I_Sol_<o>,SK[m] = I_Sol_Hor,SK[m] * I_Sol_<o>,donor[m] / I_Sol_Hor,donor[m]      (rounded to 0.001)

Usage:  gen_sk.py             print the generated rows
        gen_sk.py --write     replace the SK.* rows of monthly.csv by the generated ones
        gen_sk.py --check     exit 1 unless the SK.* rows of monthly.csv are exactly the generated ones
        --sources FILE / --monthly FILE   other paths (default: beside this script)
Standard library only.
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERTICAL = ["East", "South", "West", "North"]
TEXT_COLS = ["name", "theta_station", "theta_period", "theta_source", "irr_site", "irr_period", "irr_source",
             "ratio_donor", "licence"]


def fail(msg):
    sys.exit("gen_sk.py: " + msg)


def num(s):
    """Shortest decimal text of a number, as in monthly.csv (no trailing zeros)."""
    t = ("%.3f" % s).rstrip("0").rstrip(".")
    return "0" if t in ("-0", "") else t


def read_sources(path):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    rows = list(csv.DictReader(lines))
    by_code = {}
    for i, r in enumerate(rows, 1):
        code = (r.get("code") or "").strip()
        if not code.startswith("SK."):
            fail("%s: data line %d: code %r is not an SK.* code" % (path, i, code))
        for c in TEXT_COLS:
            if not (r.get(c) or "").strip():
                fail("%s: %s: column %s is empty" % (path, code, c))
        try:
            m = int(r["month"])
            theta, hor = float(r["theta_e"]), float(r["I_Sol_Hor"])
        except (KeyError, ValueError):
            fail("%s: %s: month, theta_e and I_Sol_Hor must be numbers" % (path, code))
        if not 1 <= m <= 12 or not -30 <= theta <= 35 or not 0 <= hor <= 15:
            fail("%s: %s month %s: value out of range" % (path, code, r["month"]))
        d = by_code.setdefault(code, {})
        if m in d:
            fail("%s: %s: month %d given twice" % (path, code, m))
        d[m] = r
    for code, d in by_code.items():
        if sorted(d) != list(range(1, 13)):
            fail("%s: %s: needs exactly the 12 months" % (path, code))
        for c in TEXT_COLS:
            if len({d[m][c] for m in d}) != 1:
                fail("%s: %s: column %s differs between months" % (path, code, c))
    return by_code


def read_monthly(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = next(csv.reader([lines[0]]))
    table = {}
    for line in lines[1:]:
        if line.strip():
            rec = dict(zip(header, next(csv.reader([line]))))
            table[rec["code"]] = rec
    return lines, header, table


def generate(by_code, header, table):
    out = []
    for code in sorted(by_code):
        d = by_code[code]
        first = d[1]
        donor = table.get(first["ratio_donor"])
        if donor is None or donor["code"].startswith("SK."):
            fail("%s: ratio_donor %s is not a non-SK row of monthly.csv" % (code, first["ratio_donor"]))
        rec = {"code": code, "country": "SK", "name": first["name"]}
        for m in range(1, 13):
            hor = float(d[m]["I_Sol_Hor"])
            rec["theta_e_%02d" % m] = num(float(d[m]["theta_e"]))
            rec["I_Sol_Hor_%02d" % m] = num(hor)
            dh = float(donor["I_Sol_Hor_%02d" % m])
            for o in VERTICAL:
                rec["I_Sol_%s_%02d" % (o, m)] = num(hor * float(donor["I_Sol_%s_%02d" % (o, m)]) / dh)
        rec["source"] = ("theta_e: %s, %s, %s; I_Sol_Hor: %s, %s, %s; vertical: I_Sol_Hor x monthly ratios of "
                         "TABULA %s (gen_sk.py); licence: %s") % (
            first["theta_station"], first["theta_period"], first["theta_source"], first["irr_site"],
            first["irr_period"], first["irr_source"], first["ratio_donor"], first["licence"])
        fields = [rec[h] for h in header[:-1]] + ['"%s"' % rec["source"].replace('"', '""')]
        out.append(",".join(fields))
    return out


def main(argv):
    sources = os.path.join(HERE, "sk-sources.csv")
    monthly = os.path.join(HERE, "monthly.csv")
    mode = "print"
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("--write", "--check"):
            mode = a[2:]
        elif a == "--sources" and args:
            sources = args.pop(0)
        elif a == "--monthly" and args:
            monthly = args.pop(0)
        else:
            fail("usage: gen_sk.py [--write|--check] [--sources FILE] [--monthly FILE]")
    lines, header, table = read_monthly(monthly)
    if header[-1] != "source":
        fail("%s: last column must be source" % monthly)
    rows = generate(read_sources(sources), header, table)
    kept = [l for l in lines if not l.startswith("SK.")]
    current = [l for l in lines if l.startswith("SK.")]
    if mode == "print":
        sys.stdout.write("".join(r + "\n" for r in rows))
    elif mode == "check":
        if current != rows:
            fail("%s: SK rows differ from what %s gives; run gen_sk.py --write" % (monthly, sources))
        print("gen_sk.py: %d SK rows consistent with %s" % (len(rows), os.path.basename(sources)))
    else:
        with io.open(monthly, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(kept + rows) + "\n")
        print("gen_sk.py: wrote %d SK rows to %s" % (len(rows), monthly))


if __name__ == "__main__":
    main(sys.argv[1:])
