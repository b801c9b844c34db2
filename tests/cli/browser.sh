#!/usr/bin/env bash
# The browser end-to-end tests (chromium + playwright-core) against the real server; see tests/browser/run.sh.
set -euo pipefail
exec "${SRC:?SRC not set}/tests/browser/run.sh"
