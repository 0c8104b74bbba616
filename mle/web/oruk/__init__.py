"""The Open Referral UK 3.0 read API, under /api/oruk/ (JSON, GET only, public)."""

from flask import Blueprint

oruk_api = Blueprint("oruk_api", __name__, url_prefix="/api/oruk")

from mle.web.oruk import views  # noqa: E402,F401
