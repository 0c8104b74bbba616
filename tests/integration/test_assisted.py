"""Assisted assessments: an assessor records the person's agreement, uses the same
questionnaire, keeps notes, acts on the result at once; the channel reaches the outcome."""

from __future__ import annotations

from sqlalchemy import select

from mle.database import db
from mle.models import AuditEvent, OutcomeRecord, Referral
from mle.security.encryption import decrypt_json
from tests.integration.test_referrals import CONTACT, FALL
from tests.journeys import answer_questions
from tests.staff import make_staff, sign_in


def start_assisted(client, app, how="phone"):
    sign_in(client, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    return client.submit("/staff/assisted/new", {"how": how, "agreed": "y"})


def test_agreement_must_be_recorded_before_starting(client, app):
    sign_in(client, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    page = client.submit("/staff/assisted/new", {"how": "phone"}, expect=200)
    assert page.error_summary() == [
        "Confirm the person agreed before you start the assessment"]


def test_an_assisted_assessment_from_start_to_a_referral(client, app, content):
    response = start_assisted(client, app)
    assert response.location.endswith("/about-you")
    page = client.get("/about-you")
    assert "Assisted assessment" in page.text
    client.submit("/about-you", {"answering_for": "self", "age_band": "75_84",
                                 "postcode": "ML5 2QT"})
    client.submit("/topics", {"topics": ["bathing"]})
    answer_questions(client, content, FALL)
    check = client.get("/check-answers")
    assert "Your notes on this assessment" in check.text
    client.post("/staff/assisted/notes", {"csrf_token": check.csrf_token,
                                          "note": "Daughter present on the call"})
    client.submit("/check-answers")
    result = client.get("/result")
    assert "Daughter present on the call" in result.text
    client.submit("/result/bathing/ask/occupational-therapy", CONTACT)
    with app.app_context():
        record = db.session.scalars(select(OutcomeRecord)).one()
        assert record.channel == "assisted" and record.referral_made is True
        referral = db.session.scalars(select(Referral)).one()
        assert referral.channel == "assisted"
        assert [decrypt_json(n.text) for n in referral.notes] == ["Daughter present on the call"]
        started = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "assessment.assisted_started")).one()
        assert started.details == {"how": "phone", "agreement_recorded": True}


def test_on_behalf_is_its_own_channel(client, app, content):
    start_assisted(client, app, how="on_behalf")
    client.submit("/about-you", {"answering_for": "someone_else", "age_band": "85_plus"})
    client.submit("/topics", {"topics": ["memory"]})
    answer_questions(client, content)
    client.submit("/check-answers")
    with app.app_context():
        assert db.session.scalars(select(OutcomeRecord)).one().channel == "on_behalf"


def test_a_resident_cannot_add_staff_notes(client, app, content):
    from tests.journeys import complete

    complete(client, content, ["memory"])
    page = client.get("/result")
    assert "Your notes on this assessment" not in page.text
    token = client.get("/").csrf_token
    response = client.post("/staff/assisted/notes", {"csrf_token": token, "note": "x"},
                           expect=302)
    assert response.location.startswith("/staff/sign-in")
