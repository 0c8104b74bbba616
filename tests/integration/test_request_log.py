"""What an operator reads: one line per request with the load balancer's request id (returned
to the caller), nothing personal in it, and JSON at info level when run in production."""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from mle.request_log import LOGGER

ROOT = Path(__file__).resolve().parents[2]
TOKEN = f"tok{secrets.token_hex(8)}"


def fetch(app, path: str, **kwargs):
    """A request through the test client, closed as a server closes it (the line is written
    once the answer is sent)."""
    response = app.test_client().get(path, **kwargs)
    response.close()
    return response


@pytest.fixture
def request_lines(caplog, monkeypatch):
    """The request lines logged (the migrations' fileConfig switched the logger off)."""
    monkeypatch.setattr(logging.getLogger(LOGGER), "disabled", False)
    caplog.set_level(logging.INFO, logger=LOGGER)
    return lambda: [r for r in caplog.records if r.name == LOGGER]


def test_the_load_balancers_request_id_is_logged_and_returned(app, request_lines):
    response = fetch(app, "/livez", headers={"X-Request-ID": "lb-4f2a:9c_1.0"})
    assert response.headers["X-Request-ID"] == "lb-4f2a:9c_1.0"
    [line] = request_lines()
    assert line.request_id == "lb-4f2a:9c_1.0"
    assert (line.method, line.path, line.status) == ("GET", "/livez", 200)
    assert line.duration_ms >= 0


@pytest.mark.parametrize("offered", [
    None, "", "x" * 65, "has space", "<script>", 'quote"d', "semi;colon", "café",
])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_fresh_one(app, request_lines,
                                                                   offered):
    headers = {} if offered is None else {"X-Request-ID": offered}
    response = fetch(app, "/livez", headers=headers)
    made = response.headers["X-Request-ID"]
    assert made != offered and len(made) == 32 and int(made, 16) >= 0
    assert request_lines()[0].request_id == made


def test_each_request_gets_its_own_id(app):
    client = app.test_client()
    ids = {client.get("/livez").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_the_line_has_no_query_no_token_and_no_postcode(app, request_lines):
    fetch(app, f"/r/{TOKEN}")
    fetch(app, "/local-information/search?q=alcohol&where=ML1+1AB")
    fetch(app, "/local-information/topic/ML1 1AB")
    paths = [line.path for line in request_lines()]
    assert paths == ["/r/[redacted]", "/local-information/search",
                     "/local-information/topic/[redacted]"]
    logged = repr([vars(line) for line in request_lines()])
    for leak in (TOKEN, "alcohol", "ML1", "where"):
        assert leak not in logged


def test_a_failing_request_is_logged_with_its_status(app, request_lines):
    assert fetch(app, "/no-such-page").status_code == 404
    assert [line.status for line in request_lines()] == [404]


def test_other_lines_written_during_a_request_carry_its_id(app):
    from mle import create_app
    from mle.logging_setup import AddRequestId

    seen: list[str | None] = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @app.get("/_test-log-line")
    def logs_a_line():
        record = logging.LogRecord("mle", logging.INFO, __file__, 1, "working", (), None)
        AddRequestId().filter(record)
        seen.append(record.request_id)
        return "ok"

    fetch(app, "/_test-log-line", headers={"X-Request-ID": "abc-123"})
    assert seen == ["abc-123"]
    record = logging.LogRecord("mle", logging.INFO, __file__, 1, "outside", (), None)
    AddRequestId().filter(record)
    assert record.request_id is None  # after the request, no id lingers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_under_gunicorn_writes_one_json_line_per_request(database_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "MLE_ENV": "production", "DATABASE_URL": database_url,
           "SECRET_KEY": secrets.token_urlsafe(48), "MLE_DATA_KEYS": Fernet.generate_key().decode(),
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14",
           "MLE_BASE_URL": f"http://127.0.0.1:{port}"}
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    base = f"http://127.0.0.1:{port}"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(  # noqa: S603 (our own command line)
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1",
             "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(base + "/livez", timeout=5).read()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        pytest.fail(f"gunicorn did not start: {err.read_text()}")
                    time.sleep(0.3)
            asked = urllib.request.Request(  # noqa: S310 (our own server)
                base + f"/resume/{TOKEN}?postcode=ML1+1AB",
                headers={"X-Request-ID": "from-the-lb-1"})
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(asked, timeout=30)  # noqa: S310
            assert answer.value.headers["X-Request-ID"] == "from-the-lb-1"
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    [line] = [line for line in lines if line.get("request_id") == "from-the-lb-1"]
    assert line["level"] == "INFO" and line["logger"] == LOGGER
    assert (line["method"], line["path"]) == ("GET", "/resume/[redacted]")
    assert line["status"] == answer.value.code and line["duration_ms"] >= 0
    assert all(entry["logger"] == LOGGER for entry in lines)  # no second, gunicorn line
    errors = [json.loads(line) for line in err.read_text().splitlines()]
    assert errors and all("level" in entry for entry in errors)
    everything = out.read_text() + err.read_text()
    for leak in (TOKEN, "ML1", "postcode="):
        assert leak not in everything
