"""A document page: metadata and every passage, the hit marked and scrolled to."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from missiongraph.errors import NotFoundError
from webapp.state import get_store

bp = Blueprint("documents", __name__)


@bp.get("/document/<int:doc_id>")
def show(doc_id: int):
    from kg import views

    store = get_store()
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFoundError(f"no document with id {doc_id} in the store", input=str(doc_id))
    from kg.mandates import facts_in_force

    return render_template("document.html", doc=doc, view=views.document_view(store, str(doc_id)),
                           passages=store.document_passages(doc_id), hl=request.args.get("hl", type=int),
                           facts=facts_in_force(store, doc_id))
