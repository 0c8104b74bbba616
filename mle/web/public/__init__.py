"""The resident's journey: start, about you, topics, questions, check answers, result."""

from flask import Blueprint

public = Blueprint("public", __name__)

from mle.web.public import journey_views, pages, resume_views  # noqa: E402,F401
