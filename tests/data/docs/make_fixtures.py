#!/usr/bin/env python3
"""Generates the importer test documents in this folder (run once; the outputs are committed, the build never
runs this). Everything is written from scratch: PDF objects by hand, DOCX/ODT as zips of XML written here.
The encrypted PDFs come from make_encrypted_pdf.c (MuPDF); encrypted.docx needs the zip tool."""
import os, random, subprocess, tempfile, zipfile, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # reproducible zips


def out(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------------------------------- PDF
GLYPHS = {  # non-ASCII characters used below -> PostScript glyph names (Adobe Glyph List)
    "ą": "aogonek", "ę": "eogonek", "ł": "lslash", "Ł": "Lslash", "ń": "nacute", "ś": "sacute", "Ś": "Sacute",
    "ź": "zacute", "ż": "zdotaccent", "Ż": "Zdotaccent", "ó": "oacute", "ć": "cacute", "ě": "ecaron",
    "š": "scaron", "č": "ccaron", "Č": "Ccaron", "ř": "rcaron", "ž": "zcaron", "ý": "yacute", "á": "aacute",
    "í": "iacute", "ů": "uring", "é": "eacute", "ú": "uacute", "ö": "odieresis", "ü": "udieresis",
    "ő": "ohungarumlaut", "ű": "uhungarumlaut", "Á": "Aacute", "É": "Eacute", "–": "endash",
}
CODES = {ch: 128 + i for i, ch in enumerate(GLYPHS)}


def pdf_string(s):
    b = bytearray()
    for ch in s:
        if ch in CODES:
            b.append(CODES[ch])
        else:
            o = ord(ch)
            assert o < 128, ch
            if ch in "()\\":
                b.append(ord("\\"))
            b.append(o)
    return b"(" + bytes(b) + b")"


def make_pdf(pages, info, lang):
    """pages: list of lists of (size, y, text) lines, drawn in Helvetica at x=72."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    diffs = " ".join("/" + GLYPHS[ch] for ch in GLYPHS)
    enc = add(b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [128 " + diffs.encode() + b"] >>")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding %d 0 R >>" % enc)
    pages_id = len(objs) + 1 + 2 * len(pages)  # content+page per page, then the page tree
    kids = []
    for lines in pages:
        ops = bytearray()
        for size, y, text in lines:
            ops += b"BT /F1 %g Tf 72 %g Td " % (size, y) + pdf_string(text) + b" Tj ET\n"
        stream = zlib.compress(bytes(ops))
        c = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, c, font)))
    assert add(b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))) == pages_id
    cat = add(b"<< /Type /Catalog /Pages %d 0 R /Lang (%s) >>" % (pages_id, lang.encode()))
    # document information strings are text strings (UTF-16BE with a BOM), not font-encoded
    inf = add(b"<< " + b" ".join(b"/%s <FEFF%s>" % (k.encode(), v.encode("utf-16-be").hex().upper().encode())
                                 for k, v in info.items()) + b" >>")
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        pdf += b"%010d 00000 n \n" % o
    pdf += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, cat, inf, xref)
    return bytes(pdf)


def para(y, lines, size=11, lead=14):
    return [(size, y - i * lead, t) for i, t in enumerate(lines)]


def strategy_pdf():
    header = lambda n: [(9, 810, f"Strategia rozwoju miasta 2030 – strona {n} z 3")]  # running header
    p1 = header(1) + [(24, 770, "Strategia rozwoju miasta 2030")]
    p1 += [(18, 720, "1. Energia i klimat")]
    p1 += para(690, ["Miasto zwiększy udział odnawialnych źródeł energii do 40 procent do roku 2030.",
                     "Program obejmuje modernizację sieci ciepłowniczej oraz termomoderni-",
                     "zację budynków użyteczności publicznej na linii Brno-",
                     "Praha i w regionie."])
    p1 += [(14, 600, "1.1 Zrównoważona mobilność")]
    p1 += para(570, ["Rozwój transportu publicznego i ścieżek rowerowych zmniejszy emisje.",
                     "Łódź, Śląsk i Żywiec współpracują w ramach programu."])
    p1 += [(11, 50, "1")]
    p2 = header(2) + [(18, 770, "2. Cíle pro Českou republiku")]
    p2 += para(740, ["Snížení emisí skleníkových plynů a zlepšení kvality ovzduší v městech.",
                     "Příprava územního plánu je řízena zastupitelstvem."])
    p2 += [(14, 670, "2.1 Magyar célok")]
    p2 += para(640, ["A megújuló energiaforrások részarányának növelése és az épületek",
                     "energiahatékonyságának javítása különösen fontos. Hőszivattyú, fűtés, őszi ütemezés."])
    p2 += [(11, 50, "2")]
    p3 = header(3) + [(18, 770, "3. Monitoring")]
    p3 += para(740, ["Wskaźniki będą raportowane co roku."])
    p3 += [(11, 50, "3")]
    return make_pdf([p1, p2, p3], {"Title": "Strategia rozwoju miasta", "Author": "Urząd Miasta Łodzi",
                                    "CreationDate": "D:20240315103000+01'00'"}, "pl-PL")


# --------------------------------------------------------------------------------------------- DOCX / ODT
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normalny"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Tytu"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Nagwek1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Nagwek2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Spistreci1"><w:name w:val="toc 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Akapitzlist"><w:name w:val="List Paragraph"/></w:style>
</w:styles>"""
CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Program Zielona Energia</dc:title><dc:creator>Jan Kowalski</dc:creator><dc:language>pl-PL</dc:language>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-02-01T09:00:00Z</dcterms:created>
</cp:coreProperties>"""


def wp(text, style=None, num=False, extra=""):
    ppr = ""
    if style or num:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + \
              ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if num else "") + "</w:pPr>"
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'


def docx_body():
    cells = "".join(f"<w:tc><w:tcPr/>{wp(t)}</w:tc>" for t in ["Cel", "Wskaźnik"])
    cells2 = "".join(f"<w:tc>{wp(t)}</w:tc>" for t in ["Emisje CO2", "−40 % do 2030"])
    return (wp("Program Zielona Energia", "Tytu") + wp("Wprowadzenie ..... 1", "Spistreci1") +
            wp("Wprowadzenie", "Nagwek1") +
            '<w:p><w:r><w:t>Program wspiera </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>odnawialne</w:t></w:r>'
            '<w:r><w:tab/><w:t>źródła</w:t><w:br/><w:t xml:space="preserve">  energii.</w:t></w:r>'
            '<w:del><w:r><w:delText>usunięty tekst</w:delText></w:r></w:del></w:p>' +
            wp("Cele szczegółowe", "Heading2") + wp("Fotowoltaika na dachach szkół", "Akapitzlist", True) +
            wp("Pompy ciepła w budynkach komunalnych", None, True) +
            f"<w:tbl><w:tblPr/><w:tblGrid/><w:tr>{cells}</w:tr><w:tr>{cells2}</w:tr></w:tbl>" +
            '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Podsumowanie</w:t></w:r></w:p>' +
            wp("Český text: řeka, Hungarian: őszi fűtés.") + "<w:sectPr/>")


def docx(path_or_none, files, compression=zipfile.ZIP_DEFLATED):
    import io
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", compression) as z:
        for name, data in files:
            z.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, compression)
    return bio.getvalue()


def doc_xml(body):
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{body}</w:body></w:document>'


def docx_files(body):
    return [("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("word/document.xml", doc_xml(body)),
            ("word/styles.xml", STYLES), ("docProps/core.xml", CORE)]


ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"')
ODT_CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ODT_NS}>
<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/></office:automatic-styles>
<office:body><office:text>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>
<text:p text:style-name="P1">Koncepce chytrého města</text:p>
<text:table-of-content text:name="TOC"><text:index-body><text:p>Úvod ..... 1</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">Úvod</text:h>
<text:p>Město Brno<text:s text:c="3"/>podporuje <text:span>sdílenou mobilitu</text:span><text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>poznámka</text:p></text:note-body></text:note> a<text:tab/>zeleň.</text:p>
<text:h text:outline-level="2">Opatření</text:h>
<text:list><text:list-item><text:p>Nové cyklostezky</text:p></text:list-item><text:list-item><text:p>Elektrobusy</text:p>
<text:list><text:list-item><text:p>Nabíjecí stanice</text:p></text:list-item></text:list></text:list-item></text:list>
<table:table table:name="T1"><table:table-column/><table:table-row><table:table-cell><text:p>Ukazatel</text:p></table:table-cell><table:table-cell><text:p>Cíl 2030</text:p><text:p>(t CO2)</text:p></table:table-cell></table:table-row></table:table>
<text:p>Magyar: hőszivattyú, Polski: źródło.</text:p>
</office:text></office:body></office:document-content>"""
ODT_META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {ODT_NS}><office:meta><dc:title>Koncepce chytrého města Brna</dc:title>
<meta:initial-creator>Petra Nováková</meta:initial-creator><meta:creation-date>2023-11-05T14:20:00</meta:creation-date>
<dc:language>cs-CZ</dc:language></office:meta></office:document-meta>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def odt():
    import io
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", FIXED_TIME), "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        for name, data in [("content.xml", ODT_CONTENT), ("meta.xml", ODT_META), ("META-INF/manifest.xml", MANIFEST)]:
            z.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return bio.getvalue()


HTML = """<!DOCTYPE html>
<html lang="hu"><head><meta charset="utf-8"><title>Zöld város program</title>
<meta name="author" content="Kovács Anna"><style>body { color: red }</style>
<script>var secret = "skript szöveg"; document.write("<p>nem</p>");</script></head>
<body><nav><ul><li>Főoldal</li><li>Kapcsolat</li></ul></nav>
<h1>Zöld város</h1>
<p>A program célja az  energiahatékonyság
   javítása &amp; a <b>megújuló</b> energia.</p>
<div>Laza szöveg egy div-ben.</div>
<h2>Intézkedések</h2>
<ul><li>Napelemek <p>iskolákon</p></li><li>Hőszivattyúk</li></ul>
<table><tr><th>Mutató</th><td>2030-as cél</td></tr></table>
<noscript>Kapcsold be a JavaScriptet</noscript>
<footer>© 2024 Város</footer></body></html>
"""
HTML_1250 = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1250">
<title>Strategie rozvoje města</title></head><body lang="cs">
<h1>Příliš žluťoučký kůň</h1><p>Úpěl ďábelské ódy. Zażółć gęślą jaźń.</p></body></html>
"""


def raw_zip(entries):
    """A zip written field by field, so sizes in the headers can lie: entries are (name, data, declared_size)."""
    import struct
    body, central = bytearray(), bytearray()
    for name, data, declared in entries:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        crc = zlib.crc32(data)
        n = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(packed), declared,
                               len(n), 0, 0, 0, 0, 0, len(body)) + n
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed), declared, len(n), 0) + n
        body += packed
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + eocd)


def main():
    pdf = strategy_pdf()
    out("strategy.pdf", pdf)
    out("truncated.pdf", pdf[: len(pdf) * 55 // 100])
    rnd = random.Random(4)
    out("garbage.pdf", b"%PDF-1.7\n" + bytes(rnd.randrange(256) for _ in range(4000)))

    out("program.docx", docx(None, docx_files(docx_body())))
    out("smart-city.odt", odt())
    out("empty.docx", b"")
    out("no-document.docx", docx(None, [("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("docProps/core.xml", CORE)]))
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n' +
              "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)) +
              f']>\n<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    out("billion-laughs.docx", docx(None, [("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("word/document.xml", laughs)]))
    # zip bomb: a 20 MB document.xml (text of zeros) deflates ~1000:1, far beyond the 100x limit
    bomb = doc_xml('<w:p><w:r><w:t>' + "0" * (20 << 20) + '</w:t></w:r></w:p>')
    out("zip-bomb.docx", docx(None, [("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("word/document.xml", bomb)]))
    # lying headers: 20 MB of zeros that claims to be 2000 bytes (caught while reading), and a small entry that
    # claims 600 MB (caught before reading)
    zeros = doc_xml('<w:p><w:r><w:t>' + "0" * (20 << 20) + '</w:t></w:r></w:p>').encode()
    out("bomb-lying-size.docx", raw_zip([("[Content_Types].xml", CT.encode(), len(CT.encode())),
                                          ("word/document.xml", zeros, 2000)]))
    small = doc_xml(wp("x")).encode()
    out("bomb-declared.docx", raw_zip([("[Content_Types].xml", CT.encode(), len(CT.encode())),
                                       ("word/document.xml", small, 600 << 20)]))
    with tempfile.TemporaryDirectory() as t:  # encrypted (traditional PKWARE) with the zip tool
        os.makedirs(os.path.join(t, "word"))
        for name, data in docx_files(docx_body()):
            os.makedirs(os.path.dirname(os.path.join(t, name)) or t, exist_ok=True)
            with open(os.path.join(t, name), "w") as f:
                f.write(data)
        subprocess.run(["zip", "-q", "-X", "-P", "secret", "-r", "enc.docx", "[Content_Types].xml", "_rels", "word",
                        "docProps"], cwd=t, check=True)
        with open(os.path.join(t, "enc.docx"), "rb") as f:
            out("encrypted.docx", f.read())

    out("page.html", HTML.encode())
    out("cp1250.html", HTML_1250.encode("cp1250"))
    txt = "Strategia energetyczna\r\n\r\nZwiększenie udziału OZE\r\ndo 40 % w 2030.\r\n\r\n\r\nČeština: řeka. Magyar: őszi.\r\n"
    out("notes.txt", b"\xef\xbb\xbf" + txt.encode())
    out("notes-utf16.txt", b"\xff\xfe" + txt.encode("utf-16-le"))
    out("latin2.txt", "Zażółć gęślą jaźń\n".encode("cp1250"))
    out("empty.txt", b"")


if __name__ == "__main__":
    main()
