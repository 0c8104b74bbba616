"""/healthz: is this instance able to serve? Checks the database with a trivial query."""

from flask import Blueprint, jsonify

from mle.availability import database_reachable
from mle.extensions import limiter
from mle.security.roles import public_access

health = Blueprint("health", __name__)


@health.get("/healthz")
@limiter.exempt
@public_access
def healthz():
    if not database_reachable():
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
