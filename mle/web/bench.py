"""A baseline page for the load test: it renders a template in the service's layout and writes
one row, the least a page of this service can do. The load test reports the journey's cost per
request as a ratio to it (bench/load/run.py).

Registered only when MLE_BENCH_BASELINE=1, which a real deployment never sets.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from mle.extensions import db, limiter
from mle.security.audit import audit
from mle.security.roles import public_access

bench = Blueprint("bench", __name__)


@bench.get("/bench/baseline")
@limiter.exempt
@public_access
def baseline():
    audit("bench.baseline")
    db.session.commit()
    return render_template("bench/baseline.html")
