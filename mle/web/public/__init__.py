"""The resident's journey: start, about you, topics, questions, check answers, result."""

from flask import Blueprint

public = Blueprint("public", __name__)

from mle.web.public import (  # noqa: E402,F401
    journey_views,
    keep_views,
    pages,
    referral_views,
    resume_views,
)
