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


def assisted_and_saved(client, app, content) -> str:
    """Assessor A (occupational therapy) completes an assisted assessment with a note, and
    saves it: the resume code any browser could bring it back with."""
    start_assisted(client, app)
    client.submit("/about-you", {"answering_for": "self", "age_band": "75_84"})
    client.submit("/topics", {"topics": ["bathing"]})
    answer_questions(client, content, FALL)
    token = client.get("/check-answers").csrf_token
    client.post("/staff/assisted/notes", {"csrf_token": token, "note": "Lives alone"})
    client.submit("/check-answers")
    return client.submit("/save", expect=200).soup.find(id="resume-code").get_text().strip()


def assessor_with_the_code(app, code: str, team: str | None, **staff):
    """An assessor who brings the resume code; one of another team is told, exactly as for a
    wrong code, that it is not right, so they learn nothing, not even that it is real."""
    from tests.pages import CheckedClient

    other = CheckedClient(app.test_client())
    other.user_id = make_staff(app, ["assessor"], team=team, **staff)
    sign_in(other, app, other.user_id)
    page = other.get("/resume")
    response = other.client.post("/resume", data={"csrf_token": page.csrf_token, "code": code})
    other.code_refused = response.status_code == 200
    if other.code_refused:
        assert b"That code is not right or has expired" in response.data
    return other


def move_to_team(app, user_id: int, team: str) -> None:
    from mle.models import StaffUser

    with app.app_context():
        db.session.get(StaffUser, user_id).team_id = team
        db.session.commit()


def test_an_assessor_of_another_team_is_told_the_code_is_not_right(client, app, content):
    code = assisted_and_saved(client, app, content)
    stranger = assessor_with_the_code(app, code, team="carers-support")
    assert stranger.code_refused
    assert b"Lives alone" not in stranger.client.get("/result", follow_redirects=True).data


def test_an_assessor_of_another_team_cannot_read_or_add_notes(client, app, content):
    """Even with the assessment already in their session (they moved team since)."""
    code = assisted_and_saved(client, app, content)
    stranger = assessor_with_the_code(app, code, team="occupational-therapy")
    assert not stranger.code_refused
    move_to_team(app, stranger.user_id, "carers-support")
    for path in ("/result", "/check-answers", "/result/print", "/save"):
        assert stranger.client.get(path).status_code == 404, path
    token = stranger.get("/staff/").csrf_token
    response = stranger.client.post("/staff/assisted/notes",
                                    data={"csrf_token": token, "note": "Read it anyway"})
    assert response.status_code == 404
    assert b"Lives alone" not in response.data
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("assessment.note%"))).all() == ["assessment.note_added"]
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "assessment.access_refused")).first().details == {}


def test_an_assessor_of_the_same_team_may_read_and_add_notes(client, app, content):
    code = assisted_and_saved(client, app, content)
    colleague = assessor_with_the_code(app, code, team="occupational-therapy")
    assert "Lives alone" in colleague.get("/result").text
    token = colleague.get("/result").csrf_token
    colleague.post("/staff/assisted/notes", {"csrf_token": token, "note": "Called back"})
    assert "Called back" in colleague.get("/result").text


def test_an_assessor_without_a_team_keeps_their_assisted_assessment_to_themselves(
        client, app, content):
    from tests.pages import CheckedClient

    sign_in(client, app, make_staff(app, ["assessor"]))
    client.submit("/staff/assisted/new", {"how": "phone", "agreed": "y"})
    client.submit("/about-you", {"answering_for": "self", "age_band": "75_84"})
    assert client.get("/topics").h1
    code = client.submit("/save", expect=200).soup.find(id="resume-code").get_text().strip()
    for team in (None, "occupational-therapy"):
        other = assessor_with_the_code(app, code, team=team)
        assert other.code_refused
        assert other.client.get("/check-answers").status_code != 200
    person = CheckedClient(app.test_client())  # the person themselves, with their code
    person.submit("/resume", {"code": code})
    assert person.client.get("/topics").status_code == 200


def test_an_emailed_resume_link_opens_nothing_for_another_team(client, app, content):
    from tests.integration.test_results_kept import emailed_link, save_by_email

    start_assisted(client, app)
    client.submit("/about-you", {"answering_for": "self", "age_band": "75_84"})
    client.submit("/topics", {"topics": ["bathing"]})
    save_by_email(client)
    path = emailed_link(app)
    stranger = assessor_with_the_code(app, "no-code", team="carers-support")
    assert stranger.client.get(path).status_code == 404
    colleague = assessor_with_the_code(app, "no-code", team="occupational-therapy")
    page = colleague.get(path)
    assert colleague.post(path, {"csrf_token": page.csrf_token}).location == "/check-answers"
