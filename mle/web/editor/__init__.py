"""Directory editors' pages."""

from flask import Blueprint

editor = Blueprint("editor", __name__, url_prefix="/staff/directory")

from mle.web.editor import import_views, views  # noqa: E402,F401
