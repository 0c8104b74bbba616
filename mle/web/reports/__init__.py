"""Anonymised reports for managers."""

from flask import Blueprint

reports = Blueprint("reports", __name__, url_prefix="/staff/reports")

from mle.web.reports import views  # noqa: E402,F401
