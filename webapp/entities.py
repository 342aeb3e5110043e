"""An entity page: aliases, where it is mentioned, and what it is related to."""

from __future__ import annotations

from flask import Blueprint, render_template

from webapp.state import get_store

bp = Blueprint("entities", __name__)


@bp.get("/entity/<path:entity_id>")
def show(entity_id: str):
    from kg import views

    store = get_store()
    view = views.entity_view(store, entity_id)
    return render_template("entity.html", view=view, mentions=store.entity_mentions(view["id"], limit=100))
