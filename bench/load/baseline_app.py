"""The service with one page more, for the load test: /bench/baseline renders a template in the
service's layout and writes one row, the least a page of this service can do. The load test
reports the journey's cost per request as a ratio to it (run.py).

The page lives here, not in the service: only the load test serves this app (run.py has the
stack's gunicorn serve `baseline_app:create_baseline_app()`), and profile_journey.py builds it
in-process.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from mle import create_app
from mle.database import db
from mle.extensions import limiter
from mle.security.audit import audit
from mle.security.roles import public_access

bench = Blueprint("bench", __name__, template_folder="templates")  # beside this file


@bench.get("/bench/baseline")
@limiter.exempt
@public_access
def baseline():
    audit("bench.baseline")
    db.session.commit()
    return render_template("bench/baseline.html")


def create_baseline_app(config: dict | None = None) -> Flask:
    app = create_app(config)
    app.register_blueprint(bench)
    return app
