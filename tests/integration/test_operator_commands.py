"""Commands an operator can trust: a dry run changes nothing and says what would change, a
destructive run asks first (or takes --yes), and a wrong setting is one line, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from mle.cli import mle_cli
from mle.database import db
from mle.models import ProblemReport, Service
from mle.security.encryption import encrypt_json

ROOT = Path(__file__).resolve().parents[2]


def _old_closed_reports(app, count: int) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=app.config["MLE_PROBLEM_REPORT_DAYS"] + 5)
    with app.app_context():
        for _ in range(count):
            db.session.add(ProblemReport(service_id="lanarkshire-carers", kind="other",
                                         details=encrypt_json("x"), created_at=long_ago,
                                         resolved_at=long_ago))
        db.session.commit()


def _reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProblemReport))


def _run(app, *args: str, stdin: str | None = None):
    with app.app_context():
        return app.test_cli_runner().invoke(mle_cli, list(args), input=stdin)


def test_a_purge_dry_run_counts_and_deletes_nothing(app):
    _old_closed_reports(app, 2)
    result = _run(app, "purge", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "closed problem reports deleted: 2" in result.output
    assert "Dry run: nothing was changed" in result.output
    assert _reports(app) == 2
    assert "closed problem reports deleted: 2" in _run(app, "purge", "--yes").output
    assert _reports(app) == 0


def test_purge_asks_first_and_a_no_keeps_everything(app):
    _old_closed_reports(app, 1)
    refused = _run(app, "purge", stdin="n\n")
    assert refused.exit_code == 1 and "Continue?" in refused.output
    assert "deleted" not in refused.output
    assert _reports(app) == 1
    agreed = _run(app, "purge", stdin="y\n")
    assert agreed.exit_code == 0 and "closed problem reports deleted: 1" in agreed.output
    assert _reports(app) == 0


def test_seeding_over_editors_changes_asks_first(app):
    with app.app_context():
        service = db.session.get(Service, "lanarkshire-carers")
        original, service.name = service.name, "Renamed by an editor"
        db.session.commit()
    try:
        refused = _run(app, "seed", "--replace-services", stdin="n\n")
        assert refused.exit_code == 1 and "editors' changes included" in refused.output
        rehearsed = _run(app, "seed", "--replace-services", "--dry-run")
        assert rehearsed.exit_code == 0, rehearsed.output
        assert "services: " in rehearsed.output and "Dry run" in rehearsed.output
        with app.app_context():
            assert db.session.get(Service, "lanarkshire-carers").name == "Renamed by an editor"
        assert _run(app, "seed", "--replace-services", "--yes").exit_code == 0
        with app.app_context():
            assert db.session.get(Service, "lanarkshire-carers").name == original
    finally:
        with app.app_context():
            db.session.get(Service, "lanarkshire-carers").name = original
            db.session.commit()


def test_a_wrong_number_setting_stops_a_command_with_one_line(database_url):
    env = {**os.environ, "MLE_ENV": "testing", "DATABASE_URL": database_url,
           "MLE_SESSION_MINUTES": "sixty"}
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "mle",
                           "rollup"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "The service cannot start: MLE_SESSION_MINUTES is 'sixty': give a whole number of 0 "
        "or more (or leave it unset for 60)."]


def test_a_mistyped_error_reporting_address_stops_the_start(monkeypatch):
    import pytest

    from mle import create_app
    from mle.config import ConfigurationError

    monkeypatch.setenv("MLE_SENTRY_DSN", "not-a-dsn")
    with pytest.raises(ConfigurationError, match="MLE_SENTRY_DSN is not a valid address"):
        create_app()
