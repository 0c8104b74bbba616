"""Request logs carry no link tokens and no postcodes: werkzeug's request log (development),
gunicorn's access log with gunicorn.conf.py (production) and the app's own error lines."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import url_for

from mle import create_app
from mle.log_redaction import redact_target

ROOT = Path(__file__).resolve().parents[2]
SECRETS = [f"tok{secrets.token_hex(8)}" for _ in range(4)]
POSTCODE = "ML1 1AB"
PATHS = [
    f"/r/{SECRETS[0]}",
    f"/resume/{SECRETS[1]}",
    f"/staff/set-password/{SECRETS[2]}",
    f"/result/{SECRETS[3]}/pdf",
    "/local-information/search?q=alcohol&where=ML1+1AB",
    "/local-information/topic/carer-support?where=ml11ab",
    "/api/oruk/service_at_locations?postcode=ML1%201AB",
]
LEAKS = [*SECRETS, "ML1 1AB", "ML1+1AB", "ML1%201AB", "ml11ab", "alcohol"]


def _fetch(base: str, path: str) -> None:
    # A 404 or 410 is logged like any other answer.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 (our own server)


@pytest.fixture
def logging_on(monkeypatch):
    """Running the migrations (alembic's fileConfig) switches off the loggers that existed
    then; a served instance never runs them, so switch these back on."""
    for name in ("werkzeug", "mle"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_route_taking_a_token_is_redacted(app):
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if {"token", "ref"} & set(rule.arguments):
                path = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, "SECRETVALUE"))
                assert "SECRETVALUE" not in redact_target(path), rule.rule


def test_the_development_server_logs_no_tokens_or_postcodes(app, caplog, logging_on):
    from werkzeug.serving import make_server

    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in PATHS:
            _fetch(f"http://127.0.0.1:{server.server_port}", path)
    finally:
        server.shutdown()
        thread.join()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len([line for line in lines if "GET /" in line]) == len(PATHS)
    assert any("GET /r/[redacted]" in line for line in lines)
    assert any("where=[redacted]" in line for line in lines)
    for leak in LEAKS:
        assert leak not in caplog.text, leak


def test_the_apps_error_lines_name_no_token(app, caplog, logging_on):
    broken = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @broken.get("/explode/r/<token>")
    def explode(token: str):
        raise RuntimeError("something unexpected")

    caplog.set_level(logging.ERROR, logger=broken.logger.name)
    broken.test_client().get(f"/explode/r/{SECRETS[0]}")
    logged = [r.getMessage() for r in caplog.records if r.name == broken.logger.name]
    assert logged == ["Exception on /explode/r/[redacted] [GET]"]


def test_gunicorn_with_its_configuration_logs_no_tokens_or_postcodes(app, database_url,
                                                                      tmp_path):
    port = _free_port()
    env = {**os.environ, "MLE_ENV": "testing", "DATABASE_URL": database_url}
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(  # noqa: S603 (our own command line)
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1",
             "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=5).read()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        pytest.fail(f"gunicorn did not start: {err.read_text()}")
                    time.sleep(0.3)
            for path in PATHS:
                _fetch(base, path)
        finally:
            server.terminate()
            server.wait(timeout=30)
    access = out.read_text()
    requests = [line for line in access.splitlines() if '"GET /' in line]
    assert len([line for line in requests if "/healthz" not in line]) == len(PATHS), access
    assert '"GET /resume/[redacted] HTTP/1.1"' in access
    assert "postcode=[redacted]" in access
    for leak in LEAKS:
        assert leak not in access + err.read_text(), leak
