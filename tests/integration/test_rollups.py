"""Rollups follow the outcome records as they are written, and a rebuild gives the same."""

from __future__ import annotations

from sqlalchemy import func, select

from mle.database import db
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
    resident.submit("/result/bathing/ask/occupational-therapy", CONTACT)
    live = totals(app)
    assert live["assessments"] == 3
    assert live["modules"] == {"memory": 2, "bathing": 3}
    assert live["referral_made"] == 1
    with app.app_context():
        assert live["assessments"] == db.session.scalar(
            select(func.count()).select_from(OutcomeRecord))
        rebuild()
    assert totals(app) == live


def everything(app) -> tuple[set, set]:
    from mle.models import OutcomeTally
    from mle.models.rollup import DIMENSIONS, MEASURES

    with app.app_context():
        rollups = {(tuple(getattr(r, d) for d in DIMENSIONS),
                    tuple(getattr(r, m) for m in MEASURES))
                   for r in db.session.scalars(select(OutcomeRollup))
                   if any(getattr(r, m) for m in MEASURES)}
        tallies = {(t.period, t.locality, t.kind, t.key, t.count)
                   for t in db.session.scalars(select(OutcomeTally)) if t.count}
        return rollups, tallies


def test_later_changes_reach_the_record_and_the_rollups(app, content):
    from tests.integration.test_referrals import BOARD
    from tests.staff import make_staff, sign_in

    resident = CheckedClient(app.test_client())
    complete(resident, content, ["bathing"], BOARD)
    resident.submit("/result", {"helpful": "yes", "next_steps": ["get_equipment"]})
    resident.submit("/result/bathing/equipment/bath-board",
                    {**CONTACT, "address": "2 Example Road", "measurements_right": "y"})
    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team="equipment-service"))
    with app.app_context():
        from mle.models import Referral

        referral_id = db.session.scalar(select(Referral.id))
    page = staff.get(f"/staff/requests/{referral_id}")
    version = page.soup.find("input", attrs={"name": "status-version"})["value"]
    staff.post(f"/staff/requests/{referral_id}/status",
               {"csrf_token": page.csrf_token, "status-version": version,
                "status-status": "accepted"})
    with app.app_context():
        record = db.session.scalar(select(OutcomeRecord))
        assert record.feedback_helpful == "yes"
        assert record.equipment_requested == ["bath-board"]
        assert "bath-board" in record.equipment
        assert record.referral_made and record.referral_accepted
        assert record.referral_status == "accepted" and record.first_action_days == 0
    live = everything(app)
    tallies = {(kind, key): count for (_, _, kind, key, count) in live[1]}
    assert tallies[("referral_status", "accepted")] == 1
    assert ("referral_status", "new") not in tallies  # moved, not added
    assert tallies[("equipment_requested", "bath-board")] == 1
    assert tallies[("feedback_helpful", "yes")] == 1
    assert tallies[("first_action_days", "0")] == 1
    with app.app_context():
        rebuild()
    assert everything(app) == live
