#!/usr/bin/env python3
"""Makes a big IFC file for the STEP parse benchmark: the DATA section of a sample model replicated N times with
renumbered ids (#id → #id + k·offset, references inside strings left alone), until the file reaches --mb megabytes.

usage: bim_parse_gen.py SAMPLE.ifc OUT.ifc [--mb 320]
"""
import argparse
import re
import sys

REF = re.compile(rb"#(\d+)")


def split_data(text):
    """Returns (header up to and including 'DATA;', list of entity statements, trailer)."""
    start = text.index(b"DATA;") + len(b"DATA;")
    end = text.rindex(b"ENDSEC;")
    return text[:start], text[start:end], text[end:]


def template(body):
    """Splits the DATA body into literal pieces and reference numbers, skipping strings ('...' with '')."""
    parts, refs = [], []
    i, n, lit = 0, len(body), bytearray()
    while i < n:
        c = body[i]
        if c == 0x27:  # quote: copy the string verbatim
            j = i + 1
            while True:
                j = body.index(b"'", j)
                if j + 1 < n and body[j + 1] == 0x27:
                    j += 2
                    continue
                break
            lit += body[i : j + 1]
            i = j + 1
        elif c == 0x23:  # '#': a reference or an instance name
            j = i + 1
            while j < n and 0x30 <= body[j] <= 0x39:
                j += 1
            lit += b"#"
            parts.append(bytes(lit))
            refs.append(int(body[i + 1 : j]))
            lit = bytearray()
            i = j
        else:
            j = i
            while j < n and body[j] not in (0x27, 0x23):
                j += 1
            lit += body[i:j]
            i = j
    parts.append(bytes(lit))
    return parts, refs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sample")
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=320)
    a = ap.parse_args()
    text = open(a.sample, "rb").read()
    head, body, tail = split_data(text)
    parts, refs = template(body)
    offset = max(refs) + 1
    copies = max(1, int(a.mb * 1e6 // len(body)) + 1)
    with open(a.out, "wb") as f:
        f.write(head)
        for k in range(copies):
            base = k * offset
            out = [parts[0]]
            for p, r in zip(parts[1:], refs):
                out.append(str(r + base).encode())
                out.append(p)
            f.write(b"".join(out))
        f.write(tail)
    print(f"{a.out}: {copies} copies of {a.sample}, ids up to {copies * offset}", file=sys.stderr)


if __name__ == "__main__":
    main()
