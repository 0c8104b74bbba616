"""A team's queue of referral and equipment requests, for assessors."""

from flask import Blueprint

queue = Blueprint("queue", __name__, url_prefix="/staff/requests")

from mle.web.queue import views  # noqa: E402,F401
