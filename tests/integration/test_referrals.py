"""A resident asks for a referral; the right team sees it, acts on it; email goes through the
outbox to a real SMTP server on loopback; personal data is encrypted and purged on time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mle.database import db
from mle.mail.outbox import send_due
from mle.models import (
    AuditEvent,
    OutboxMessage,
    OutcomeRecord,
    Referral,
    ReferralNote,
    Team,
)
from mle.referrals.sealed import outcome_of, summary_of
from mle.security.encryption import decrypt_json
from tests.journeys import about_of, complete, form_answers
from tests.mail import body_of
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

CONTACT = {"name": "Morag Example", "phone": "01698 123456", "email": "morag@example.org",
           "address": "1 Example Street, Coatbridge", "best_time": "Mornings",
           "consent": "y"}
FALL = {"bathing": {"wash_where": "bath", "fall_bathroom": "fell"}}


@pytest.fixture(autouse=True)
def _clean(app):
    with app.app_context():
        for model in (ReferralNote, Referral, OutboxMessage, AuditEvent):
            db.session.query(model).delete()
        team = db.session.get(Team, "occupational-therapy")
        team.inbox_email = "ot-team@example.org"
        db.session.query(Team).filter(Team.id == "ot-coatbridge").delete()
        db.session.commit()



OT_ASK = "/result/bathing/ask/occupational-therapy"


def ask(client, content, contact=None, expect=302):
    result = complete(client, content, ["bathing"], FALL)
    link = result.soup.find("a", href=OT_ASK)
    assert link is not None, "the result offers no occupational therapy referral"
    return client.submit(OT_ASK, contact or CONTACT, expect=expect)


def only_referral(app) -> Referral:
    with app.app_context():
        return db.session.scalars(select(Referral)).one()


def opened(app, referral: Referral) -> tuple[dict | None, str | None]:
    """The request's answers summary and outcome, decrypted."""
    with app.app_context():
        return summary_of(referral), outcome_of(referral)


def test_the_ask_page_says_what_happens_and_who_sees_the_details(client, content):
    complete(client, content, ["bathing"], FALL)
    page = client.get(OT_ASK)
    assert "Only staff in that team can see your contact details" in page.text
    assert "We delete your contact details" in page.text


def test_a_referral_is_made_with_consent_and_gets_a_reference(client, app, content):
    sent = ask(client, content)
    page = client.get(sent.location)
    referral = only_referral(app)
    assert page.h1 == "Request sent" and referral.reference in page.text
    assert referral.team_id == "occupational-therapy" and referral.priority == "soon"
    assert referral.locality == "coatbridge" and referral.rule_id == "bathroom-after-a-fall"
    assert b"Morag" not in referral.contact and b"01698" not in referral.contact
    summary, _ = opened(app, referral)
    assert "Morag" not in str(summary)
    # The team sees every rule that fired, not only its own.
    assert {"fall-in-bathroom", "bathroom-after-a-fall"} <= {r["id"] for r in summary["rules"]}
    # The answers are health information: encrypted at rest like the contact details (a
    # short label such as "No" can occur in any base64 text, so the longer ones are looked for).
    assert summary["answers"] and all(row["answer"].encode() not in referral.summary
                                      for row in summary["answers"] if len(row["answer"]) > 6)
    with app.app_context():
        assert db.session.scalars(select(OutcomeRecord)).one().referral_made is True


@pytest.mark.parametrize(("change", "message"), [
    ({"consent": ""}, "Tick the box to agree to share your details"),
    ({"phone": "12345"}, "Enter a UK phone number"),
    ({"phone": "", "email": ""}, "Enter a phone number or an email address"),
    ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ({"name": ""}, "Enter the full name"),
    ({"address": ""}, "Enter the address"),
])
def test_bad_contact_details_are_explained_and_nothing_is_sent(client, app, content, change,
                                                               message):
    page = ask(client, content, {**CONTACT, **change}, expect=200)
    assert any(e.startswith(message) for e in page.error_summary()), page.error_summary()
    with app.app_context():
        assert db.session.scalars(select(Referral)).all() == []
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_no_referral_is_offered_where_the_rules_do_not_call_for_one(client, content):
    result = complete(client, content, ["bathing"], {"bathing": {"wash_where": "walk_in_shower"}})
    assert result.soup.find("a", href=re.compile("/ask/")) is None
    assert client.get(OT_ASK, expect=404).h1 == "Page not found"


def test_every_referral_offered_has_its_own_request(client, app, content):
    result = complete(client, content, ["bathing"], FALL)
    asks = [a["href"] for a in result.soup.find_all("a", href=re.compile("^/result/bathing/ask/"))]
    # A fall gets the falls assessment the referral policy asks for, and the bathroom itself
    # an occupational therapist: both are offered, neither dropped (each in the plan and in the
    # details of the topic).
    assert list(dict.fromkeys(asks)) == ["/result/bathing/ask/falls-service", OT_ASK]
    plan = result.soup.select_one(".mle-plan")
    assert [a["href"] for a in plan.find_all("a", href=re.compile("/ask/"))] == [
        "/result/bathing/ask/falls-service", OT_ASK]
    client.submit("/result/bathing/ask/falls-service", CONTACT)
    client.submit(OT_ASK, CONTACT)
    with app.app_context():
        made = {(r.team_id, r.rule_id, r.priority)
                for r in db.session.scalars(select(Referral))}
    assert made == {("falls-service", "fall-in-bathroom", "soon"),
                    ("occupational-therapy", "bathroom-after-a-fall", "soon")}
    # A team the rules did not offer cannot be asked.
    assert client.get("/result/bathing/ask/housing", expect=404).h1 == "Page not found"


def test_a_route_the_service_cannot_send_to_says_how_to_get_there(client, content):
    result = complete(client, content, ["kitchen"],
                      {"kitchen": {"eating_enough": "lost_weight"}})
    section = result.soup.find("section", attrs={"aria-labelledby": "section-kitchen"})
    text = " ".join(section.get_text(" ").split())
    assert "Getting an assessment: Your GP practice" in text
    # The way there is a step of the plan, given once; the details point to it.
    step = next(li for li in result.soup.select(".mle-plan li[data-step=referral]")
                if "Your GP practice" in li.get_text())
    assert "Make an appointment with your GP practice" in step.get_text()
    number = result.soup.select(".mle-plan li[data-step]").index(step) + 1
    assert f"How: see step {number} of your next steps." in text
    assert result.soup.find("a", href="/result/kitchen/ask/gp-practice") is None
    assert client.get("/result/kitchen/ask/gp-practice", expect=404).h1 == "Page not found"


def test_a_withheld_item_cannot_be_requested(client, app, content):
    module = content.module("bathing")
    case = next(c for c in module.tests if "bath-board" in c.expect.get("withheld", ())
                and c.answers.get("can_lift_legs") is False)
    result = complete(client, content, ["bathing"], {"bathing": form_answers(case)},
                      **about_of(case))
    assert "We have not suggested: Bath board." in result.text
    assert result.soup.find("a", href="/result/bathing/equipment/bath-board") is None
    assert client.get("/result/bathing/equipment/bath-board", expect=404).h1 == \
        "Page not found"
    # The occupational therapist who is asked to help sees what was left out and why.
    client.submit(OT_ASK, CONTACT)
    referral = only_referral(app)
    withheld = {w["id"]: w["because"] for w in opened(app, referral)[0]["withheld"]}
    reason = next(n.because for n in module.rules.equipment["bath-board"].not_for
                  if n.because and "can_lift_legs" in n.when.text)
    assert reason in withheld["bath-board"]
    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    page = staff.get(f"/staff/requests/{referral.id}")
    assert "Equipment not suggested to them" in page.text and reason in page.text


def test_a_locality_team_of_the_same_kind_takes_its_localitys_requests(client, app, content):
    with app.app_context():
        db.session.add(Team(id="ot-coatbridge", name="OT Coatbridge",
                            kind="occupational_therapy", localities=["coatbridge"]))
        db.session.commit()
    ask(client, content)
    assert only_referral(app).team_id == "ot-coatbridge"


def test_emails_go_through_the_outbox_to_smtp(client, app, content, mail_server):
    ask(client, content)
    reference = only_referral(app).reference
    with app.app_context():
        report = send_due()
    assert report.sent == 2 and report.waiting == 0
    by_to = {m["To"]: m for m in mail_server.messages}
    team_mail = body_of(by_to["ot-team@example.org"])
    assert "/staff/requests/" in team_mail
    for private in ("Morag", "01698", "Example Street", "morag@example.org"):
        assert private not in team_mail
    assert reference in body_of(by_to["morag@example.org"])


def test_nothing_is_lost_while_the_mail_server_is_down(client, app, content, mail_server):
    ask(client, content)
    mail_server.stop()
    with app.app_context():
        down = send_due()
        waiting = db.session.scalars(select(OutboxMessage)).all()
        assert {m.attempts for m in waiting} == {1}
        assert all(m.sent_at is None and m.last_error for m in waiting)
        assert send_due().sent == 0  # not due again until the backoff has passed
    assert down.failed == 2 and down.waiting == 2
    mail_server.start()
    with app.app_context():
        later = send_due(now=datetime.now(UTC) + timedelta(minutes=2))
    assert later.sent == 2 and later.waiting == 0
    assert len(mail_server.messages) == 2


def test_the_right_team_sees_the_request_and_acts_on_it(client, app, content):
    ask(client, content)
    referral = only_referral(app)
    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    queue = staff.get("/staff/requests/")
    assert referral.reference in queue.text
    page = staff.get(f"/staff/requests/{referral.id}")
    assert "Morag Example" in page.text and "01698 123456" in page.text
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "referral.contact_viewed")).all()
        assert len(viewed) == 1 and "Morag" not in str(viewed[0].details)

    url = f"/staff/requests/{referral.id}"
    version = page.soup.find("input", attrs={"name": "status-version"})["value"]
    staff.post(f"{url}/status", {"csrf_token": page.csrf_token, "status-version": version,
                                 "status-status": "accepted"})
    page = staff.get(url)
    version = page.soup.find("input", attrs={"name": "status-version"})["value"]
    closing = staff.post(f"{url}/status", {"csrf_token": page.csrf_token,
                                           "status-version": version,
                                           "status-status": "closed"}, expect=200)
    assert closing.error_summary() == ["Enter the outcome, or the reason for declining"]
    staff.post(f"{url}/status", {"csrf_token": page.csrf_token, "status-version": version,
                                 "status-status": "closed",
                                 "status-outcome": "Grab rails fitted"})
    done = only_referral(app)
    assert done.status == "closed" and opened(app, done)[1] == "Grab rails fitted"
    assert b"Grab rails" not in done.outcome  # staff free text is encrypted at rest
    assert "Grab rails fitted" in staff.get(url).text
    assert done.first_action_at is not None


def test_a_stale_form_does_not_overwrite_a_newer_change(client, app, content):
    ask(client, content)
    referral = only_referral(app)
    url = f"/staff/requests/{referral.id}"
    first, second = (CheckedClient(app.test_client()) for _ in range(2))
    for person in (first, second):
        sign_in(person, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    page_one, page_two = first.get(url), second.get(url)
    version = page_one.soup.find("input", attrs={"name": "status-version"})["value"]
    first.post(f"{url}/status", {"csrf_token": page_one.csrf_token, "status-version": version,
                                 "status-status": "declined", "status-outcome": "Duplicate"})
    stale = second.post(f"{url}/status", {"csrf_token": page_two.csrf_token,
                                          "status-version": version,
                                          "status-status": "accepted"}, expect=200)
    assert stale.error_summary()[0].startswith("Someone else changed this request")
    assert only_referral(app).status == "declined"


def test_another_teams_assessor_cannot_see_the_request(client, app, content):
    ask(client, content)
    referral = only_referral(app)
    other = CheckedClient(app.test_client())
    sign_in(other, app, make_staff(app, ["assessor"], team="carers-support"))
    assert referral.reference not in other.get("/staff/requests/").text
    other.get(f"/staff/requests/{referral.id}", expect=404)
    editor = CheckedClient(app.test_client())
    sign_in(editor, app, make_staff(app, ["editor"], team="occupational-therapy"))
    editor.get(f"/staff/requests/{referral.id}", expect=403)


def test_notes_are_encrypted_and_reassigning_moves_the_request(client, app, content):
    ask(client, content)
    referral = only_referral(app)
    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    url = f"/staff/requests/{referral.id}"
    page = staff.get(url)
    staff.post(f"{url}/notes", {"csrf_token": page.csrf_token, "note-note": "Phoned, no answer"})
    with app.app_context():
        note = db.session.scalars(select(ReferralNote)).one()
        assert b"Phoned" not in note.text and decrypt_json(note.text) == "Phoned, no answer"
    page = staff.get(url)
    assert "Phoned, no answer" in page.text
    version = page.soup.find("input", attrs={"name": "reassign-version"})["value"]
    staff.post(f"{url}/reassign", {"csrf_token": page.csrf_token, "reassign-version": version,
                                   "reassign-team": "social-work"})
    assert only_referral(app).team_id == "social-work"
    staff.get(url, expect=404)


def test_personal_data_of_old_closed_requests_is_purged(client, app, content):
    from mle.referrals.retention import purge_personal_data
    from mle.referrals.sealed import seal

    ask(client, content)
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        referral.status = "closed"
        referral.status_changed_at = datetime.now(UTC) - timedelta(days=181)
        referral.outcome = seal("Grab rails fitted")
        referral.notes.append(ReferralNote(text=b"x"))
        db.session.commit()
        assert purge_personal_data() == 1
        referral = db.session.scalars(select(Referral)).one()
        assert referral.contact is None and referral.purged_at is not None
        assert referral.summary is None and referral.outcome is None  # answers and outcome too
        assert db.session.scalars(select(ReferralNote)).all() == []
        # The anonymous facts stay: the rule the request came from, and the outcome record's
        # rule ids, which reports read.
        assert referral.rule_id == "bathroom-after-a-fall"
        record = db.session.scalars(select(OutcomeRecord)).one()
        assert "bathing:bathroom-after-a-fall" in record.rule_ids
        assert purge_personal_data() == 0
        referral_id = referral.id

    # The team can still open the request, which says what was deleted.
    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team="occupational-therapy"))
    page = staff.get(f"/staff/requests/{referral_id}")
    assert "The contact details have been deleted under the retention schedule" in page.text
    assert "The answers have been deleted under the retention schedule" in page.text
    assert "Grab rails" not in page.text and "Morag" not in page.text


def test_a_request_purged_before_its_answers_were_sealed_away_is_caught_up(client, app,
                                                                              content):
    """A request purged when only the contact details and notes were deleted loses its
    answers and outcome on the next run."""
    from mle.referrals.retention import purge_personal_data
    from mle.referrals.sealed import seal

    ask(client, content)
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        purged_at = datetime.now(UTC) - timedelta(days=10)
        referral.status, referral.contact, referral.purged_at = "declined", None, purged_at
        referral.status_changed_at = datetime.now(UTC) - timedelta(days=200)
        referral.outcome = seal("Moved away")
        db.session.commit()
        assert purge_personal_data() == 1
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.summary, referral.outcome) == (None, None)
        assert referral.purged_at.replace(tzinfo=None) == purged_at.replace(tzinfo=None)
        assert purge_personal_data() == 0


# Someone who cannot step over the side but can lift their legs and sit steadily, within the
# board's weight limit: a bath board that fits is suggested.
BOARD = {"bathing": {"wash_where": "bath", "can_step_over": "no", "can_lift_legs": "yes",
                     "sit_steady": "yes", "weight_kg": "70", "bath_inner_width_cm": "62"}}


def test_an_equipment_request_confirms_measurements_and_reaches_the_equipment_service(
        client, app, content):
    result = complete(client, content, ["bathing"], BOARD)
    link = result.soup.find("a", href="/result/bathing/equipment/bath-board")
    assert link is not None
    page = client.get("/result/bathing/equipment/bath-board")
    assert "62 cm" in page.text
    refused = client.submit("/result/bathing/equipment/bath-board", CONTACT, expect=200)
    assert refused.error_summary()[0].startswith("Tick the box to confirm the measurements")
    client.submit("/result/bathing/equipment/bath-board",
                  {**CONTACT, "address": "2 Example Road", "measurements_right": "y"})
    referral = only_referral(app)
    assert referral.kind == "equipment" and referral.team_id == "equipment-service"
    assert opened(app, referral)[0]["equipment"] == ["bath-board"]
    with app.app_context():
        record = db.session.scalars(select(OutcomeRecord)).one()
        assert record.equipment_requested == ["bath-board"]

    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team="equipment-service"))
    assert referral.reference in staff.get("/staff/requests/").text


def test_equipment_not_suggested_or_not_from_the_service_cannot_be_requested(client, content):
    complete(client, content, ["bathing"], BOARD)
    for item in ("bath-lift", "no-such-thing"):
        page = client.get(f"/result/bathing/equipment/{item}", expect=404)
        assert page.h1 == "Page not found"
