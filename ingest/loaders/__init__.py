"""File loaders: one module per format, ``load_file`` to dispatch and ``iter_files`` to walk folders.

Every loader returns ``LoadedDocument`` objects (one per file, or one per record for JSONL
and CSV) and raises ``missiongraph.errors.LoadError`` naming the file and the problem.
Heavy readers (pypdf, python-docx) are imported only when such a file is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ingest.document import LoadedDocument
from ingest.loaders._common import fail, filename_symbol
from missiongraph.errors import LoadError

__all__ = ["SUPPORTED_EXTENSIONS", "load_file", "iter_files", "filename_symbol"]


def _loader(module: str, name: str) -> Callable[..., list[LoadedDocument]]:
    def call(path: Path, **kw) -> list[LoadedDocument]:
        import importlib

        return getattr(importlib.import_module(f"ingest.loaders.{module}"), name)(path, **kw)

    return call


LOADERS: dict[str, Callable[..., list[LoadedDocument]]] = {
    ".txt": _loader("text", "load_text"),
    ".md": _loader("text", "load_markdown"),
    ".markdown": _loader("text", "load_markdown"),
    ".html": _loader("html", "load_html"),
    ".htm": _loader("html", "load_html"),
    ".pdf": _loader("pdf", "load_pdf"),
    ".docx": _loader("docx", "load_docx"),
    ".jsonl": _loader("records", "load_jsonl"),
    ".ndjson": _loader("records", "load_jsonl"),
    ".csv": _loader("records", "load_csv"),
}
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(LOADERS)


def _ext(path: Path) -> str:
    return path.suffix.lower()


def load_file(path: str | Path, *, id_field: str | None = None, title_field: str | None = None,
              text_fields: list[str] | None = None, encoding: str | None = None) -> list[LoadedDocument]:
    """Load one file into documents; ``source`` is its absolute path.

    ``id_field``/``title_field``/``text_fields`` choose record fields for JSONL and CSV
    (defaults are detected); ``encoding`` forces a text encoding.  Raises ``LoadError``.
    """
    path = Path(path)
    ext = _ext(path)
    if ext not in LOADERS:
        kinds = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise fail(path, f"unsupported file type {ext or '(no extension)'!r}; supported: {kinds}")
    if not path.exists():
        problem = "broken link (its target is missing)" if path.is_symlink() else "no such file"
        raise fail(path, problem)
    if path.is_dir():
        raise fail(path, "is a directory, not a file")
    absolute = path.resolve()
    docs = LOADERS[ext](absolute, id_field=id_field, title_field=title_field, text_fields=text_fields,
                        encoding=encoding)
    hint = filename_symbol(path)
    for d in docs:
        d.source = str(absolute)
        if hint and "filename_symbol" not in d.meta:
            d.meta["filename_symbol"] = hint
    return docs


def iter_files(paths: Iterable[str | Path], *, recursive: bool = True) -> Iterator[tuple[Path, LoadError | None]]:
    """Supported files under ``paths`` (folders walked in sorted order), each with None or the
    ``LoadError`` that stops it being read; unreadable folders yield their error too.

    A file named explicitly is yielded whatever its extension (``load_file`` then reports an
    unsupported type); inside folders, unsupported and hidden files are skipped quietly.
    """
    seen: set[str] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from _walk(p, recursive, seen)
        else:
            key = os.path.abspath(p)
            if key not in seen:
                seen.add(key)
                yield p, _check_file(p)


def _check_file(p: Path) -> LoadError | None:
    if p.is_symlink() and not p.exists():
        return fail(p, "broken link (its target is missing)")
    if not p.exists():
        return fail(p, "no such file or directory")
    if _ext(p) not in LOADERS:
        return fail(p, f"unsupported file type {_ext(p) or '(no extension)'!r}; "
                       f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}")
    if not os.access(p, os.R_OK):
        return fail(p, "permission denied (cannot read the file)")
    return None


def _walk(folder: Path, recursive: bool, seen: set[str]) -> Iterator[tuple[Path, LoadError | None]]:
    real = "dir:" + os.path.realpath(folder)
    if real in seen:  # a linked folder seen before, or a link loop
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError as e:
        yield folder, fail(folder, "permission denied (cannot list the folder)", e)
        return
    except OSError as e:
        yield folder, fail(folder, f"cannot list the folder ({e.strerror or e})", e)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links; a link loop or broken link reads as not a dir
        except OSError:
            is_dir = False
        if is_dir:
            if recursive:
                yield from _walk(path, recursive, seen)
            continue
        if _ext(path) not in LOADERS:
            continue
        key = os.path.abspath(path)
        if key in seen:
            continue
        seen.add(key)
        yield path, _check_file(path)
