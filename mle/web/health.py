"""/healthz: is this instance able to serve? Checks the database with a trivial query."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mle.extensions import db, limiter
from mle.security.roles import public_access

health = Blueprint("health", __name__)


@health.get("/healthz")
@limiter.exempt
@public_access
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
