"""Liveness and readiness as a load balancer sees them: readiness fails (503) while the
database, Redis or the content is missing or wrong, and recovers with no restart."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from cryptography.fernet import Fernet
from flask_migrate import upgrade

from mle import create_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def ready(app, monkeypatch):
    """GET /readyz on the test app, with its rate-limit store pointed at `redis` if given."""
    def get(redis: str | None = None):
        if redis:
            monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", redis)
            app.extensions.pop("mle_readiness_redis", None)
        return app.test_client().get("/readyz")
    yield get
    app.extensions.pop("mle_readiness_redis", None)


def test_liveness_answers_without_asking_anything_else(client):
    assert client.get("/livez").json == {"status": "ok"}


def test_a_ready_instance_says_what_it_checked(ready):
    response = ready()
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "content": "ok"}
    assert "redis" not in response.json  # the test app counts rate limits in memory


def test_redis_holding_the_rate_limits_is_checked(ready):
    response = ready("redis://127.0.0.1:6379/15")
    assert response.status_code == 200 and response.json["redis"] == "ok"


def test_redis_that_cannot_be_reached_makes_the_instance_unready(ready):
    response = ready(f"redis://127.0.0.1:{_free_port()}/0")
    assert response.status_code == 503
    assert response.json["redis"] == "unreachable" and response.json["status"] == "unavailable"


def test_an_instance_that_loses_redis_recovers_when_it_returns(ready, tmp_path):
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (.ci/run installs it)"
    port = _free_port()

    def start() -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return process
            time.sleep(0.05)
        process.kill()
        pytest.fail("redis-server did not start")

    redis = start()
    try:
        assert ready(f"redis://127.0.0.1:{port}/0").status_code == 200
        redis.terminate()
        redis.wait(timeout=10)
        lost = ready()
        assert lost.status_code == 503 and lost.json["redis"] == "unreachable"
        redis = start()
        assert ready().status_code == 200  # the same app, no restart
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def test_a_missing_database_then_an_unmigrated_one_then_recovery(tmp_path):
    folder = tmp_path / "data"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/mle.db"})
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"
    folder.mkdir()  # the database comes back, empty: not the one this code expects
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["database"] == "not-migrated"
    with app.app_context():
        upgrade()
    assert client.get("/readyz").status_code == 200


def test_production_on_another_database_than_configured_is_not_ready(app, monkeypatch):
    for name, value in {"MLE_ENV": "production", "SECRET_KEY": "x" * 40,
                        "MLE_DATA_KEYS": Fernet.generate_key().decode(),
                        "DATABASE_URL": "postgresql://mle@127.0.0.1:5432/mle",
                        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
                        "MLE_BASE_URL": "https://mle.example.gov.uk"}.items():
        monkeypatch.setenv(name, value)
    # Say a deployment's override left it on the file it was tested with.
    fallen_back = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                              "RATELIMIT_STORAGE_URI": "memory://"})
    response = fallen_back.test_client().get(
        "/readyz", headers={"Host": "mle.example.gov.uk"}, base_url="https://mle.example.gov.uk")
    assert response.status_code == 503
    assert response.json["database"] == "not-configured"


def test_content_whose_folder_has_gone_makes_the_instance_unready(app, ready, monkeypatch,
                                                                  tmp_path):
    monkeypatch.setitem(app.config, "MLE_QUESTIONNAIRES_DIR", str(tmp_path / "gone"))
    response = ready()
    assert response.status_code == 503 and response.json["content"] == "unreachable"
