#!/usr/bin/env bash
# extract.sh — `smartv4 extract` on real documents: JSON and --text output, exit codes, error messages.
set -u
: "${SMARTV4:?}" "${SRC:?}"
docs="$SRC/tests/data/docs"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# help and usage
"$SMARTV4" extract --help >"$tmp/out" 2>&1 || fail "--help exit code"
grep -q "usage: smartv4 extract" "$tmp/out" || fail "--help text"
"$SMARTV4" extract >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing FILE must exit 2"
"$SMARTV4" extract --bogus "$docs/notes.txt" >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option must exit 2"
"$SMARTV4" extract "$docs/notes.txt" "$docs/page.html" >/dev/null 2>&1; [ $? -eq 2 ] || fail "two files must exit 2"

# JSON for every good document parses and carries the expected structure (one python3 run: start-up is slow)
good="strategy.pdf program.docx smart-city.odt page.html cp1250.html notes.txt notes-utf16.txt"
for f in $good; do
  "$SMARTV4" extract "$docs/$f" >"$tmp/$f.json" 2>"$tmp/err" || fail "$f: $(cat "$tmp/err")"
done
python3 - "$tmp" $good <<'PY' || fail "JSON checks"
import json, os, sys
for name in sys.argv[2:]:
    d = json.load(open(os.path.join(sys.argv[1], name + ".json"), encoding="utf-8"))
    t = d["text"].encode("utf-8")
    kinds = [(b["kind"], b["level"], t[b["start"]:b["end"]].decode()) for b in d["blocks"]]
    assert d["format"] == {"htm": "html"}.get(name.rsplit(".", 1)[1], name.rsplit(".", 1)[1]), (name, d["format"])
    assert kinds, name
    if name == "strategy.pdf":
        assert d["pages"] == 3 and d["author"] == "Urząd Miasta Łodzi"
        assert ("heading", 1, "2. Cíle pro Českou republiku") in kinds
        assert ("title", 0, "Strategia rozwoju miasta 2030") in kinds
    if name == "program.docx":
        assert ("list_item", 0, "Fotowoltaika na dachach szkół") in kinds
    if name == "smart-city.odt":
        assert ("heading", 2, "Opatření") in kinds
    if name == "page.html":
        assert "skript" not in d["text"] and d["lang_hint"] == "hu"
PY

# --text prints the plain text
"$SMARTV4" extract --text "$docs/notes.txt" >"$tmp/t" || fail "--text exit code"
printf 'Strategia energetyczna\n\nZwiększenie udziału OZE do 40 %% w 2030.\n\nČeština: řeka. Magyar: őszi.\n' | cmp -s - "$tmp/t" ||
  fail "--text output differs"
# standard input
"$SMARTV4" extract --text - <"$docs/page.html" | grep -q "^Zöld város$" || fail "stdin"

# broken and hostile files: exit 1, message names the file and the problem
expect_err() { # file, fragment
  "$SMARTV4" extract "$docs/$1" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc -eq 1 ] || fail "$1: exit $rc, want 1"
  [ -s "$tmp/out" ] && fail "$1: printed output on failure"
  grep -qF "$docs/$1: " "$tmp/err" || fail "$1: message does not name the file: $(cat "$tmp/err")"
  grep -qF "$2" "$tmp/err" || fail "$1: message lacks '$2': $(cat "$tmp/err")"
}
expect_err truncated.pdf "truncated or damaged PDF"
expect_err garbage.pdf "truncated or damaged PDF"
expect_err zip-bomb.docx "zip entry word/document.xml expands beyond 100x (zip bomb?)"
expect_err billion-laughs.docx "DOCTYPE"
expect_err encrypted.docx "encrypted"
expect_err empty.docx "empty file"
expect_err empty.txt "empty file"
expect_err no-document.docx "word/document.xml"
expect_err latin2.txt "not valid UTF-8 at byte offset 2"
expect_err password.pdf "password-protected"
"$SMARTV4" extract "$tmp/nope.pdf" 2>"$tmp/err"; [ $? -eq 1 ] || fail "missing file must exit 1"
grep -q "nope.pdf" "$tmp/err" || fail "missing file message"

expect_err bomb-lying-size.docx "expands beyond 100x (zip bomb?)"
expect_err bomb-declared.docx "declares 629145600 bytes"

[ $fails -eq 0 ] && echo "extract: all passed"
exit $((fails > 0))
