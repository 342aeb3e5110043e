"""The search page: a form, and ranked passages with their provenance."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from webapp.params import MAX_QUERY_CHARS, SEARCH_MODES, run_search, search_args
from webapp.state import get_embedder, get_store

bp = Blueprint("search", __name__)


@bp.get("/")
@bp.get("/search")
def index():
    from nlp.facts import DOCUMENT_KINDS

    from kg import views

    params = search_args(request.args)
    answer = run_search(get_store(), params, get_embedder) if params["query"].strip() else None
    stats = views.stats(get_store()) if answer is None else None
    return render_template("search.html", params=params, answer=answer, stats=stats, modes=SEARCH_MODES,
                           kinds=DOCUMENT_KINDS, max_query=MAX_QUERY_CHARS)
