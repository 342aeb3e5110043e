"""Mission pages (the mandate on a time axis, tasks as rows, coloured by change) and clause
history pages (every version with word diffs)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from webapp.state import get_store

bp = Blueprint("mandates", __name__)


@bp.get("/mission/<path:mission>")
def mission(mission: str):
    from kg import views

    view = views.mandate_view(get_store(), mission, as_of=request.args.get("as_of") or None,
                              task=request.args.get("task") or None)
    return render_template("mission.html", view=view, grid=timeline_grid(view["resolutions"]))


@bp.get("/clause/<path:clause_id>")
def clause(clause_id: str):
    from kg import views

    return render_template("clause.html", view=views.clause_view(get_store(), clause_id))


def timeline_grid(resolutions: list[dict]) -> dict:
    """Rows per task, one cell per resolution (its change for that task), and each resolution's
    place on the time axis as a percentage, for the template."""
    dated = [r for r in resolutions if r.get("adopted")]
    if dated:
        first, last = date.fromisoformat(dated[0]["adopted"]), date.fromisoformat(dated[-1]["adopted"])
        span = max((last - first).days, 1)
    columns = []
    for r in resolutions:
        pos = round(100 * (date.fromisoformat(r["adopted"]) - first).days / span, 1) if r.get("adopted") and dated else 0
        columns.append({"symbol": r["symbol"], "adopted": r["adopted"], "action": r["action"], "pos": pos})
    tasks: dict[str, dict] = {}
    for i, r in enumerate(resolutions):
        for t in r["tasks"] + r.get("dropped", []):
            cells = tasks.setdefault(t["task"], {})
            change = t.get("change", "new")
            if i not in cells or change not in ("kept", "dropped"):  # a change outranks "kept" in one cell
                cells[i] = {"change": change, "clause_id": t.get("clause_id")}
    rows = [{"task": task, "cells": [cells.get(i) for i in range(len(resolutions))]} for task, cells in tasks.items()]
    return {"columns": columns, "rows": sorted(rows, key=lambda r: r["task"])}
