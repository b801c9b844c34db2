#!/usr/bin/env python3
"""Generate sdg-targets.csv and sdg-goals-long.csv from the open-sdg translation files.

Usage: python3 data/taxonomy/gen_sdg.py [SDG_DIR] [OUT_DIR]
  SDG_DIR defaults to ../shared/data/sdg beside the repository,
  OUT_DIR defaults to the folder of this script (data/taxonomy).

Standard library only. The input YAML is the simple form used by
open-sdg/sdg-translations: one mapping of `key: value`, values plain or
single-/double-quoted and possibly continued on indented lines (folded
with one space). Anything else is rejected with a message naming the line.
"""
import csv
import os
import re
import sys

KEY_RE = re.compile(r'^([0-9A-Za-z_.-]+):(?:\s+(.*))?$')


def _unquote(text, path, line):
    """Decode one complete scalar (already folded onto one line)."""
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            raise ValueError(f"{path}:{line}: unterminated single-quoted value")
        return text[1:-1].replace("''", "'")
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise ValueError(f"{path}:{line}: unterminated double-quoted value")
        body = text[1:-1]
        out, i = [], 0
        esc = {'"': '"', '\\': '\\', '/': '/', 'n': '\n', 't': '\t', ' ': ' '}
        while i < len(body):
            c = body[i]
            if c == '\\':
                if i + 1 >= len(body) or body[i + 1] not in esc:
                    raise ValueError(f"{path}:{line}: unsupported escape in value")
                out.append(esc[body[i + 1]])
                i += 2
            else:
                out.append(c)
                i += 1
        return ''.join(out)
    if text[:1] in ('|', '>', '&', '*', '!', '[', '{'):
        raise ValueError(f"{path}:{line}: unsupported YAML construct {text[:1]!r}")
    # plain scalar: drop a trailing comment (" #")
    pos = text.find(' #')
    if pos >= 0:
        text = text[:pos]
    return text.strip()


def load_yaml(path):
    """Return {key: value} for a flat YAML mapping of strings."""
    items = {}
    key = start = None
    parts = []

    def flush():
        if key is not None:
            value = _unquote(' '.join(parts).replace(' \n ', '\n').strip(), path, start)
            if key in items:
                raise ValueError(f"{path}:{start}: duplicate key {key}")
            items[key] = value

    with open(path, encoding='utf-8') as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip('\r\n')
            if line.startswith('#'):
                continue  # comment line
            if not line.strip():
                if key is not None:
                    parts.append('\n')  # a blank line inside a value is a line break
                continue
            if line[0] in ' \t':
                if key is None:
                    raise ValueError(f"{path}:{n}: continuation line without a key")
                parts.append(line.strip())
                continue
            m = KEY_RE.match(line)
            if not m:
                raise ValueError(f"{path}:{n}: not a `key: value` line")
            flush()
            key, start = m.group(1), n
            parts = [m.group(2) or '']
    flush()
    return items


def target_sort_key(code):
    goal, sub = code.split('.')
    # numeric targets first (1..n), then lettered means of implementation (a, b, ...)
    return (int(goal), 0 if sub.isdigit() else 1, int(sub) if sub.isdigit() else sub)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    sdg_dir = argv[1] if len(argv) > 1 else os.path.join(repo, '..', 'shared', 'data', 'sdg')
    out_dir = argv[2] if len(argv) > 2 else here

    targets = {}
    for lang in ('en', 'cs'):
        for k, v in load_yaml(os.path.join(sdg_dir, f'global_targets.{lang}.yml')).items():
            m = re.fullmatch(r'(\d+)-([0-9a-z]+)-title', k)
            if not m:
                continue
            code = f'{m.group(1)}.{m.group(2)}'
            targets.setdefault(code, {})[lang] = v
    goals = {}
    for lang in ('en', 'cs'):
        for k, v in load_yaml(os.path.join(sdg_dir, f'global_goals.{lang}.yml')).items():
            m = re.fullmatch(r'(\d+)-title', k)
            if m:
                goals.setdefault(int(m.group(1)), {})[lang] = v

    errors = []
    if sorted(goals) != list(range(1, 18)):
        errors.append(f'expected goals 1..17, found {sorted(goals)}')
    if len(targets) != 169:
        errors.append(f'expected 169 targets, found {len(targets)}')
    for code, t in targets.items():
        for lang in ('en', 'cs'):
            if not t.get(lang):
                errors.append(f'target {code}: missing {lang} title')
        if int(code.split('.')[0]) not in goals:
            errors.append(f'target {code}: goal does not exist')
    for g, t in goals.items():
        for lang in ('en', 'cs'):
            if not t.get(lang):
                errors.append(f'goal {g}: missing {lang} long title')
    if errors:
        for e in errors:
            print('gen_sdg: ' + e, file=sys.stderr)
        return 1

    with open(os.path.join(out_dir, 'sdg-targets.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['code', 'goal', 'en', 'cs'])
        for code in sorted(targets, key=target_sort_key):
            w.writerow([code, code.split('.')[0], targets[code]['en'], targets[code]['cs']])
    with open(os.path.join(out_dir, 'sdg-goals-long.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['code', 'en', 'cs'])
        for g in sorted(goals):
            w.writerow([g, goals[g]['en'], goals[g]['cs']])
    print(f'gen_sdg: wrote {len(goals)} goals and {len(targets)} targets to {out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
