"""Rollups follow the outcome records as they are written, and a rebuild gives the same."""

from __future__ import annotations

from sqlalchemy import func, select

from mle.extensions import db
from mle.models import OutcomeRecord, OutcomeRollup
from mle.reporting.rollups import rebuild
from tests.integration.test_referrals import CONTACT, FALL
from tests.journeys import complete
from tests.pages import CheckedClient


def totals(app) -> dict:
    with app.app_context():
        row = db.session.execute(select(
            func.sum(OutcomeRollup.assessments), func.sum(OutcomeRollup.directed),
            func.sum(OutcomeRollup.referral_made)).where(OutcomeRollup.module == "")).one()
        modules = dict(db.session.execute(
            select(OutcomeRollup.module, func.sum(OutcomeRollup.assessments))
            .where(OutcomeRollup.module != "").group_by(OutcomeRollup.module)).all())
        return {"assessments": row[0], "directed": row[1], "referral_made": row[2],
                "modules": modules}


def test_rollups_follow_outcomes_and_referrals(app, content):
    for _ in range(2):
        complete(CheckedClient(app.test_client()), content, ["memory", "bathing"])
    resident = CheckedClient(app.test_client())
    complete(resident, content, ["bathing"], FALL)
    resident.submit("/result/bathing/ask", CONTACT)
    live = totals(app)
    assert live["assessments"] == 3
    assert live["modules"] == {"memory": 2, "bathing": 3}
    assert live["referral_made"] == 1
    with app.app_context():
        assert live["assessments"] == db.session.scalar(
            select(func.count()).select_from(OutcomeRecord))
        rebuild()
    assert totals(app) == live
