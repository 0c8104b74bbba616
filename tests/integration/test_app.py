"""The application shell: configuration, headers, health, errors, migrations, content gate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from cryptography.fernet import Fernet

from mle import create_app
from mle.config import ConfigurationError
from mle.content import ContentErrors

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("MLE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("MLE_DATA_KEYS", Fernet.generate_key().decode())
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app()


def test_production_refuses_to_start_without_data_keys(monkeypatch):
    monkeypatch.setenv("MLE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("MLE_DATA_KEYS", raising=False)
    with pytest.raises(ConfigurationError, match="MLE_DATA_KEYS is not set"):
        create_app()


def production_settings(monkeypatch, **changes: str | None) -> dict[str, str]:
    """Everything production needs in the environment, with some settings changed or (None)
    left out."""
    settings = {"MLE_ENV": "production", "SECRET_KEY": "x" * 40,
                "MLE_DATA_KEYS": Fernet.generate_key().decode(),
                "DATABASE_URL": "postgresql://mle@db.internal/mle",
                "RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0",
                "MLE_BASE_URL": "https://mle.example.gov.uk"}
    settings.update(changes)
    for name, value in settings.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return {name: value for name, value in settings.items() if value is not None}


def test_production_with_its_secrets_starts_with_secure_cookies(monkeypatch):
    production_settings(monkeypatch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize(("changes", "message"), [
    ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
    ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
    ({"RATELIMIT_STORAGE_URI": None}, "RATELIMIT_STORAGE_URI is not set to a shared store"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI is not set to a shared"),
    ({"MLE_BASE_URL": None}, "MLE_BASE_URL is not set"),
    ({"MLE_BASE_URL": "mle.example.gov.uk"}, "MLE_BASE_URL is 'mle.example.gov.uk'"),
    ({"MLE_BASE_URL": "javascript:alert(1)"}, "give the public address with its scheme"),
])
def test_production_refuses_to_start_without_its_shared_services(monkeypatch, changes,
                                                                   message):
    production_settings(monkeypatch, **changes)
    with pytest.raises(ConfigurationError, match=message):
        create_app()


def test_a_refusal_to_start_is_one_line_without_a_traceback(monkeypatch):
    env = production_settings(monkeypatch, DATABASE_URL=None)
    done = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "The service cannot start: DATABASE_URL is not set. In production the service keeps "
        "its data in PostgreSQL, never in a local file: set DATABASE_URL to its address (for "
        "example postgresql://mle:...@db.internal:5432/mle)."]


def test_gunicorn_stops_before_starting_workers_when_a_setting_is_missing(monkeypatch):
    env = production_settings(monkeypatch, RATELIMIT_STORAGE_URI="memory://")
    done = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--bind",
                           "127.0.0.1:0", "wsgi:app"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr
    assert "The service cannot start: RATELIMIT_STORAGE_URI is not set" in done.stderr


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("MLE_ENV", "staging")
    with pytest.raises(ConfigurationError, match="MLE_ENV is 'staging'"):
        create_app()


def test_content_with_an_error_stops_the_start(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "questionnaires", tmp_path, dirs_exist_ok=True)
    bathing = tmp_path / "bathing.yaml"
    bathing.write_text(bathing.read_text().replace("id: bathing", "id: bathing\nmystery: 1", 1))
    monkeypatch.setenv("MLE_QUESTIONNAIRES_DIR", str(tmp_path))
    with pytest.raises(ContentErrors, match="bathing.yaml: file: schema: Additional properties"):
        create_app()


def test_security_headers_are_on_every_page(client):
    response = client.get("/").response
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_each_response_gets_a_fresh_nonce(client):
    first = client.get("/").response.headers["Content-Security-Policy"]
    second = client.get("/").response.headers["Content-Security-Policy"]
    assert first != second


def test_session_cookie_is_http_only_and_same_site(client):
    start = client.get("/")
    response = client.post("/start", {"csrf_token": start.csrf_token})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("mle_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_a_database_outage_shows_a_friendly_page(tmp_path):
    from tests.pages import CheckedClient

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    client = CheckedClient(app.test_client())
    start = client.get("/")
    page = client.post("/start", {"csrf_token": start.csrf_token}, expect=503)
    assert page.h1 == "Sorry, the service is unavailable"


def test_wrong_method_and_oversize_bodies_get_friendly_pages(client):
    assert client.client.delete("/").status_code == 405
    big = client.client.post("/resume", data={"code": "x" * 200_000})
    assert big.status_code == 413


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mle.database import db
    from mle.models.search_index import include_name

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                              "include_name": include_name})
        assert compare_metadata(context, db.metadata) == []


def test_check_content_passes_on_the_real_content():
    from mle.cli import mle_cli

    result = CliRunner().invoke(mle_cli, ["check-content"])
    assert result.exit_code == 0, result.output
    assert "all checks passed" in result.output
    assert "bathing.yaml:" in result.output


def test_check_content_names_file_rule_and_problem(tmp_path, monkeypatch):
    from mle.cli import mle_cli

    shutil.copytree(ROOT / "questionnaires", tmp_path, dirs_exist_ok=True)
    memory = tmp_path / "memory.yaml"
    module = yaml.safe_load(memory.read_text())
    rule = module["outcomes"][0]
    rule["when"] = f"no_such_question == true and ({rule['when']})"
    memory.write_text(yaml.safe_dump(module, sort_keys=False))
    monkeypatch.setenv("MLE_QUESTIONNAIRES_DIR", str(tmp_path))
    result = CliRunner().invoke(mle_cli, ["check-content"])
    assert result.exit_code == 1
    assert (f"memory.yaml: {rule['id']}/when: unknown name 'no_such_question'"
            in result.output)


def test_an_unexpected_error_shows_the_friendly_500_page(app):
    from tests.pages import CheckedClient

    broken = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @broken.get("/explode")
    def explode():
        raise RuntimeError("something unexpected")

    page = CheckedClient(broken.test_client()).get("/explode", expect=500)
    assert page.h1 == "Sorry, there is a problem with the service"
    assert "something unexpected" not in page.text


def test_the_session_can_be_extended_only_with_its_csrf_token(client):
    start = client.get("/")
    client.post("/start", {"csrf_token": start.csrf_token})
    page = client.get("/about-you")
    warning = page.soup.find(id="session-timeout")
    assert warning is not None and warning.has_attr("hidden")
    assert int(warning["data-after"]) == 55 * 60
    ok = client.client.post("/session/extend", headers={"X-CSRFToken": warning["data-csrf"]})
    assert ok.status_code == 204
    assert client.client.post("/session/extend").status_code == 400


def test_no_timeout_warning_without_a_session_to_keep(client):
    assert client.get("/").soup.find(id="session-timeout") is None
