"""Shared fixtures: a real database (SQLite file, or PostgreSQL when DATABASE_URL is set),
migrated with Alembic and seeded, and an app built by create_app() with CSRF on."""

from __future__ import annotations

import functools
import os
import uuid
from pathlib import Path

import pytest

os.environ["MLE_ENV"] = "testing"

from mle.database import db  # noqa: E402
from mle.extensions import limiter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@functools.cache
def load_test_content():
    """The real content, as the app loads it (for parametrising tests at collection); loaded
    once per test process, since it is frozen."""
    from mle.site import load_site

    return load_site(ROOT / "questionnaires", ROOT / "directory").content


def _postgres_admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database of our own for this test run, dropped at the end."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'mle-test.db'}"
        return
    import psycopg

    name = f"mle_test_{uuid.uuid4().hex[:10]}"
    admin_url = _postgres_admin_url(base)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def compile_catalogues(source: Path, target: Path) -> Path:
    """Compile every messages.po under source into the same layout under target."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in source.glob("*/LC_MESSAGES/messages.po"):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as file, mo.open("wb") as out:
            write_mo(out, read_po(file))
    return target


@pytest.fixture(scope="session")
def fixture_translations(tmp_path_factory) -> Path:
    """A few Polish and Urdu strings only (tests/fixtures/translations), compiled: for an app
    whose catalogues miss most strings, to show the English fallback."""
    return compile_catalogues(FIXTURES / "translations", tmp_path_factory.mktemp("translations"))


@pytest.fixture(scope="session")
def app(database_url):
    from tests.app_setup import prepared_app

    app = prepared_app(database_url)
    # No app context stays pushed: each request must get its own, as in production.
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def content(app):
    return app.extensions["mle_site"].content


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Each test starts with no assessments or outcomes, and fresh rate limits."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        from mle.models import (
            Assessment,
            AuditEvent,
            DirectoryView,
            OutboxMessage,
            OutcomeModule,
            OutcomeRecord,
            OutcomeRollup,
            OutcomeTally,
            ProblemReport,
            Referral,
            ReferralNote,
            ReleasedPeriod,
            ReportRelease,
            ResultLink,
            ServiceChange,
        )

        for model in (ReleasedPeriod, ReportRelease,
                      ServiceChange, ReferralNote, Referral, OutboxMessage, AuditEvent,
                      OutcomeModule, OutcomeRecord, OutcomeRollup, OutcomeTally, ResultLink,
                      Assessment, ProblemReport, DirectoryView):
            db.session.query(model).delete()
        db.session.commit()
        limiter.reset()
    yield


@pytest.fixture
def client(app):
    from tests.pages import CheckedClient

    return CheckedClient(app.test_client())


@pytest.fixture
def mail_server(app):
    """A real SMTP server on loopback that the app's outbox delivers to."""
    from tests.mail import MailServer, free_port

    server = MailServer(free_port())
    server.start()
    previous = app.config["MLE_SMTP_PORT"]
    app.config["MLE_SMTP_PORT"] = server.port
    yield server
    server.stop()
    app.config["MLE_SMTP_PORT"] = previous
