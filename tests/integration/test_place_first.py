"""The postcode is checked where it is asked: a place outside the area, or one found only by
approximation, is said on the about-you page, before any question, and can be corrected."""

from __future__ import annotations

from tests.integration.test_journey import only_assessment
from tests.journeys import begin

ABOUT = {"answering_for": "someone_else", "age_band": "85_plus"}


def _started(client):
    start = client.get("/")
    client.post("/start", {"csrf_token": start.csrf_token})


def _about(client, expect: int, **fields):
    page = client.get("/about-you")
    return client.post("/about-you", {"csrf_token": page.csrf_token, **ABOUT, **fields},
                       expect=expect)


def test_a_postcode_outside_the_area_is_told_on_the_page_with_what_is_still_offered(client, app):
    _started(client)
    page = _about(client, 200, postcode="eh1 1yz")
    notice = page.soup.find(id="place-notice")
    assert notice is not None
    text = " ".join(notice.get_text(" ").split())
    assert "EH1 1YZ is outside North Lanarkshire" in text
    assert "services available across Scotland" in text
    assert "We cannot send requests to local teams here" in text
    # Nothing the person chose is lost: both answers stay chosen, the postcode stays typed.
    assert page.soup.find("input", {"name": "answering_for", "value": "someone_else"}).has_attr(
        "checked")
    assert page.soup.find("input", {"name": "age_band", "value": "85_plus"}).has_attr("checked")
    assert page.soup.find("input", {"name": "postcode"})["value"] == "eh1 1yz"
    # Continue again with the same postcode: accepted, and kept as outside the area.
    response = _about(client, 302, postcode="EH1 1YZ", placed="EH1 1YZ")
    assert response.location.endswith("/topics")
    _, state = only_assessment(app)
    assert state.about.in_area is False and state.about.answering_for == "someone_else"


def test_an_approximate_place_is_said_and_can_be_corrected(client, app):
    _started(client)
    page = _about(client, 200, postcode="ML5 2ZZ")  # not in the file; ML5 2 is
    _, state = only_assessment(app)
    locality = app.extensions["mle_site"].area.localities[state.about.locality].name
    assert f"We placed ML5 2ZZ in {locality}." in page.soup.find(id="place-notice").get_text()
    # Corrected to a postcode the file knows: no question about it, straight on.
    response = _about(client, 302, postcode="ML5 2QT", placed="ML5 2ZZ")
    assert response.location.endswith("/topics")
    _, state = only_assessment(app)
    assert state.about.in_area is True and state.about.approximate is False


def test_a_postcode_not_found_and_then_emptied_is_forgotten(client, app):
    _started(client)
    _about(client, 200, postcode="KA1 1AA")
    _about(client, 302, postcode="", placed="KA1 1AA")
    _, state = only_assessment(app)
    assert state.about.postcode_district is None and state.about.in_area is None


def test_a_postcode_placed_exactly_goes_straight_on(client):
    _started(client)
    assert _about(client, 302, postcode="ML5 2QT").location.endswith("/topics")


def test_requests_to_local_teams_are_refused_outside_the_area(client, content, app):
    from tests.journeys import answer_questions

    begin(client, postcode="EH1 1YZ")
    client.submit("/topics", {"topics": ["falls"]})
    answer_questions(client, content)
    client.submit("/check-answers")
    team = next(iter(app.extensions["mle_site"].area.teams))
    client.get(f"/result/falls/ask/{team}", expect=404)
    assert "/ask/" not in str(client.get("/result").soup.find(id="main-content"))


def test_a_language_change_mid_journey_keeps_the_answers(client, app):
    _started(client)
    _about(client, 302, postcode="ML5 2QT")
    page = client.get("/about-you?lang=pl")
    assert page.soup.find("input", {"name": "age_band", "value": "85_plus"}).has_attr("checked")
    page = client.get("/about-you?lang=en")
    assert page.soup.find("input", {"name": "answering_for",
                                    "value": "someone_else"}).has_attr("checked")
    _, state = only_assessment(app)
    assert state.about.locality is not None


def test_a_postcode_that_cannot_exist_is_an_error_to_correct_not_a_place_elsewhere(client, app):
    # The ML postcode area runs from ML1 to ML12: ML13 is a typing mistake, not another council.
    _started(client)
    page = _about(client, 200, postcode="ML13 1AA")
    assert page.soup.find(id="place-notice") is None
    error = " ".join(page.soup.find(class_="govuk-error-message").get_text(" ").split())
    assert "There is no postcode ML13 1AA" in error
    assert page.soup.find(class_="govuk-error-summary") is not None
    _, state = only_assessment(app)
    assert state.about.answering_for is None and state.about.in_area is None  # nothing kept
    # Corrected: on it goes, and the answers given on the page are kept.
    assert _about(client, 302, postcode="ML5 2QT").location.endswith("/topics")
    _, state = only_assessment(app)
    assert state.about.answering_for == "someone_else" and state.about.in_area is True


def test_a_real_postcode_next_door_is_outside_the_area_not_a_mistake(client):
    # ML11 (Lanark) and ML12 (Biggar) are real districts in South Lanarkshire.
    _started(client)
    page = _about(client, 200, postcode="ML11 7AA")
    text = " ".join(page.soup.find(id="place-notice").get_text(" ").split())
    assert "ML11 7AA is outside North Lanarkshire" in text
    assert page.soup.find(class_="govuk-error-message") is None
