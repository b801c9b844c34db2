#!/usr/bin/env bash
# The interface catalogues: five languages, the same keys in each, no empty text, valid JSON.
set -euo pipefail
python3 - "${SRC:?}/data/i18n" <<'PY'
import json, sys, pathlib
d = pathlib.Path(sys.argv[1])
cats = {l: json.loads((d / f"{l}.json").read_text(encoding="utf-8")) for l in ["en", "pl", "cs", "sk", "hu"]}
keys = set(cats["en"])
assert len(keys) > 100, "the English catalogue looks truncated"
bad = 0
for l, c in cats.items():
    for k in sorted(keys - set(c)): print(f"{l}.json: missing {k}"); bad += 1
    for k in sorted(set(c) - keys): print(f"{l}.json: extra {k}"); bad += 1
    for k, v in c.items():
        if not isinstance(v, str) or not v.strip(): print(f"{l}.json: empty {k}"); bad += 1
# translated, not copied: most Polish texts differ from the English ones
same = sum(1 for k in keys if cats["pl"][k] == cats["en"][k])
assert same < len(keys) // 10, f"{same} Polish texts are identical to English"
sys.exit(1 if bad else 0)
PY
