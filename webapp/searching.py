"""The search page: a form, ranked passages with their provenance and why they matched, and
facet counts whose links add a filter."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from webapp.params import MAX_QUERY_CHARS, SEARCH_MODES, filter_args, run_search, search_args
from webapp.state import get_embedder, get_store

bp = Blueprint("search", __name__)


@bp.get("/")
@bp.get("/search")
def index():
    from nlp.facts import DOCUMENT_KINDS

    from kg import views
    from missiongraph.taxonomy import TASKS

    params = search_args(request.args)
    answer = run_search(get_store(), params, get_embedder, facets=True) if params["query"].strip() else None
    stats = views.stats(get_store()) if answer is None else None
    return render_template("search.html", params=params, answer=answer, stats=stats, modes=SEARCH_MODES,
                           kinds=DOCUMENT_KINDS, tasks=TASKS, max_query=MAX_QUERY_CHARS, filter_args=filter_args)
