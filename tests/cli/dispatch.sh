#!/usr/bin/env bash
# dispatch.sh — the two executables (src/cli/dispatch.c): smartv4, the light front, is linked without the heavy
# libraries, runs classify/eval/rules and plain-text documents itself and hands everything else to smartv4-full
# beside it by exec: same output, exit code, stdin; a clear error when smartv4-full is missing.
set -u
: "${SMARTV4:?}" "${SRC:?}"
FULL="$(dirname "$SMARTV4")/smartv4-full"
docs="$SRC/tests/data/docs"
export SMARTV4_DATA="$SRC/tests/data"
tmp=$(mktemp -d)
export XDG_CACHE_HOME="$tmp/cache"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

[ -x "$FULL" ] || { echo "FAIL: no executable $FULL beside $SMARTV4" >&2; exit 1; }

# (1) shared objects: the light front needs none of the importers', store's, server's, export's libraries
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
needed "$SMARTV4" >"$tmp/light.needed"
needed "$FULL" >"$tmp/full.needed"
for lib in libxml2 libzip libmicrohttpd libxlsxwriter libfreetype libharfbuzz libjbig2dec libopenjp2 libjpeg \
  libsqlite3 libsodium libmujs libgumbo; do
  grep -q "^$lib\.so" "$tmp/light.needed" && fail "smartv4 needs $lib"
done
for lib in libxml2 libzip libmicrohttpd libxlsxwriter libfreetype libsqlite3 libsodium; do
  grep -q "^$lib\.so" "$tmp/full.needed" || fail "smartv4-full does not need $lib"
done
# libpq stays loaded on demand (src/store/postgres/pq.h) in smartv4-full too
grep -q '^libpq\.so' "$tmp/full.needed" && fail "smartv4-full needs libpq at start"
heavy=$(ldd "$SMARTV4" | grep -oE 'lib(xml2|zip|microhttpd|gnutls|icuuc|xlsxwriter|sqlite3|sodium)[^ ]*' | tr '\n' ' ')
[ -z "$heavy" ] || fail "smartv4 loads $heavy"

# same => stdout, stderr and exit code of smartv4 and smartv4-full agree for the arguments given
same() {
  "$SMARTV4" "$@" <"$stdin" >"$tmp/l.out" 2>"$tmp/l.err"
  local l=$?
  "$FULL" "$@" <"$stdin" >"$tmp/f.out" 2>"$tmp/f.err"
  local f=$?
  [ $l -eq $f ] || fail "$*: exit $l through smartv4, $f from smartv4-full"
  cmp -s "$tmp/l.out" "$tmp/f.out" || fail "$*: stdout differs"
  cmp -s "$tmp/l.err" "$tmp/f.err" || fail "$*: stderr differs: $(head -c 300 "$tmp/l.err")"
  return $l
}
stdin=/dev/null

# (2) commands and documents that need smartv4-full work through smartv4
same extract "$docs/program.docx" || fail "extract DOCX through smartv4"
grep -q '"format":"docx"' "$tmp/l.out" || fail "extract DOCX output"
same extract --text "$docs/strategy.pdf" || fail "extract PDF through smartv4"
same classify --json "$docs/notes.txt" "$docs/smart-city.odt" || fail "classify TXT + ODT through smartv4"
same smart "$docs/page.html" || fail "smart HTML through smartv4"
same extract "$docs/truncated.pdf"; [ $? -eq 1 ] || fail "a damaged PDF through smartv4 must exit 1"
same export --help || fail "export --help through smartv4"
grep -q 'usage: smartv4 export' "$tmp/l.out" || fail "export --help text"
same bim tabula --help || fail "bim tabula --help through smartv4"
same user list --db "$tmp/u.db" || fail "user list through smartv4"
# standard input is handed on untouched
stdin="$docs/program.docx"
same extract - || fail "extract - (DOCX on stdin) through smartv4"
grep -q '"format":"docx"' "$tmp/l.out" || fail "extract - output"
stdin="$docs/notes.txt"
same classify - || fail "classify - through smartv4"
stdin=/dev/null

# (3) plain text is classified by the light front itself (here and in (4) without smartv4-full)
printf '%s\n' '{"id":"a","text":"We invest in renewable energy.","lang":"en"}' >"$tmp/one.jsonl"
stdin="$tmp/one.jsonl"
same classify --jsonl || fail "classify --jsonl"
grep -q '"id":"a".*"sdg":\[7\]' "$tmp/l.out" || fail "classify --jsonl output: $(cat "$tmp/l.out")"
stdin=/dev/null
same classify "$docs/notes.txt" "$docs/notes-utf16.txt" || fail "classify TXT"
same extract "$docs/latin2.txt"; [ $? -eq 1 ] || fail "extract of non-UTF-8 text must exit 1"
same extract "$docs/empty.txt"; [ $? -eq 1 ] || fail "extract of an empty file must exit 1"
same extract "$tmp/missing.txt"; [ $? -eq 1 ] || fail "extract of a missing file must exit 1"

# (4) smartv4 alone: heavy commands fail naming the missing smartv4-full, light ones still work
mkdir "$tmp/alone"
cp "$SMARTV4" "$tmp/alone/smartv4"
"$tmp/alone/smartv4" export --help >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "export without smartv4-full: exit $rc, not 1"
grep -qF "$tmp/alone/smartv4-full" "$tmp/err" || fail "the message must name $tmp/alone/smartv4-full: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "export without smartv4-full wrote to stdout"
"$tmp/alone/smartv4" extract "$docs/strategy.pdf" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -qF "$tmp/alone/smartv4-full" "$tmp/err" || fail "PDF without smartv4-full: exit $rc, $(cat "$tmp/err")"
"$tmp/alone/smartv4" classify --jsonl "$tmp/one.jsonl" >"$tmp/out" 2>"$tmp/err" || fail "classify --jsonl alone: $(cat "$tmp/err")"
grep -q '"sdg":\[7\]' "$tmp/out" || fail "classify --jsonl alone: output"
"$tmp/alone/smartv4" extract "$docs/notes.txt" >"$tmp/out" 2>"$tmp/err" || fail "extract TXT alone: $(cat "$tmp/err")"
"$FULL" extract "$docs/notes.txt" | cmp -s - "$tmp/out" || fail "extract TXT alone differs from smartv4-full"
# a smartv4-full that is not executable is refused the same way
: >"$tmp/alone/smartv4-full"
"$tmp/alone/smartv4" serve --help >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -qF "$tmp/alone/smartv4-full" "$tmp/err" || fail "non-executable smartv4-full: exit $rc"
# smartv4-full never hands on: alone, it runs everything itself
cp "$FULL" "$tmp/alone/full"
"$tmp/alone/full" export --help | grep -q 'usage: smartv4 export' || fail "smartv4-full alone: export --help"
"$tmp/alone/full" extract "$docs/program.docx" | grep -q '"format":"docx"' || fail "smartv4-full alone: extract DOCX"

# (5) help, version and usage errors: as before, through the dispatch too
same --help || fail "--help"
same --version || fail "--version"
same; [ $? -eq 2 ] || fail "no command must exit 2"
same nosuch; [ $? -eq 2 ] || fail "unknown command must exit 2"
same export --bogus; [ $? -eq 2 ] || fail "export --bogus must exit 2"
same serve --port; [ $? -eq 2 ] || fail "serve --port (no value) must exit 2"
same bim; [ $? -eq 2 ] || fail "bim without a subcommand must exit 2"
same import; [ $? -eq 2 ] || fail "import without files must exit 2"
same classify --bogus; [ $? -eq 2 ] || fail "classify --bogus must exit 2"
same extract; [ $? -eq 2 ] || fail "extract without FILE must exit 2"
same smart --bogus "$docs/strategy.pdf"; [ $? -eq 2 ] || fail "smart --bogus must exit 2"

[ $fails -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "dispatch: ok"
