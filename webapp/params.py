"""Request arguments shared by the search page and ``/api/search`` (same names as the CLI)."""

from __future__ import annotations

from missiongraph.errors import InputError
from search import MODES as SEARCH_MODES
from search.engine import MAX_QUERY_CHARS

DEFAULT_K = 10
FILTERS = ("kind", "mission", "year", "country", "task", "topic")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
__all__ = ["SEARCH_MODES", "MAX_QUERY_CHARS", "FILTERS", "search_args", "run_search", "filter_args"]


def search_args(args) -> dict:
    """``q, k, mode`` and the filters from a query string, plus ``facets`` and ``expand`` (``1``/``0``,
    ``true``/``false``...); empty fields mean "not given"."""
    get = lambda name: (args.get(name) or "").strip() or None  # noqa: E731
    params = {"query": args.get("q", ""), "k": _int(get("k"), "k", DEFAULT_K), "mode": get("mode") or "hybrid"}
    params.update({name: get(name) for name in FILTERS})
    params["year"] = _int(params["year"], "year", None)
    params["facets"] = _flag(get("facets"), "facets")
    params["expand"] = _flag(get("expand"), "expand")
    return params


def run_search(store, params: dict, embedder_factory, facets: bool | None = None) -> dict:
    """Call the library search; the embedder is loaded only for modes that need it.  ``facets``
    overrides the request's choice (the search page always shows them)."""
    from search import search

    embedder = embedder_factory() if params["mode"] in SEARCH_MODES and params["mode"] != "keyword" else None
    return search(store, params["query"], k=params["k"], mode=params["mode"], embedder=embedder,
                  facets=params["facets"] if facets is None else facets, expand=params.get("expand", False), **{name: params[name] for name in FILTERS})


def filter_args(params: dict, name: str | None = None, value=None) -> dict:
    """The page's query arguments, with filter ``name`` set to ``value`` (None: removed)."""
    args = {"q": params["query"], "k": params["k"], "mode": params["mode"]}
    args.update({f: params[f] for f in FILTERS if params.get(f) is not None})
    if name is not None:
        args.pop(name, None)
        if value is not None:
            args[name] = value
    return args


def _int(value: str | None, name: str, default):
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as e:
        raise InputError(f"{name} must be a whole number, got {value!r}", input=value) from e


def _flag(value: str | None, name: str) -> bool:
    if value is None or value.lower() in _FALSE:
        return False
    if value.lower() in _TRUE:
        return True
    raise InputError(f"{name} must be 1 or 0 (true or false), got {value!r}", input=value)
