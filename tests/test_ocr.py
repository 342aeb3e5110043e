"""Scanned PDFs: pages without a text layer are read by Tesseract, with page provenance and confidence.

The scans are made here from our own sample report: its text drawn onto page images (Pillow's
scalable default font), saved as an image-only PDF, so there is no text layer to fall back on.
"""

from __future__ import annotations

import pytest

from corpus import sample_dir
from ingest import ocr
from missiongraph.errors import LoadError

pytest.importorskip("pypdfium2")
Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
ImageFont = pytest.importorskip("PIL.ImageFont")


def _wrap(text: str, width: int = 70) -> list[str]:
    lines = []
    for para in text.split("\n\n"):
        words, line = para.split(), ""
        for w in words:
            if len(line) + len(w) + 1 > width:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines += [line, ""]
    return lines


def make_scan(text: str, path, lines_per_page: int = 40) -> int:
    """An image-only PDF of ``text`` at 150 dpi (A4), as a flatbed scanner would give; returns pages."""
    font = ImageFont.load_default(size=26)
    lines = _wrap(text)
    pages = []
    for i in range(0, len(lines), lines_per_page):
        img = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(img)
        for n, line in enumerate(lines[i:i + lines_per_page]):
            draw.text((100, 100 + n * 38), line, fill=0, font=font)
        pages.append(img.convert("RGB"))
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=150)
    return len(pages)


def _report_text() -> str:
    raw = (sample_dir() / "aar_jllis_patrol_djugu.md").read_text(encoding="utf-8")
    return "\n\n".join(" ".join(p.replace("**", "").replace("#", "").split()) for p in raw.split("\n\n") if p.strip())


def test_a_scan_without_tesseract_names_the_missing_step(tmp_path, monkeypatch):
    from ingest.loaders import load_file

    scan = tmp_path / "scan.pdf"
    make_scan("Observation: the convoy left late.", scan)
    monkeypatch.setenv("MISSIONGRAPH_TESSERACT", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(LoadError, match=r"scan\.pdf: PDF has no extractable text .*need OCR: install tesseract-ocr"):
        load_file(scan)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    if ocr.tesseract() is None:
        pytest.skip("tesseract is not installed (make install installs tesseract-ocr where the machine allows)")
    folder = tmp_path_factory.mktemp("scans")
    scan = folder / "aar_djugu_scan.pdf"
    pages = make_scan(_report_text(), scan)
    assert pages >= 2
    return scan, pages


def test_every_page_is_read_with_its_confidence(scanned):
    from ingest.loaders import load_file

    scan, pages = scanned
    [doc] = load_file(scan)
    assert doc.meta["page_count"] == pages and doc.meta["ocr"].startswith("tesseract")
    assert [p["page"] for p in doc.meta["ocr_pages"]] == list(range(1, pages + 1))
    assert all(p["confidence"] > 80 and p["words"] > 50 for p in doc.meta["ocr_pages"][:-1])
    text = " ".join(doc.text.split())
    for phrase in ("Night presence at displacement sites", "community alert network", "Djugu"):
        assert phrase.lower() in text.lower(), phrase
    # page provenance: the second page's words are found in the second page's span
    start, end = doc.pages[1]
    assert "interpreter" in doc.text[start:end].lower() or "alert" in doc.text[start:end].lower()


def test_a_scanned_report_is_ingested_into_lessons_with_pages(scanned, tmp_path, extractor):
    from ingest import ingest_paths
    from kg import open_store

    scan, _ = scanned
    with open_store(str(tmp_path / "store")) as store:
        report = ingest_paths(store, [scan], extractor=extractor)
        assert not report.errors and report.documents == 1
        [doc] = store.find_documents(limit=5)
        lessons = store.lessons(doc_id=doc["id"])
        titles = " | ".join(x["title"] or "" for x in lessons).lower()
        assert "night presence" in titles and "interpreters" in titles
        passages = store.document_passages(doc["id"])
        assert {p["page"] for p in passages} >= {1, 2}
        assert store.get_document(doc["id"])["meta"]["ocr_pages"][0]["confidence"] > 80
