"""The referrals service keeps a request's rules whoever calls it: a status only where it may
follow, an ending only with its outcome, no change over someone else's, and each team's queue
holding only its own requests, most urgent first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mle.database import db
from mle.models import AuditEvent, Referral
from mle.referrals import queue
from mle.referrals.queue import OutcomeNeeded, QueueFilters, RequestChanged, StatusNotAllowed
from mle.referrals.sealed import outcome_of, seal

TEAM = "occupational-therapy"


@pytest.fixture
def made(app):
    """Makes a request directly, as the resident's side of the service would (the shared
    fixtures start each test with none)."""
    count = 0

    def make(team_id: str = TEAM, priority: str = "routine", status: str = "new",
             days_old: int = 0) -> int:
        nonlocal count
        count += 1
        with app.app_context():
            referral = Referral(reference=f"MLE-TEST{count:02d}", kind="referral",
                                team_id=team_id, priority=priority, status=status,
                                channel="self", module="bathing", summary=seal({}),
                                created_at=datetime.now(UTC) - timedelta(days=days_old))
            db.session.add(referral)
            db.session.commit()
            return referral.id

    return make


def _status_after(app, referral_id: int, status: str, outcome: str = "",
                  version: str | None = None) -> str:
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        seen = str(referral.version) if version is None else version
        queue.change_status(referral, status, outcome, seen_version=seen)
        return db.session.get(Referral, referral_id).status


def _status_of(app, referral_id: int) -> str:
    with app.app_context():
        return db.session.get(Referral, referral_id).status


def test_a_status_moves_only_where_it_may_follow(app, made):
    referral_id = made()
    with pytest.raises(StatusNotAllowed):
        _status_after(app, referral_id, "closed", "Done")  # accepted first
    assert _status_of(app, referral_id) == "new"
    assert _status_after(app, referral_id, "accepted") == "accepted"
    with pytest.raises(StatusNotAllowed):
        _status_after(app, referral_id, "new")  # no going back


@pytest.mark.parametrize("ending", ["closed", "declined"])
def test_a_request_ends_only_with_its_outcome(app, made, ending):
    referral_id = made(status="accepted")
    with pytest.raises(OutcomeNeeded):
        _status_after(app, referral_id, ending, "   ")
    assert _status_of(app, referral_id) == "accepted"
    assert _status_after(app, referral_id, ending, " Grab rails fitted ") == ending
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        assert outcome_of(referral) == "Grab rails fitted"
        assert b"Grab rails" not in referral.outcome and referral.first_action_at is not None
        assert db.session.scalars(select(AuditEvent.action)).all() == ["referral.status_changed"]


def test_nothing_changes_over_someone_elses_change(app, made):
    referral_id = made()
    with pytest.raises(RequestChanged):
        _status_after(app, referral_id, "accepted", version="0")
    with app.app_context(), pytest.raises(RequestChanged):
        queue.reassign(db.session.get(Referral, referral_id), "social-work", seen_version="0")
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        assert (referral.status, referral.team_id) == ("new", TEAM)


def test_a_request_passes_only_to_another_team_that_exists(app, made):
    referral_id = made()
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        for team_id in (TEAM, "no-such-team"):
            with pytest.raises(LookupError):
                queue.reassign(referral, team_id, seen_version=str(referral.version))
        queue.reassign(referral, "social-work", seen_version=str(referral.version))
        assert queue.request_for_team(referral_id, TEAM) is None
        assert queue.request_for_team(referral_id, "social-work").id == referral_id


def test_a_team_sees_its_open_requests_most_urgent_first(app, made):
    routine = made(priority="routine", days_old=10)
    urgent = made(priority="urgent")
    soon = made(priority="soon", days_old=2)
    closed = made(priority="urgent", status="closed")
    made(team_id="social-work", priority="urgent")
    with app.app_context():
        def ids(**filters) -> list[int]:
            return [r.id for r in queue.requests_for_team(TEAM, QueueFilters(**filters))]

        assert ids() == [urgent, soon, routine]
        assert ids(status="all") == [urgent, closed, soon, routine]
        assert ids(status="closed") == [closed]
        assert ids(priority="soon") == [soon]
        assert ids(older_than="7") == [routine]
        assert ids(older_than="99999999") == [urgent, soon, routine]  # too long: ignored
        assert queue.requests_for_team(None, QueueFilters()) == []


def test_opening_a_request_is_audited(app, made):
    referral_id = made()
    with app.app_context():
        opened = queue.open_request(db.session.get(Referral, referral_id))
        assert opened.contact is None and opened.notes == [] and opened.team.id == TEAM
        assert db.session.scalars(select(AuditEvent.action)).all() == ["referral.viewed"]
