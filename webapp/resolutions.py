"""A resolution page: adoption, missions, mandate dates, citations and tasks by paragraph."""

from __future__ import annotations

from flask import Blueprint, render_template

from webapp.state import get_store

bp = Blueprint("resolutions", __name__)


@bp.get("/resolution/<path:symbol>")
def show(symbol: str):
    from kg import views

    store = get_store()
    view = views.resolution_view(store, symbol)
    return render_template("resolution.html", view=view, documents=store.find_documents(symbol=view["symbol"]))
