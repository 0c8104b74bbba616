"""The public address comes from MLE_BASE_URL, never from the request's Host header; in
production a request naming another host is refused."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from mle import create_app

FOREIGN = "evil.example"
PAGES = ["/", "/api/oruk/", "/api/oruk/openapi.json", "/api/oruk/services?per_page=2",
         "/api/oruk/no-such-path", "/local-information/", "/no-such-page", "/healthz",
         "/r/not-a-token", "/staff/sign-in"]


@pytest.mark.parametrize("path", PAGES)
def test_no_answer_repeats_a_forged_host(app, path):
    client = app.test_client()
    response = client.get(path, headers={"Host": FOREIGN}, base_url=f"https://{FOREIGN}")
    assert FOREIGN not in response.get_data(as_text=True)
    assert all(FOREIGN not in value for _, value in response.headers.items())


def test_a_redirect_names_no_forged_host(app):
    client = app.test_client()
    start = client.get("/", headers={"Host": FOREIGN})
    assert start.status_code == 200
    response = client.get("/about-you", headers={"Host": FOREIGN})
    assert FOREIGN not in response.headers.get("Location", "")


def test_the_api_names_its_description_at_the_public_address(app):
    client = app.test_client()
    meta = client.get("/api/oruk/", headers={"Host": FOREIGN}).json
    base = app.config["MLE_BASE_URL"].rstrip("/")
    assert meta["openapi_url"] == f"{base}/api/oruk/openapi.json"
    described = client.get("/api/oruk/openapi.json", headers={"Host": FOREIGN}).json
    assert described["servers"][0]["url"] == f"{base}/api/oruk"


@pytest.fixture(scope="module")
def production(app):
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in {"MLE_ENV": "production", "SECRET_KEY": "x" * 40,
                            "MLE_DATA_KEYS": Fernet.generate_key().decode(),
                            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                            "RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0",
                            "MLE_BASE_URL": "https://mle.example.gov.uk",
                            "MLE_TRUSTED_HOSTS": "10.0.0.5, mle-internal"}.items():
            monkeypatch.setenv(name, value)
        return create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                           "RATELIMIT_STORAGE_URI": "memory://"})


@pytest.mark.parametrize("path", ["/", "/healthz", "/staff/sign-in", "/no-such-page"])
def test_production_refuses_a_foreign_host_with_a_plain_400(production, path):
    response = production.test_client().get(path, headers={"Host": FOREIGN},
                                            base_url=f"https://{FOREIGN}")
    assert response.status_code == 400
    assert FOREIGN not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_production_refuses_a_foreign_host_to_the_api_in_json(production):
    response = production.test_client().get("/api/oruk/services", headers={"Host": FOREIGN},
                                            base_url=f"https://{FOREIGN}")
    assert response.status_code == 400
    assert response.json == {"code": 400,
                             "message": "This service does not answer to that host name."}


@pytest.mark.parametrize("host", ["mle.example.gov.uk", "MLE.example.gov.uk:443",
                                  "10.0.0.5:8000", "mle-internal"])
def test_production_answers_its_own_and_the_trusted_hosts(production, host):
    response = production.test_client().get("/healthz", headers={"Host": host},
                                            base_url=f"https://{host}")
    assert response.status_code == 200
