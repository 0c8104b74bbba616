"""Assisted assessments: an assessor completes the questionnaire with a person."""

from flask import Blueprint

assisted = Blueprint("assisted", __name__, url_prefix="/staff/assisted")

from mle.web.assisted import views  # noqa: E402,F401
