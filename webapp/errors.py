"""One place that turns our error tree into HTTP: 400 bad input, 404 not found.

API routes answer ``{"error": message, "input": input}``; pages render ``error.html``.
"""

from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from missiongraph.errors import InputError, MissionGraphError, NotFoundError


def status_of(error: MissionGraphError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, InputError):
        return 400
    return 500


def _respond(status: int, message: str, input=None):
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return jsonify({"error": message, "input": input}), status
    return render_template("error.html", status=status, message=message, input=input), status


def register(app) -> None:
    @app.errorhandler(MissionGraphError)
    def our_error(e: MissionGraphError):
        return _respond(status_of(e), e.message, e.input)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return _respond(e.code or 500, e.description or e.name, request.path)
