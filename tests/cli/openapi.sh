#!/usr/bin/env bash
# data/web/openapi.json documents every route of src/server/router.c (method and path), and its error responses
# use the one error body {"error":{"code","message"}}.
set -euo pipefail
python3 - "${SRC:?}" <<'PY'
import json, re, sys, pathlib
src = pathlib.Path(sys.argv[1])
doc = json.loads((src / "data/web/openapi.json").read_text(encoding="utf-8"))
assert doc["openapi"].startswith("3.0")
routes = re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', (src / "src/server/router.c").read_text())
assert len(routes) > 20, "router table not found"
missing = []
for method, pattern in routes:
    path = "/static/{file}" if pattern == "/static/*" else pattern
    if method.lower() not in doc["paths"].get(path, {}):
        missing.append(f"{method} {pattern}")
err = doc["components"]["schemas"]["Error"]["properties"]["error"]
assert set(err["required"]) == {"code", "message"}
if missing:
    print("not in openapi.json:", *missing, sep="\n  ")
    sys.exit(1)
PY
