#!/usr/bin/env bash
# Installs the Debian packages smartv4 needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|bench|all]   (default: build)
# Idempotent: a second run with everything present does nothing and is fast.
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
  libvectorscan-dev libutf8proc-dev libexttextcat-dev
  libmupdf-dev libmujs-dev libgumbo-dev libjbig2dec0-dev libopenjp2-7-dev libjpeg-dev
  libharfbuzz-dev libfreetype-dev zlib1g-dev
  libzip-dev libxml2-dev libsodium-dev libxlsxwriter-dev
)
# `make check` also runs every benchmark at tiny sizes (tests/cli/bench_smoke.sh), so the benchmarks' tools and
# peers are test packages too: curl, wrk, nginx (portal), hyperfine, ripgrep (classify), time, IFC++ with the Boost
# headers it includes, and node/npm for web-ifc (bim_parse; g++ comes with build-essential).
test_pkgs=(
  libcmocka-dev clang libclang-rt-14-dev python3 sqlite3
  chromium nodejs npm postgresql curl
  wrk hyperfine ripgrep nginx-light time libifcplusplus-dev libboost-dev
)
# only what the long runs need beyond that (none at the moment)
bench_pkgs=()

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test)  want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all)   want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  # node/npm may come from outside Debian (e.g. nvm); accept a working binary.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm)    command -v npm  >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/update-success-stamp
if [ ! -d /var/lib/apt/lists ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] \
   || ! apt-cache show "${missing[0]}" >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
