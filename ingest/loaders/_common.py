"""Helpers every loader shares: reading bytes, decoding text, symbol hints from file names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from missiongraph.errors import LoadError
from missiongraph.symbols import format_resolution, normalise_document_symbol


def fail(path: Path | str, problem: str, cause: BaseException | None = None) -> LoadError:
    """A ``LoadError`` whose message names the file; raise it ``from`` the cause."""
    err = LoadError(f"{path}: {problem}", input=str(path))
    err.__cause__ = cause
    return err


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable or empty file is a ``LoadError``."""
    try:
        data = path.read_bytes()
    except PermissionError as e:
        raise fail(path, "permission denied (cannot read the file)", e) from e
    except IsADirectoryError as e:
        raise fail(path, "is a directory, not a file", e) from e
    except FileNotFoundError as e:
        raise fail(path, "no such file (or a broken link)", e) from e
    except OSError as e:
        raise fail(path, f"cannot read ({e.strerror or e})", e) from e
    if not data.strip():
        raise fail(path, "empty file (nothing to ingest)")
    return data


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\t\n\r\f\v")
    return bad / len(sample)


def decode_text(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, dict]:
    """Decode ``data`` to text: utf-8 (with or without BOM), utf-16 with a BOM, then cp1252.

    Returns the text and meta notes (``encoding``, and ``encoding_warning`` on a fallback).
    Binary data (NUL bytes, or mostly control characters once decoded) is a ``LoadError``.
    """
    meta: dict = {}
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise fail(path, f"cannot decode as {encoding} ({e})", e) from e
        meta["encoding"] = encoding
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise fail(path, "has a UTF-16 byte-order mark but does not decode as UTF-16", e) from e
        meta["encoding"] = "utf-16"
    else:
        if b"\x00" in data[:65536]:
            raise fail(path, "looks like binary data (NUL bytes), not text")
        bom = data.startswith(b"\xef\xbb\xbf")
        if _utf8(data):
            text = data.decode("utf-8-sig" if bom else "utf-8")
            meta["encoding"] = "utf-8-sig" if bom else "utf-8"
        else:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as e:
                raise fail(path, "undecodable: not UTF-8 and not Windows-1252 text (binary file?)", e) from e
            meta["encoding"] = "cp1252"
            meta["encoding_warning"] = "not valid UTF-8; decoded as Windows-1252 (cp1252)"
    if "\x00" in text or _control_ratio(text) > 0.05:
        raise fail(path, "looks like binary data (control characters), not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise fail(path, "empty file (only whitespace)")
    return text, meta


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_RES_NAME = re.compile(r"^S_RES_0*(\d+)(?:_\(?(\d{4})\)?)?(?:_|\.|$)", re.I)
_DOC_NAME = re.compile(r"^S_(\d{4})_(\d+)((?:_(?:Add|Rev|Corr)\.\d+)*)(?:_|\.|$)", re.I)


def filename_symbol(path: Path | str) -> str | None:
    """A document-symbol hint from a UN-style file name.

    ``S_RES_2779.txt`` -> ``S/RES/2779``; ``S_RES_0425_1978_EN_GOLD.txt`` -> ``S/RES/425 (1978)``;
    ``S_RES_2779_(2025).en.pdf`` -> ``S/RES/2779 (2025)``; ``S_2025_10_Add.31.txt`` -> ``S/2025/10/Add.31``.
    """
    name = Path(path).name
    m = _RES_NAME.match(name)
    if m:
        return format_resolution(int(m.group(1)), int(m.group(2)) if m.group(2) else None)
    m = _DOC_NAME.match(name)
    if m:
        tail = m.group(3).replace("_", "/")
        return normalise_document_symbol(f"S/{m.group(1)}/{m.group(2)}{tail}")
    return None
