"""PDF via pypdf (imported lazily): one page per span, pages joined by a form-feed line."""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders._common import fail, read_bytes
from ingest.pdfclean import clean_document

PAGE_BREAK = "\n\f\n"


@contextmanager
def _quiet_pypdf():
    """pypdf logs a warning for every small defect it repairs; keep the console clean."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def load_pdf(path: Path, **_) -> list[LoadedDocument]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
    except ImportError as e:
        raise fail(path, "reading PDFs needs pypdf: pip install 'pypdf>=5'", e) from e
    data = read_bytes(path)
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise fail(path, "not a PDF file (no %PDF- header)")
    truncated = b"%%EOF" not in data[-2048:]
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except DependencyError as e:
                    raise fail(path, "PDF is encrypted and decrypting it needs the 'cryptography' package", e) from e
                if not ok:
                    raise fail(path, "PDF is encrypted (password-protected); decrypt it first")
            n = len(reader.pages)
        except FileNotDecryptedError as e:
            raise fail(path, "PDF is encrypted (password-protected); decrypt it first", e) from e
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as e:
            problem = "truncated PDF (no end-of-file marker)" if truncated else "corrupt PDF"
            raise fail(path, f"{problem}: {e}", e) from e
        pages, errors = [], []
        for i in range(n):
            try:
                pages.append(reader.pages[i].extract_text() or "")
            except Exception as e:  # a broken page must not lose the rest of the document
                pages.append("")
                errors.append(f"page {i + 1}: {type(e).__name__}: {e}")
        info = _info(reader)
    blank = [i for i, p in enumerate(pages) if not p.strip()]
    ocr_meta = _ocr(path, data, pages, blank) if blank else None
    if not any(p.strip() for p in pages):
        if errors:
            raise fail(path, f"{'truncated' if truncated else 'corrupt'} PDF: no page could be read ({errors[0]})")
        if ocr_meta is None:
            raise fail(path, f"PDF has no extractable text ({n} page(s); scanned images need OCR: install "
                             "tesseract-ocr, which make install does where the machine allows, or set tesseract)")
        raise fail(path, f"PDF has no extractable text, and OCR read no words on its {n} page(s)")
    text, spans, pos = [], [], 0
    for i, page in enumerate(pages):
        if i:
            text.append(PAGE_BREAK)
            pos += len(PAGE_BREAK)
        spans.append((pos, pos + len(page)))
        text.append(page)
        pos += len(page)
    meta: dict = {"page_count": n}
    if ocr_meta:
        meta.update(ocr_meta)
    if errors:
        meta["page_errors"] = errors
    if truncated:
        meta["warning"] = "no %%EOF marker: the file may be truncated"
    if info.get("created"):
        meta["pdf_created"] = info["created"]
    doc = LoadedDocument(source=str(path), text="".join(text), format="pdf", title=info.get("title"),
                         pages=spans, meta=meta)
    clean_document(doc)
    return [doc]


def _ocr(path: Path, data: bytes, pages: list[str], blank: list[int]) -> dict | None:
    """OCR the pages without a text layer, in place in ``pages``; what was done, for the document's
    meta (``ocr``: the engine, ``ocr_pages``: page number, mean word confidence and word count), or
    None where no OCR engine is installed."""
    from ingest import ocr

    binary = ocr.tesseract()
    if binary is None:
        return None
    try:
        import pypdfium2  # noqa: F401
    except ImportError as e:
        raise fail(path, "OCR of scanned pages needs pypdfium2 to render them: pip install pypdfium2", e) from e
    read = ocr.read_pages(data, blank, binary)
    for i, page in read.items():
        pages[i] = page.text
    return {"ocr": ocr.version(binary),
            "ocr_pages": [{"page": i + 1, "confidence": page.confidence, "words": page.words}
                          for i, page in sorted(read.items())]}


def _info(reader) -> dict:
    out = {}
    try:
        md = reader.metadata or {}
        title = str(md.get("/Title") or "").strip()
        if title and not title.lower().startswith(("microsoft word", "untitled")) and not title.endswith((".doc", ".docx")):
            out["title"] = title
        created = str(md.get("/CreationDate") or "")
        if created.startswith("D:") and len(created) >= 10:
            out["created"] = f"{created[2:6]}-{created[6:8]}-{created[8:10]}"
    except Exception:
        pass
    return out
