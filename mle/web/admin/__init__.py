"""Administrators: staff accounts, roles and teams."""

from flask import Blueprint

admin = Blueprint("admin", __name__, url_prefix="/staff/admin")

from mle.web.admin import audit_views, views  # noqa: E402,F401
