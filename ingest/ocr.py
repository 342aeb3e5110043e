"""OCR for PDF pages without a text layer (field reports are often scans): Tesseract, offline.

A page is rendered with pypdfium2 at ``DPI`` and read by the ``tesseract`` program (Debian's
``tesseract-ocr``; ``make install`` installs it where the machine allows, the ``tesseract``
setting names another binary). Its TSV output gives each word's confidence: the page's text is
rebuilt line by line and paragraph by paragraph, and its confidence is the mean over its words,
recorded with the page so a reader knows which pages to check. Without Tesseract a scanned PDF
keeps failing with the clear "needs OCR" error, as before.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DPI = 300
TIMEOUT_S = 120   # one page; a page that takes longer is reported, not waited on forever


@dataclass
class OcrPage:
    text: str
    confidence: float   # mean word confidence, 0-100
    words: int


def tesseract() -> str | None:
    """The Tesseract binary to use, or None when there is none."""
    from missiongraph import settings

    named = (settings.get("tesseract") or "").strip()
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    return shutil.which("tesseract")


def version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "tesseract"
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0] if first else "tesseract"


def _ppm(array) -> bytes:
    """A rendered page (height, width, 3 or 4 channels, uint8) as a binary PPM, which Tesseract reads."""
    import numpy as np

    if array.ndim == 2:   # a grey page
        array = np.repeat(array[:, :, None], 3, axis=2)
    rgb = np.ascontiguousarray(array[:, :, :3])
    h, w = rgb.shape[:2]
    return f"P6\n{w} {h}\n255\n".encode("ascii") + rgb.tobytes()


def read_pages(data: bytes, pages: list[int], binary: str, lang: str = "eng") -> dict[int, OcrPage]:
    """OCR the given 0-based pages of the PDF ``data``; a page OCR cannot read is left out."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    out: dict[int, OcrPage] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="mg-ocr-") as tmp:
            for i in pages:
                array = doc[i].render(scale=DPI / 72, rev_byteorder=True).to_numpy()   # RGB(X)
                image = Path(tmp) / f"page-{i}.ppm"
                image.write_bytes(_ppm(array))
                try:
                    run = subprocess.run([binary, str(image), "stdout", "-l", lang, "--dpi", str(DPI), "tsv"],
                                         capture_output=True, text=True, timeout=TIMEOUT_S)
                except (OSError, subprocess.SubprocessError):
                    continue
                if run.returncode == 0:
                    out[i] = parse_tsv(run.stdout)
    finally:
        doc.close()
    return out


def parse_tsv(tsv: str) -> OcrPage:
    """Tesseract's TSV (level, page, block, par, line, word, ..., conf, text) as text and confidence."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if not word or conf < 0:
            continue
        lines.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append(word)
        confs.append(conf)
    text, last_par = [], None
    for (block, par, _), words in sorted(lines.items()):
        if last_par is not None and (block, par) != last_par:
            text.append("")
        text.append(" ".join(words))
        last_par = (block, par)
    return OcrPage("\n".join(text), round(sum(confs) / len(confs), 1) if confs else 0.0, len(confs))
