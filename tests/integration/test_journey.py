"""The resident journey through the test client, with CSRF on and every page checked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mle.assessment.state import AssessmentState
from mle.database import db
from mle.models import Assessment, OutcomeRecord
from mle.rules import evaluate_module
from mle.security.encryption import decrypt_json
from tests.journeys import answer_questions, begin, complete, default_answer


@pytest.fixture
def app_ctx(app):
    """For checks on the database: a context of the test's own. Requests never run inside it,
    so each request gets a fresh context and session, as in production."""
    return app.app_context


def only_assessment(app) -> tuple[Assessment, AssessmentState]:
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        return assessment, AssessmentState.from_json(decrypt_json(assessment.state))


def change_assessment(app, **values) -> None:
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        for name, value in values.items():
            setattr(assessment, name, value)
        db.session.commit()


def test_start_page_says_what_this_is_how_long_and_links_privacy(client):
    page = client.get("/")
    assert page.h1 == "Find help with everyday life"
    assert "about 10 minutes" in page.text
    assert page.soup.find("a", href="/privacy")
    assert client.get("/privacy").h1 == "How we use your information"
    assert page.soup.find("a", href="/accessibility")
    statement = client.get("/accessibility")
    assert "Enforcement procedure" in statement.text and "WCAG" in statement.text


def test_every_module_can_be_completed_to_a_result(client, content):
    result = complete(client, content, list(content.modules))
    for module in content.modules.values():
        assert module.title in result.text


def test_result_shows_the_advice_and_reasons_the_rules_give(client, content, app):
    module = content.module("bathing")
    result = complete(client, content, ["bathing"])
    _, state = only_assessment(app)
    expected = evaluate_module(module.rules, state.answers["bathing"], state.about.for_rules())
    for advice_id in expected.advice:
        assert module.advice[advice_id].title in result.text
    told = told_us(result, "bathing")
    general = {o.id for o in module.rules.outcomes if o.when.holds_for_everyone_who_answered}
    assert general & set(expected.fired_ids), "the default answers fire a rule for everyone"
    for fired in expected.fired:
        # What they told us, never what we say to everyone who answers.
        assert (fired.because in told) == (fired.id not in general), fired.id


def told_us(result, module_id: str) -> list[str]:
    """The "What you told us" list of one topic on the result page."""
    section = result.soup.find("section", attrs={"aria-labelledby": f"section-{module_id}"})
    heading = section.find("h4", string=lambda s: s and s.startswith("What you told us"))
    if heading is None:
        return []
    return [" ".join(li.get_text().split()) for li in heading.find_next("ul").find_all("li")]


def test_completion_writes_one_anonymous_outcome_record(client, content, app):
    complete(client, content, ["bathing", "memory"], postcode="ML5 2QT", age_band="75_84")
    with app.app_context():
        records = db.session.scalars(select(OutcomeRecord)).all()
        assert len(records) == 1
        record = records[0]
        assert record.locality == "coatbridge" and record.age_band == "75_84"
        assert record.channel == "self" and len(record.period) == 7
        assert {m.module for m in record.modules} == {"bathing", "memory"}
        assert all(r.split(":")[0] in ("bathing", "memory") for r in record.rule_ids)
        row = " ".join(str(getattr(record, c.key)) for c in OutcomeRecord.__table__.columns)
    assert "ML5" not in row and "2QT" not in row


def test_writing_the_outcome_twice_keeps_one_record(client, content, app):
    from mle.assessment.results import evaluate
    from mle.reporting.outcomes import record_outcome

    complete(client, content, ["memory"])
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        state = AssessmentState.from_json(decrypt_json(assessment.state))
        again = record_outcome(assessment, state, evaluate(content, state), [], content.version)
        assert db.session.scalar(select(func.count()).select_from(OutcomeRecord)) == 1
        assert again.id == db.session.scalars(select(OutcomeRecord)).one().id


def test_answers_are_encrypted_at_rest(client, content, app):
    begin(client, postcode="ML5 2QT")
    client.submit("/topics", {"topics": ["bathing"]})
    with app.app_context():
        raw = bytes(db.session.scalars(select(Assessment)).one().state)
        assert b"bathing" not in raw and b"65_74" not in raw and b"coatbridge" not in raw
        assert decrypt_json(raw)["modules"] == ["bathing"]


def test_the_postcode_itself_is_never_stored(client, app):
    begin(client, postcode="ml5 2qt")
    _, state = only_assessment(app)
    assert state.about.postcode_district == "ML5"
    assert state.about.locality == "coatbridge"
    assert "2QT" not in str(state.to_json())


@pytest.mark.parametrize(("postcode", "message"), [
    ("not a postcode", "Enter a real postcode, like ML1 1AB"),
    ("ML1", "Enter a real postcode, like ML1 1AB"),
    ("SW1A 1AA", "Enter a postcode in Scotland"),
    ("x" * 40, "Enter a real postcode, like ML1 1AB"),
])
def test_bad_postcodes_are_explained_and_nothing_is_saved(client, postcode, message, app):
    start = client.get("/")
    client.post("/start", {"csrf_token": start.csrf_token})
    page = client.submit("/about-you", {"answering_for": "self", "age_band": "65_74",
                                        "postcode": postcode}, expect=200)
    assert any(message in e for e in page.error_summary())
    assert page.soup.title.get_text().startswith("Error:")
    _, state = only_assessment(app)
    assert state.about.age_band is None


def test_a_postcode_elsewhere_in_scotland_is_accepted_and_marked_outside(client, content, app):
    begin(client, postcode="EH1 1YZ")
    _, state = only_assessment(app)
    assert state.about.in_area is False and state.about.locality is None
    client.submit("/topics", {"topics": ["memory"]})
    answer_questions(client, content)
    check = client.get("/check-answers")
    assert "outside North Lanarkshire" in check.text
    client.submit("/check-answers")
    result = client.get("/result")
    assert "we show only services across Scotland" in result.text
    coverage = [p.get_text() for p in result.soup.select(".mle-card .govuk-body-s")]
    assert coverage and all("Available across Scotland or the UK" in c for c in coverage
                            if "Covers" in c or "Available" in c)


def test_an_unknown_postcode_in_a_known_sector_is_placed_approximately(client, app):
    begin(client, postcode="ML5 2ZZ")  # not in the file; ML5 2 is
    _, state = only_assessment(app)
    assert state.about.in_area is True and state.about.approximate is True
    assert state.about.locality in app.extensions["mle_site"].area.localities


def test_about_you_needs_both_answers(client):
    start = client.get("/")
    client.post("/start", {"csrf_token": start.csrf_token})
    page = client.submit("/about-you", {}, expect=200)
    assert page.error_summary() == ["Select who you are answering for", "Select an age group"]


def test_topics_must_be_chosen_and_unknown_topics_are_refused(client, app):
    begin(client)
    page = client.submit("/topics", {}, expect=200)
    assert page.error_summary() == ["Select at least one topic"]
    page = client.submit("/topics", {"topics": ["astrology"]}, expect=200)
    assert page.error_summary()
    _, state = only_assessment(app)
    assert state.modules == []


def first_question_url(client) -> str:
    return client.get("/check-answers", expect=302).location


def number_question_url(client, content) -> tuple[str, object]:
    """Answer bathing until its first number question, and return that page's URL."""
    begin(client)
    client.submit("/topics", {"topics": ["bathing"]})
    location = first_question_url(client)
    module = content.module("bathing")
    for _ in range(20):
        question = module.question(location.split("/")[-1])
        if question.type == "number":
            return location, question
        value = {"wash_where": "bath"}.get(question.id, default_answer(question))
        if question.type == "yes_no":
            value = "no"
        location = client.submit(location, {"answer": value}).location
    raise AssertionError("no number question reached")


@pytest.mark.parametrize(("typed", "message"), [
    ("wide", "Enter a number, like"),
    ("12.5.3", "Enter a number, like"),
    ("1e400", "Enter a number"),
    ("NaN", "Enter a number"),
    ("9999", "Enter a number from"),
    ("-3", "Enter a number from"),
    ("60.5", "Enter a whole number"),
])
def test_bad_measurements_are_explained_and_not_saved(client, content, typed, message, app):
    url, question = number_question_url(client, content)
    page = client.submit(url, {"answer": typed}, expect=200)
    assert any(e.startswith(message) for e in page.error_summary()), page.error_summary()
    assert page.soup.find("input", attrs={"name": "answer"})["value"] == typed
    _, state = only_assessment(app)
    assert state.answer("bathing", question.id) is None


def test_a_measurement_page_shows_guidance_and_a_diagram(client, content):
    url, question = number_question_url(client, content)
    page = client.get(url)
    assert question.measurement.guidance in page.text
    image = page.soup.find("img", class_="mle-diagram")
    assert image["src"].endswith(f"/diagrams/{question.measurement.diagram}.svg")
    assert image["alt"]
    assert client.client.get(image["src"]).status_code == 200


def test_a_missing_answer_is_explained(client, content):
    begin(client)
    client.submit("/topics", {"topics": ["bathing"]})
    page = client.submit(first_question_url(client), {}, expect=200)
    assert page.error_summary() == ["Select an answer"]


def test_none_of_these_cannot_be_ticked_with_another_option(client, content):
    module = content.module("bathing")
    question = next(q for q in module.questions if q.none_option)
    begin(client)
    client.submit("/topics", {"topics": ["bathing"]})
    location = first_question_url(client)
    while not location.endswith(question.id):
        q = module.question(location.split("/")[-1])
        location = client.submit(location, {"answer": default_answer(q)}).location
    page = client.submit(location, {"answer": [question.options[0].value,
                                               question.none_option.value]}, expect=200)
    assert page.error_summary()[0].startswith("Select the options that apply, or select")


def test_unknown_module_or_question_is_a_friendly_404(client):
    begin(client)
    client.submit("/topics", {"topics": ["bathing"]})
    assert client.get("/questions/astrology/star_sign", expect=404).h1 == "Page not found"
    assert client.get("/questions/bathing/star_sign", expect=404).h1 == "Page not found"
    assert client.get("/no-such-page", expect=404).h1 == "Page not found"


def test_a_question_not_on_this_persons_route_redirects_onward(client, content):
    begin(client)
    client.submit("/topics", {"topics": ["memory"]})
    response = client.get("/questions/bathing/wash_where", expect=302)
    assert "/questions/memory/" in response.location


def test_changing_an_answer_returns_to_check_your_answers(client, content):
    begin(client)
    client.submit("/topics", {"topics": ["memory"]})
    answer_questions(client, content)
    check = client.get("/check-answers")
    change = check.soup.select_one("a[href*='/questions/memory/'][href*='change=1']")
    response = client.submit(change["href"], {"answer": default_answer(
        content.module("memory").question(change["href"].split("/")[-1].split("?")[0]))})
    assert response.location.endswith("/check-answers")


def test_without_a_session_the_journey_explains_it_has_ended(client):
    response = client.get("/about-you", expect=302)
    assert response.location.endswith("/session-ended")
    page = client.get("/session-ended")
    assert page.h1 == "Your session has ended"


def test_a_tampered_session_cookie_is_treated_as_no_session(client, app):
    begin(client)
    cookie = client.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    client.client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value[:-4] + "AAAA")
    assert client.get("/topics", expect=302).location.endswith("/session-ended")


def test_an_expired_assessment_is_treated_as_no_session(client, app):
    from datetime import UTC, datetime, timedelta

    begin(client)
    change_assessment(app, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert client.get("/topics", expect=302).location.endswith("/session-ended")


def test_a_form_without_its_csrf_token_gets_a_friendly_page(client, app):
    begin(client)
    page = client.post("/topics", {"topics": ["bathing"]}, expect=400)
    assert page.h1 == "Your session has ended"
    _, state = only_assessment(app)
    assert state.modules == []


def test_save_and_resume_with_a_code(client, app, content):
    begin(client)
    client.submit("/topics", {"topics": ["memory"]})
    saved = client.submit("/save", expect=200)
    code = saved.soup.find(id="resume-code").get_text().strip()
    assessment, _ = only_assessment(app)
    assert code.replace("-", "") not in str(assessment.resume_code_hash)

    other = type(client)(app.test_client())
    response = other.submit("/resume", {"code": code.lower().replace("-", " ")})
    assert "/questions/memory/" in other.client.get(response.location).location
    # The first browser's session still works too; the second now carries on.
    answer_questions(other, content)
    assert other.client.get("/check-answers").status_code == 200


def test_a_new_code_replaces_the_old_one(client):
    begin(client)
    first = client.submit("/save", expect=200).soup.find(id="resume-code").get_text().strip()
    client.submit("/save", expect=200)
    page = client.submit("/resume", {"code": first}, expect=200)
    assert page.error_summary() == [
        "That code is not right or has expired. Check it, or start again."]


@pytest.mark.parametrize("code", ["WRONG-CODE1", "", "A" * 39, "ABCDE-FGHJK", "<b>x</b>"])
def test_wrong_codes_are_refused_clearly(client, code):
    page = client.submit("/resume", {"code": code}, expect=200)
    assert page.error_summary()


def test_an_expired_code_is_refused(client, app):
    from datetime import UTC, datetime, timedelta

    begin(client)
    code = client.submit("/save", expect=200).soup.find(id="resume-code").get_text().strip()
    change_assessment(app, resume_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    page = client.submit("/resume", {"code": code}, expect=200)
    assert "has expired" in page.error_summary()[0]


def test_resume_attempts_are_rate_limited(client):
    page = client.get("/resume")
    statuses = [client.client.post("/resume", data={"csrf_token": page.csrf_token,
                                                    "code": "ABCDE-FGHJK"}).status_code
                for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429


def test_completed_assessments_go_to_their_result_not_back_to_questions(client, content):
    complete(client, content, ["memory"])
    assert client.get("/topics", expect=302).location.endswith("/result")
    assert client.get("/check-answers", expect=302).location.endswith("/result")


def test_outcome_count_matches_completions(client, app, content):
    for _ in range(3):
        complete(type(client)(app.test_client()), content, ["memory"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutcomeRecord)) == 3


def test_urgent_help_is_at_the_top_of_the_very_next_page(client, content):
    module = content.module("carer")
    flag = module.rules.urgent[0]
    begin(client, answering_for="someone_else", age_band="50_64")
    client.submit("/topics", {"topics": ["carer"]})
    location = client.get("/check-answers", expect=302).location
    assert location.endswith("/questions/carer/carer_age")
    location = client.submit(location, {"answer": "age_18_plus"}).location
    assert location.endswith("/questions/carer/hours")
    location = client.submit(location, {"answer": "hours_50_plus"}).location
    page = client.get(location)
    assert page.soup.find(id="urgent-heading") is None
    location = client.submit(location, {"answer": "breaking_point"}).location
    page = client.get(location)
    urgent = page.soup.find("section", class_="mle-urgent")
    assert urgent is not None, "no urgent help on the page after the urgent answer"
    assert " ".join(flag.message.split()) in " ".join(urgent.get_text().split())
    first_heading = page.soup.find(["h1", "h2"])
    assert first_heading.get_text(strip=True) == "Get help now"


def test_feedback_on_the_result_is_kept_in_the_outcome_record(client, app, content):
    complete(client, content, ["memory"])
    page = client.submit("/result", {"next_steps": ["try_advice"]}, expect=200)
    assert page.error_summary() == ["Select whether this was helpful"]
    client.submit("/result", {"helpful": "partly", "next_steps": ["try_advice",
                                                                  "contact_service"]})
    assert "Thank you for your feedback" in client.get("/result").text
    with app.app_context():
        record = db.session.scalars(select(OutcomeRecord)).one()
        assert record.feedback_helpful == "partly"
        assert record.feedback_next == ["try_advice", "contact_service"]
