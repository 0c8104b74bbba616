"""Health endpoints for the load balancer and the process supervisor.

/livez   liveness: the process answers. Restarting it would not help with anything else.
/readyz  readiness: the database (the configured one, migrated), Redis (when it holds the rate
         limits) and the content are there. 503 takes the instance out of the pool until they
         are back; nothing needs restarting.
/healthz the database alone (kept for existing monitors).
"""

from flask import Blueprint, jsonify

from mle.availability import database_reachable
from mle.extensions import limiter
from mle.readiness import readiness
from mle.security.roles import public_access

health = Blueprint("health", __name__)


@health.get("/livez")
@limiter.exempt
@public_access
def livez():
    return jsonify(status="ok")


@health.get("/readyz")
@limiter.exempt
@public_access
def readyz():
    state = readiness()
    status = "ok" if state.ready else "unavailable"
    return jsonify(status=status, **state.checks), 200 if state.ready else 503


@health.get("/healthz")
@limiter.exempt
@public_access
def healthz():
    if not database_reachable():
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
