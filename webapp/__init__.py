"""The web UI and JSON API: ``create_app(config)`` plus one blueprint per page family.

Routes only parse the request and call the library (``search.search``, ``kg.views``);
the store and the embedder are opened lazily, once per app, and live on
``app.extensions["missiongraph"]`` (never module globals), so every test app is disposable.
Heavy libraries load on first use, not on import.
"""

from __future__ import annotations

from flask import Flask

__all__ = ["create_app"]


def create_app(config: dict | None = None) -> Flask:
    """Build the app.  Config keys: ``STORE`` (folder or URL; default the ``store`` setting),
    ``EMBEDDER`` (an already loaded ``search.Embedder``, else one is loaded on first use)."""
    from missiongraph import settings
    from webapp import api, documents, entities, errors, mandates, resolutions, searching
    from webapp.state import AppState
    from webapp.text import register_filters

    settings.offline()
    app = Flask(__name__)
    app.config.from_mapping(STORE=None, EMBEDDER=None)
    if config:
        app.config.update(config)
    if not app.config["STORE"]:
        app.config["STORE"] = settings.get("store")
    app.json.sort_keys = False  # keep the documented key order of the JSON contract
    app.extensions["missiongraph"] = AppState(app.config["STORE"], app.config["EMBEDDER"])

    for module in (searching, documents, entities, resolutions, mandates, api):
        app.register_blueprint(module.bp)
    errors.register(app)
    register_filters(app)
    return app
