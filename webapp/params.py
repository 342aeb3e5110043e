"""Request arguments shared by the search page and ``/api/search`` (same names as the CLI)."""

from __future__ import annotations

from missiongraph.errors import InputError
from search import MODES as SEARCH_MODES
from search.engine import MAX_QUERY_CHARS

DEFAULT_K = 10
__all__ = ["SEARCH_MODES", "MAX_QUERY_CHARS", "search_args", "run_search"]


def search_args(args) -> dict:
    """``q, k, mode, kind, mission, year`` from a query string; empty fields mean "not given"."""
    get = lambda name: (args.get(name) or "").strip() or None  # noqa: E731
    return {
        "query": args.get("q", ""),
        "k": _int(get("k"), "k", DEFAULT_K),
        "mode": get("mode") or "hybrid",
        "kind": get("kind"),
        "mission": get("mission"),
        "year": _int(get("year"), "year", None),
    }


def run_search(store, params: dict, embedder_factory) -> dict:
    """Call the library search; the embedder is loaded only for modes that need it."""
    from search import search

    embedder = embedder_factory() if params["mode"] in SEARCH_MODES and params["mode"] != "keyword" else None
    return search(store, params["query"], k=params["k"], mode=params["mode"], kind=params["kind"],
                  mission=params["mission"], year=params["year"], embedder=embedder)


def _int(value: str | None, name: str, default):
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as e:
        raise InputError(f"{name} must be a whole number, got {value!r}", input=value) from e
