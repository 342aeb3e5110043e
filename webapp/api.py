"""The JSON API: the same answers as the CLI's ``--json``, errors as ``{"error", "input"}``."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from webapp.params import run_search, search_args
from webapp.state import get_embedder, get_store

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    return jsonify(run_search(get_store(), search_args(request.args), get_embedder))


def _view(name: str):
    from kg import views

    return getattr(views, name)


@bp.get("/resolution/<path:symbol>")
def resolution(symbol: str):
    return jsonify(_view("resolution_view")(get_store(), symbol))


@bp.get("/document/<path:source_or_symbol>")
def document(source_or_symbol: str):
    """A path, symbol or id.  URLs cannot carry an absolute path's leading slash, so a key
    not found as given is tried once more as ``/key``."""
    from missiongraph.errors import NotFoundError

    view = _view("document_view")
    try:
        return jsonify(view(get_store(), source_or_symbol))
    except NotFoundError:
        if source_or_symbol.startswith("/"):
            raise
        try:
            return jsonify(view(get_store(), "/" + source_or_symbol))
        except NotFoundError:
            pass
        raise


@bp.get("/entity/<path:name>")
def entity(name: str):
    return jsonify(_view("entity_view")(get_store(), name))


@bp.get("/mandate/<path:mission>")
def mandate(mission: str):
    """``?as_of=YYYY-MM-DD`` and ``?task=`` as the CLI's ``--as-of`` and ``--task``."""
    return jsonify(_view("mandate_view")(get_store(), mission, as_of=request.args.get("as_of") or None,
                                         task=request.args.get("task") or None))


@bp.get("/clause/<path:clause_id>")
def clause(clause_id: str):
    return jsonify(_view("clause_view")(get_store(), clause_id))


@bp.get("/stats")
def stats():
    return jsonify(_view("stats")(get_store()))
