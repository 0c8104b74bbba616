"""Friendly pages for everything that can go wrong; never a stack trace, never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mle.availability import DatabaseUnavailable, abandon_transaction
from mle.extensions import login_manager

log = logging.getLogger(__name__)

_PAGES = {
    400: "errors/400.html",
    404: "errors/404.html",
    405: "errors/404.html",
    413: "errors/400.html",
    429: "errors/429.html",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        # Usually a form left open past the session's end. Log the reason, not the request.
        log.info("CSRF check failed: %s", error.description)
        return render_template("errors/session_ended.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):  # the APIs answer in JSON, even for no route
            return jsonify(code=error.code, message=error.description), error.code
        template = _PAGES.get(error.code)
        if template is None:
            return error
        return render_template(template, code=error.code), error.code

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(error: DatabaseUnavailable):
        log.error("database unavailable: %s", type(error.orig).__name__)
        abandon_transaction()
        # The page must not need the database: show it as to someone not signed in, or a
        # member of staff would get a second database error (their account is looked up).
        g._login_user = login_manager.anonymous_user()
        # Likewise the assessment: after the rollback its attributes would be loaded again.
        g.pop("assessment", None)
        return render_template("errors/503.html"), 503

    @app.errorhandler(500)
    def server_error(error):
        abandon_transaction()
        return render_template("errors/500.html"), 500
