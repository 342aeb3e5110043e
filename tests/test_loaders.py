"""Loaders: every format from small self-written files, each bad input, and the shared corpus."""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import pytest

from ingest.loaders import SUPPORTED_EXTENSIONS, filename_symbol, iter_files, load_file
from ingest.pdfclean import BARCODE, COUNTER, JOB_LINE, strip_furniture
from missiongraph.errors import LoadError


# --- helpers -------------------------------------------------------------------------------

def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal text PDF by hand: one Helvetica line per string, one content stream a page."""
    objs: list[bytes] = []
    n = len(pages)
    font_id = 3 + 2 * n
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


UN_PAGES = [
    ["United Nations  S/2099/7", "Security Council", "Distr.: General", "1 May 2099", "Original: English",
     "99-12345 (E)    010599", "*9912345*", "Report of the Secretary-General on UNXYZ", "",
     "1. The mission patrolled the", "border during the period."],
    ["S/2099/7", "99-12345 2/3", "2. Patrols continued along the river and", "reached the northern villages."],
    ["S/2099/7", "3/3 99-12345", "3. The Secretary-General thanks the personnel."],
]


def assert_exact_map(doc, samples: int = 3000, seed: int = 7) -> None:
    """body[b:b+n] == text[s:s+n] for every run, and each body char maps onto itself."""
    body = doc.clean
    for b, s, n in doc.segments or []:
        assert body[b:b + n] == doc.text[s:s + n]
    rng = random.Random(seed)
    for i in (rng.randrange(len(body)) for _ in range(min(samples, len(body)))):
        assert body[i] == doc.text[doc.to_stored(i)], i


def assert_no_furniture(doc) -> None:
    for line in doc.clean.split("\n"):
        assert not (JOB_LINE.match(line) or BARCODE.match(line) or COUNTER.match(line)), line
        assert not re.search(r"\b\d{2}-\d{5}\b", line), line


def load_one(path, **kw):
    docs = load_file(path, **kw)
    assert len(docs) == 1
    return docs[0]


# --- formats -------------------------------------------------------------------------------

def test_supported_extensions():
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl", ".csv"} <= SUPPORTED_EXTENSIONS


def test_txt(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("Convoy lessons\n\n1. Escorts left late.\r\n2. Radios failed.\n", encoding="utf-8")
    doc = load_one(f)
    assert doc.format == "txt" and doc.source == str(f.resolve()) and doc.record is None
    assert doc.title == "Convoy lessons"
    assert "\r" not in doc.text and doc.body is None and doc.pages is None
    assert doc.meta["encoding"] == "utf-8"


def test_relative_path_gives_absolute_source(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("hello world")
    monkeypatch.chdir(tmp_path)
    assert load_one("a.txt").source == str((tmp_path / "a.txt").resolve())


def test_utf8_bom_and_utf16(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffGao sécurité".encode("utf-8"))
    assert load_one(tmp_path / "bom.txt").text == "Gao sécurité"
    (tmp_path / "u16.txt").write_bytes("Tombouctou sécurité".encode("utf-16"))
    assert load_one(tmp_path / "u16.txt").text == "Tombouctou sécurité"


def test_cp1252_fallback_warns(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Rapport de la MINUSMA sur la sécurité à Gao – « bilan ».".encode("cp1252"))
    doc = load_one(f)
    assert "sécurité à Gao – « bilan »" in doc.text
    assert doc.meta["encoding"] == "cp1252" and "cp1252" in doc.meta["encoding_warning"]


def test_explicit_encoding(tmp_path):
    f = tmp_path / "latin2.txt"
    f.write_bytes("Łódź".encode("iso-8859-2"))
    assert load_one(f, encoding="iso-8859-2").text == "Łódź"
    with pytest.raises(LoadError, match="decode"):
        load_file(f, encoding="ascii")


def test_markdown(tmp_path):
    f = tmp_path / "aar.md"
    f.write_text("Intro line\n\n# After-action review: Op Sand\n\nText body.\n")
    doc = load_one(f)
    assert doc.format == "md" and doc.title == "After-action review: Op Sand"
    f2 = tmp_path / "fm.md"
    f2.write_text("---\ntitle: \"Front matter title\"\n---\n# Other\n\nBody.\n")
    assert load_one(f2).title == "Front matter title"


def test_html(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>UNMISS &amp; protection</title><style>p{color:red}</style>"
        "<script>var x = 'secret script';</script></head><body>"
        "<h1>Protection sites</h1><p>First   paragraph<br>second line &eacute;t&eacute;.</p>"
        "<div>Block two</div><ul><li>one</li><li>two</li></ul>"
        "<table><tr><th>Site</th><th>People</th></tr><tr><td>Juba</td><td>30 000</td></tr></table>"
        "<noscript>enable js</noscript></body></html>")
    doc = load_one(f)
    assert doc.format == "html" and doc.title == "UNMISS & protection"
    assert "secret" not in doc.text and "color" not in doc.text and "enable js" not in doc.text
    assert "Protection sites\n\nFirst paragraph\nsecond line été.\n\nBlock two" in doc.text
    assert "one\ntwo" in doc.text and "Site | People\nJuba | 30 000" in doc.text


def test_html_title_from_h1_and_declared_charset(tmp_path):
    f = tmp_path / "p.htm"
    f.write_bytes('<meta charset="iso-8859-1"><body><h1>Séance  publique</h1><p>Texte.</p>'.encode("latin-1"))
    doc = load_one(f)
    assert doc.title == "Séance publique" and "Texte." in doc.text


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("Lessons from Op Sand", 0)
    d.add_heading("Logistics", level=1)
    d.add_paragraph("Fuel convoys were delayed by checkpoints.")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Item", "Delay"
    t.cell(1, 0).text, t.cell(1, 1).text = "Fuel", "3 days"
    d.add_paragraph("After the table.")
    f = tmp_path / "aar.docx"
    d.save(f)
    doc = load_one(f)
    assert doc.format == "docx" and doc.title == "Lessons from Op Sand"
    assert "\nLogistics\n" in doc.text
    assert doc.text.index("Fuel convoys") < doc.text.index("Item | Delay") < doc.text.index("After the table.")
    assert "Fuel | 3 days" in doc.text


def test_pdf_pages_and_furniture(tmp_path):
    f = tmp_path / "S_2099_7.en.pdf"
    f.write_bytes(make_pdf(UN_PAGES))
    doc = load_one(f)
    assert doc.format == "pdf" and doc.meta["page_count"] == 3 and len(doc.pages) == 3
    assert doc.meta["filename_symbol"] == "S/2099/7"
    assert doc.title == "Report of the Secretary-General on UNXYZ"
    for line in ("99-12345", "*9912345*", "2/3", "3/3"):
        assert line not in doc.clean
    assert "\nS/2099/7\n" not in doc.clean and doc.clean.startswith("United Nations  S/2099/7")
    assert "1 May 2099" in doc.clean and "Original: English" in doc.clean
    assert "patrolled the\nborder" in doc.clean
    assert "\f" in doc.text
    assert_exact_map(doc)
    at = doc.to_stored(doc.clean.index("3. The Secretary-General"))
    assert doc.page_of(at) == 3
    assert doc.page_of(doc.to_stored(doc.clean.index("reached the northern"))) == 2
    assert doc.page_of(doc.to_stored(doc.clean.index("1. The mission"))) == 1


def test_text_export_pages_from_counters(tmp_path):
    f = tmp_path / "S_2099_7.txt"
    f.write_text("\n".join("\n".join(p) for p in UN_PAGES) + "\n")
    doc = load_one(f)
    assert doc.pages and len(doc.pages) == 3
    assert_no_furniture(doc)
    assert_exact_map(doc)
    assert doc.page_of(doc.to_stored(doc.clean.index("2. Patrols"))) == 2
    assert doc.page_of(doc.to_stored(doc.clean.index("3. The Secretary"))) == 3


def test_un_title_without_furniture(tmp_path):
    f = tmp_path / "S_2099_1.txt"
    f.write_text("United Nations                S/2099/1*\nSecurity Council        Distr.: General\n"
                 "                  14 June 2024\n\n[SAMPLE - invented.]\n\nSituation in\nSouth Sudan\n\n"
                 "Report of the Secretary-General\n\n1. The present report.\n")
    doc = load_one(f)
    assert doc.title == "Situation in South Sudan" and doc.body is None
    f.write_text("United Nations  S/RES/9001 (2024)\n\nThe Security Council,\n\n1. Decides.\n")
    assert load_one(f).title == "United Nations  S/RES/9001 (2024)"  # no title block: first line


def test_plain_text_without_furniture_is_not_cleaned(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("S/2025/403\n\nA list of documents.\n2/3 of the troops left.\n")
    doc = load_one(f)
    assert doc.body is None and doc.segments is None


def test_strip_furniture_keeps_meaningful_symbol_lines():
    text = "Intro.\nS/2025/111\nis a report.\n*2512345*\nEnd.\n"
    cleaned = strip_furniture(text, symbol="S/2025/999")
    assert "S/2025/111" in cleaned.body and "*2512345*" not in cleaned.body


@pytest.mark.parametrize("name, symbol", [
    ("S_RES_2779.txt", "S/RES/2779"),
    ("S_RES_2779_(2025).en.pdf", "S/RES/2779 (2025)"),
    ("S_2025_403.en.pdf", "S/2025/403"),
    ("S_2025_403.txt", "S/2025/403"),
    ("S_2025_10_Add.31.txt", "S/2025/10/Add.31"),
    ("S_2025_71_Rev.1.txt", "S/2025/71/Rev.1"),
    ("S_RES_0425_1978_EN_GOLD.txt", "S/RES/425 (1978)"),
    ("lessons.jsonl", None),
    ("notes.txt", None),
])
def test_filename_symbol(name, symbol):
    assert filename_symbol(name) == symbol


# --- records -------------------------------------------------------------------------------

LESSON = {"lesson_number": "7", "url": "https://llis.nasa.gov/lesson/7", "title": "Loose screws",
          "lesson_date": "1991-04-09", "organization": "jsc", "program_phase": "", "nasa_topics": ["Safety"],
          "abstract_text": "", "driving_event_text": "The inverter failed.",
          "lesson_text": "Check rework.", "recommendation_text": "Apply changes to fielded units."}


def test_jsonl_records(tmp_path):
    f = tmp_path / "lessons.jsonl"
    other = dict(LESSON, lesson_number=8, title="Second", lesson_text="Another lesson.")
    f.write_text(json.dumps(LESSON) + "\n\n" + json.dumps(other) + "\n")
    docs = load_file(f)
    assert [d.record for d in docs] == ["7", "8"]
    d = docs[0]
    assert d.format == "jsonl" and d.title == "Loose screws" and d.source == str(f.resolve())
    assert d.text == ("Driving event\nThe inverter failed.\n\nLesson\nCheck rework.\n\n"
                      "Recommendation\nApply changes to fielded units.\n\n")
    assert set(d.field_spans) == {"driving_event_text", "lesson_text", "recommendation_text"}
    for name, (s, e) in d.field_spans.items():
        assert d.text[s:e] == LESSON[name]
    assert d.meta["lesson_date"] == "1991-04-09" and d.meta["organization"] == "jsc"
    assert d.meta["nasa_topics"] == ["Safety"] and d.meta["url"].endswith("/7")
    assert "program_phase" not in d.meta and "title" not in d.meta and "lesson_text" not in d.meta


def test_jsonl_explicit_fields_and_long_field_detection(tmp_path):
    f = tmp_path / "r.jsonl"
    rows = [{"key": "a1", "headline": "H", "notes": "word " * 40, "tag": "x"},
            {"key": "a1", "headline": "H2", "notes": "more " * 40, "tag": "y"}]
    f.write_text("\n".join(json.dumps(r) for r in rows))
    docs = load_file(f, id_field="key", title_field="headline")
    assert [d.record for d in docs] == ["a1", "a1#2"]  # duplicate ids made unique
    assert docs[0].title == "H" and list(docs[0].field_spans) == ["notes"] and docs[0].meta["tag"] == "x"
    docs = load_file(f, text_fields=["tag"])
    assert docs[0].text == "Tag\nx\n\n" and docs[0].record == "line-1"
    with pytest.raises(LoadError, match="'nope' not found"):
        load_file(f, text_fields=["nope"])
    with pytest.raises(LoadError, match="id field 'nope'"):
        load_file(f, id_field="nope")


def test_csv_records(tmp_path):
    f = tmp_path / "aar.csv"
    f.write_text('id,title,description,year\n1,Convoy,"Escorts left late, and radios failed.\nSecond line.",2020\n'
                 '2,Camp,"Perimeter lights failed.",2021\n')
    docs = load_file(f)
    assert [d.record for d in docs] == ["1", "2"] and docs[0].format == "csv"
    assert docs[0].text == "Description\nEscorts left late, and radios failed.\nSecond line.\n\n"
    assert docs[0].meta["year"] == "2020" and docs[0].title == "Convoy"
    s, e = docs[0].field_spans["description"]
    assert docs[0].text[s:e].startswith("Escorts")


def test_csv_semicolon_dialect(tmp_path):
    f = tmp_path / "semi.csv"
    f.write_text("doc_id;text\nA;Patrol one went north.\nB;Patrol two went south.\n")
    assert [d.record for d in load_file(f)] == ["A", "B"]


# --- bad input -----------------------------------------------------------------------------

def _err(path, **kw) -> str:
    with pytest.raises(LoadError) as e:
        load_file(path, **kw)
    assert e.value.input == str(path) or e.value.input == str(Path(path).resolve())
    assert Path(path).name in e.value.message
    return e.value.message.lower()


@pytest.mark.parametrize("name, data", [("e.txt", b""), ("w.md", b"  \n\t\n"), ("e.html", b""),
                                        ("e.jsonl", b"\n\n"), ("e.csv", b""), ("e.pdf", b""), ("e.docx", b"")])
def test_empty_files(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    assert "empty" in _err(tmp_path / name)


def test_binary_junk(tmp_path):
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 40)
    assert "binary" in _err(tmp_path / "junk.txt")
    (tmp_path / "ctl.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 100)
    assert "binary" in _err(tmp_path / "ctl.txt")
    (tmp_path / "undec.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 50)
    assert "undecodable" in _err(tmp_path / "undec.txt")


def test_truncated_and_corrupt_pdf(tmp_path):
    data = make_pdf(UN_PAGES)
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    assert "truncated" in _err(tmp_path / "cut.pdf")
    (tmp_path / "fake.pdf").write_text("this is not a pdf at all")
    assert "not a pdf" in _err(tmp_path / "fake.pdf")


def test_blank_page_pdf_has_no_text(tmp_path):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    with open(tmp_path / "blank.pdf", "wb") as f:
        w.write(f)
    assert "no extractable text" in _err(tmp_path / "blank.pdf")


@pytest.mark.parametrize("password", ["secret", ""])
def test_encrypted_pdf(tmp_path, password):
    from pypdf import PdfReader, PdfWriter

    src = tmp_path / "src.pdf"
    src.write_bytes(make_pdf(UN_PAGES))
    w = PdfWriter(clone_from=PdfReader(src))
    w.encrypt(password, owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as f:
        w.write(f)
    if password:
        assert "encrypted" in _err(locked)
    else:  # an empty user password only restricts printing/editing: it opens
        assert "Patrols continued" in load_one(locked).text


def test_unsupported_and_missing(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG....")
    assert "unsupported file type '.png'" in _err(tmp_path / "image.png")
    assert "no such file" in _err(tmp_path / "missing.txt")
    (tmp_path / "dir.txt").mkdir()
    assert "directory" in _err(tmp_path / "dir.txt")


def test_broken_symlink(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    assert "broken link" in _err(tmp_path / "link.txt")


def test_permission_denied(tmp_path, monkeypatch):
    f = tmp_path / "secret.txt"
    f.write_text("classified")

    def deny(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert "permission denied" in _err(f)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_for_real(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("classified")
    f.chmod(0)
    try:
        assert "permission denied" in _err(f)
        [(path, err)] = list(iter_files([tmp_path]))
        assert path == f and "permission denied" in err.message
    finally:
        f.chmod(0o644)


def test_malformed_jsonl_names_the_line(tmp_path):
    f = tmp_path / "records.jsonl"
    f.write_text('{"id": 1, "text": "fine"}\n{not json\n')
    assert "line 2" in _err(f)
    f.write_text('{"id": 1, "text": "fine"}\n\n[1, 2]\n')
    msg = _err(f)
    assert "line 3" in msg and "object" in msg


def test_records_without_text(tmp_path):
    f = tmp_path / "missions.csv"
    f.write_text("mission,year,iso3c\nUNMISS,2011,SSD\nMONUSCO,2010,COD\n")
    assert "no text column" in _err(f)
    g = tmp_path / "short.jsonl"
    g.write_text('{"id": 1, "code": "x"}\n')
    assert "no text field" in _err(g)
    h = tmp_path / "blank.jsonl"
    h.write_text('{"id": 1, "text": ""}\n{"id": 2, "text": "  "}\n')
    assert "no record has any text" in _err(h)
    k = tmp_path / "header_only.csv"
    k.write_text("id,text\n")
    assert "no rows" in _err(k)


def test_corrupt_docx(tmp_path):
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0 old binary word file")
    assert "not a .docx" in _err(tmp_path / "old.docx")
    (tmp_path / "cut.docx").write_bytes(b"PK\x03\x04 truncated zip")
    assert "corrupt" in _err(tmp_path / "cut.docx")


# --- iter_files ----------------------------------------------------------------------------

def test_iter_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "b" / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "skip.png").write_bytes(b"x")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "c_dangling.txt")
    os.symlink(tmp_path, tmp_path / "b" / "loop")
    got = list(iter_files([tmp_path]))
    assert [p.relative_to(tmp_path).as_posix() for p, _ in got] == ["a.md", "b/a.pdf", "b/z.txt", "c_dangling.txt"]
    assert [e is None for _, e in got] == [True, True, True, False]
    assert "broken link" in got[3][1].message
    assert [p.name for p, _ in iter_files([tmp_path], recursive=False)] == ["a.md", "c_dangling.txt"]
    # an explicit file is yielded once, even when named twice or also found in its folder
    again = list(iter_files([tmp_path / "a.md", tmp_path]))
    assert [p.name for p, _ in again].count("a.md") == 1
    [(p, err)] = list(iter_files([tmp_path / "skip.png"]))
    assert "unsupported" in err.message
    [(p, err)] = list(iter_files([tmp_path / "nope"]))
    assert "no such file" in err.message


def test_iter_files_unreadable_folder(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("a")
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = list(iter_files([tmp_path]))
    assert [(p.name, e is None) for p, e in got] == [("locked", False), ("a.txt", True)]
    assert "permission denied" in got[0][1].message and "locked" in got[0][1].message


# --- shared corpus -------------------------------------------------------------------------

SHARED_PAIRS = [("text/s_documents/S_2025_403.txt", "pdf/S_2025_403.en.pdf", "S/2025/403", 20),
                ("text/resolutions/S_RES_2779.txt", "pdf/S_RES_2779_(2025).en.pdf", "S/RES/2779 (2025)", 14)]


@pytest.mark.shared
@pytest.mark.parametrize("txt, pdf, symbol, pages", SHARED_PAIRS)
def test_shared_un_documents(shared_dir, txt, pdf, symbol, pages):
    base = shared_dir / "corpus" / "unsc-2025"
    for rel in (txt, pdf):
        doc = load_one(base / rel)
        assert doc.meta["header_symbol"] == symbol
        assert symbol.startswith(doc.meta["filename_symbol"])
        assert len(doc.pages) == pages
        assert_no_furniture(doc)
        assert f"\n{symbol}" not in doc.clean.replace("  ", " ").replace(" \n", "\n")
        assert_exact_map(doc, samples=5000)
        assert doc.clean.lstrip().startswith(f"United Nations  {symbol}")
    txt_doc, pdf_doc = load_one(base / txt), load_one(base / pdf)
    # the same passage sits on the same page in the PDF and its text export
    probe = re.search(r"\n ?(12|7)\. [^\n]{20}", txt_doc.clean).group(0)
    assert probe in pdf_doc.clean
    assert txt_doc.page_of(txt_doc.to_stored(txt_doc.clean.index(probe))) == \
        pdf_doc.page_of(pdf_doc.to_stored(pdf_doc.clean.index(probe)))


@pytest.mark.shared
def test_shared_403_keeps_date_and_title(shared_dir):
    doc = load_one(shared_dir / "corpus/unsc-2025/text/s_documents/S_2025_403.txt")
    assert "23 June 2025" in doc.clean and "Original: English" in doc.clean
    assert doc.title.startswith("United Nations Organization Stabilization Mission")
    assert "co-facilitators of the \nSouthern African Development Community" in doc.clean


@pytest.mark.shared
def test_shared_text_exports_all_clean(shared_dir):
    for f in sorted((shared_dir / "corpus/unsc-2025/text").rglob("*.txt")):
        doc = load_one(f)
        assert doc.meta["filename_symbol"], f
        assert_no_furniture(doc)
        assert_exact_map(doc, samples=300)


@pytest.mark.shared
def test_shared_gold_resolution(shared_dir):
    doc = load_one(shared_dir / "corpus/unsc-resolutions-1946-1994/S_RES_0425_1978_EN_GOLD.txt")
    assert doc.meta["filename_symbol"] == "S/RES/425 (1978)" and doc.body is None
    assert doc.title == "Resolution 425 (1978)"


@pytest.mark.shared
def test_shared_nasa_lessons(shared_dir):
    docs = load_file(shared_dir / "corpus/nasa-llis/lessons.jsonl")
    assert len(docs) == 1270 and len({d.record for d in docs}) == 1270
    first = docs[0]
    assert first.record == "1" and first.title.startswith("Implementation of Procedural Controls")
    assert "Driving event\nDuring prelaunch check out" in first.text
    assert first.meta["lesson_date"] == "1991-04-09" and first.meta["organization"] == "jsc"
    for d in docs[:200]:
        for name, (s, e) in d.field_spans.items():
            assert d.text[s:e].strip() and d.text[s:e] == d.text[s:e].strip()


def _check_pdfs(pdfs) -> float:
    started = time.perf_counter()
    for f in pdfs:
        doc = load_one(f)
        assert doc.pages and doc.meta["filename_symbol"]
        assert_no_furniture(doc)
        assert_exact_map(doc, samples=200)
    return time.perf_counter() - started


@pytest.mark.shared
def test_shared_some_pdfs(shared_dir):
    pdfs = sorted((shared_dir / "corpus/unsc-2025/pdf").glob("*.pdf"), key=lambda p: p.stat().st_size)
    _check_pdfs(pdfs[::12])


@pytest.mark.shared
@pytest.mark.slow
def test_shared_all_pdfs(shared_dir):
    """All 71 PDFs: about 40 s with pypdf (pure Python, ~55 ms a page)."""
    pdfs = sorted((shared_dir / "corpus/unsc-2025/pdf").glob("*.pdf"))
    assert len(pdfs) >= 70
    print(f"loaded {len(pdfs)} PDFs in {_check_pdfs(pdfs):.1f}s")
