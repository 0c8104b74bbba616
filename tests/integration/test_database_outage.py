"""While the database is unreachable every page that needs it is the friendly 503 page, for
residents and for signed-in staff alike (bench/load/fault_db_restart.py does it for real)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.journeys import begin
from tests.staff import make_staff, sign_in


@pytest.fixture
def database_down(monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    def switch():
        monkeypatch.setattr(Session, "get", down)
        monkeypatch.setattr(Session, "execute", down)
        monkeypatch.setattr(Session, "commit", down)

    def at_next_commit():
        """Reads work until a commit, which fails, and everything after it."""
        def commit(*args, **kwargs):
            switch()
            down()

        monkeypatch.setattr(Session, "commit", commit)

    switch.at_next_commit = at_next_commit
    return switch


def test_a_resident_mid_journey_gets_the_friendly_503(client, database_down):
    begin(client)
    database_down()
    page = client.get("/topics", expect=503)
    assert page.h1 == "Sorry, the service is unavailable"
    assert "call 999" in page.text
    assert client.get("/healthz", expect=503).json["database"] == "unreachable"


def test_signed_in_staff_get_the_friendly_503_not_a_500(client, app, database_down):
    sign_in(client, app, make_staff(app, ["manager"]))
    database_down()
    page = client.get("/staff/reports/", expect=503)
    assert page.h1 == "Sorry, the service is unavailable"


def test_an_answer_whose_save_fails_gets_the_friendly_503(client, database_down):
    """The connection is cut while an answer is being saved (as in a database restart)."""
    begin(client)
    page = client.get("/topics")
    token = page.csrf_token
    database_down.at_next_commit()
    failed = client.post("/topics", {"csrf_token": token, "topics": ["bathing"]}, expect=503)
    assert failed.h1 == "Sorry, the service is unavailable"
