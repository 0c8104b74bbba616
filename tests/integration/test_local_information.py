"""The public local information section: topics, search by words and place, service pages."""

from __future__ import annotations

import pytest


def test_topics_list_only_needs_with_services(client):
    page = client.get("/local-information/")
    assert page.h1 == "Local information"
    assert page.soup.find("a", href="/local-information/topic/money-advice")
    assert page.soup.find("a", href="/local-information/topic/advocacy")


def test_a_topic_shows_local_services_first_for_the_place_given(client):
    page = client.get("/local-information/topic/money-advice?where=ML5+2QT")
    names = [h.get_text(strip=True) for h in page.soup.select(".mle-card h2")]
    assert names[0] == "Coatbridge Citizens Advice Bureau"
    assert "Airdrie Citizens Advice Bureau" not in names
    assert "Citizens Advice Scotland" in names


def test_a_postcode_outside_the_area_gets_national_services_only(client):
    page = client.get("/local-information/topic/money-advice?where=EH1+1YZ")
    assert "outside North Lanarkshire" in page.text
    cards = page.text
    assert "Coatbridge Citizens Advice Bureau" not in cards
    assert "Citizens Advice Scotland" in cards


@pytest.mark.parametrize("where", ["not a postcode", "x" * 50, "<script>"])
def test_a_bad_place_is_explained(client, where):
    page = client.get("/local-information/topic/money-advice", query_string={"where": where})
    assert "Enter a postcode, like ML1 1AB" in page.text


def test_search_by_words_and_locality(client):
    page = client.get("/local-information/search?q=citizens+advice&where=wishaw")
    names = [h.get_text(strip=True) for h in page.soup.select(".mle-card h2")]
    assert "Motherwell and Wishaw Citizens Advice Bureau" in names
    assert "Airdrie Citizens Advice Bureau" not in names
    assert client.get("/local-information/search?q=zzzzqqq").soup.find(
        "h2", string="0 results")
    assert "Enter a word to search for" in client.get("/local-information/search?q=").text


def test_a_service_page_says_what_who_where_and_how_to_contact(client):
    page = client.get("/local-information/service/carers-uk-helpline")
    assert page.h1 == "Carers UK Helpline"
    assert "0808 808 7777" in page.text and "Who it is for" in page.text
    assert "Not yet checked by an editor" in page.text
    local = client.get("/local-information/service/lanarkshire-carers")
    assert "Unpaid carers only" in local.text
    assert "We are checking the contact details" in local.text


def test_unknown_topics_and_services_are_friendly_404s(client):
    assert client.get("/local-information/topic/astrology", expect=404).h1 == "Page not found"
    assert client.get("/local-information/service/no-such-service",
                      expect=404).h1 == "Page not found"


def test_a_reported_problem_reaches_the_editors_queue(client, app):
    from sqlalchemy import select

    from mle.database import db
    from mle.models import AuditEvent, ProblemReport
    from tests.pages import CheckedClient
    from tests.staff import make_staff, sign_in

    url = "/local-information/service/lanarkshire-carers/report"
    page = client.submit(url, {}, expect=200)
    assert page.error_summary() == ["Select what is wrong with this entry"]
    page = client.submit(url, {"kind": "wrong_details", "details": "x" * 501}, expect=200)
    assert page.error_summary() == ["Tell us in 500 characters or fewer"]
    done = client.submit(url, {"kind": "wrong_details",
                               "details": "The phone number has changed"}, expect=200)
    assert done.h1 == "Thank you for telling us"
    with app.app_context():
        stored = db.session.scalars(select(ProblemReport)).one()
        assert b"phone number" not in stored.details

    editor = CheckedClient(app.test_client())
    sign_in(editor, app, make_staff(app, ["editor"]))
    queue = editor.get("/staff/directory/problems")
    assert "Lanarkshire Carers" in queue.text and "The phone number has changed" in queue.text
    editor.post(f"/staff/directory/problems/{stored.id}/resolve",
                {"csrf_token": queue.csrf_token})
    assert "There are no open problem reports" in editor.get("/staff/directory/problems").text
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "problem_report.resolved")).one()


def test_views_of_topics_and_services_are_counted_anonymously(client, app):
    from sqlalchemy import select

    from mle.database import db
    from mle.models import DirectoryView

    for _ in range(3):
        client.get("/local-information/service/samaritans")
    client.get("/local-information/topic/money-advice")
    with app.app_context():
        views = {(v.kind, v.key): v.views for v in db.session.scalars(select(DirectoryView))}
    assert views == {("service", "samaritans"): 3, ("topic", "money-advice"): 1}


def test_a_service_page_shows_opening_hours_and_when_it_was_last_checked(client, app):
    from datetime import date

    from mle.database import db
    from mle.models import Schedule, Service

    page = client.get("/local-information/service/alzheimer-scotland-helpline")
    assert page.soup.find("dt", string=lambda s: s and "Opening hours" in s)
    assert "24 hours a day" in page.text
    with app.app_context():
        service = db.session.get(Service, "alzheimer-scotland-helpline")
        service.last_reviewed = date(2026, 10, 5)
        service.schedules.append(Schedule(id="test-hours", byday="MO,FR",
                                          opens_at="09:00:00", closes_at="17:00:00"))
        db.session.commit()
    try:
        page = client.get("/local-information/service/alzheimer-scotland-helpline")
        assert "Monday, Friday: 09:00 to 17:00" in page.text
        assert "5 October 2026" in page.text
    finally:
        with app.app_context():
            service = db.session.get(Service, "alzheimer-scotland-helpline")
            service.last_reviewed = None
            service.schedules = [s for s in service.schedules if s.id != "test-hours"]
            db.session.commit()


def test_a_topic_for_a_postcode_gives_the_distance_to_services_with_a_location(client, app):
    from mle.database import db
    from mle.models import Location, Postcode, Service, ServiceAtLocation

    with app.app_context():
        centre = db.session.get(Postcode, "ML5 2QT")
        service = db.session.get(Service, "citizens-advice-scotland")
        # A test location 0.1 degrees of latitude (about 11 km) north of the postcode.
        service.service_at_locations.append(ServiceAtLocation(id="test-sal", location=Location(
            id="test-location", latitude=centre.latitude + 0.1, longitude=centre.longitude)))
        db.session.commit()
    try:
        page = client.get("/local-information/topic/money-advice?where=ML5+2QT")
        card = next(c for c in page.soup.select(".mle-card")
                    if "Citizens Advice Scotland" in c.get_text())
        assert "11.1 km away" in card.get_text()
        assert "km away" not in client.get("/local-information/topic/money-advice").text
    finally:
        with app.app_context():
            service = db.session.get(Service, "citizens-advice-scotland")
            service.service_at_locations = []
            db.session.delete(db.session.get(Location, "test-location"))
            db.session.commit()


def test_a_service_page_shows_its_address_access_and_languages(client, app):
    from mle.database import db
    from mle.models import Accessibility, Address, Language, Location, Service, ServiceAtLocation

    with app.app_context():
        service = db.session.get(Service, "samaritans")
        place = Location(id="test-place", name="Test hall", addresses=[Address(
            id="test-address", address_1="1 Test Street", city="Testtown",
            state_province="Test", postal_code="ML1 1AA")], accessibility=[Accessibility(
                id="test-access", description="Step-free entrance")])
        service.service_at_locations.append(ServiceAtLocation(id="test-sal2", location=place))
        service.languages.append(Language(id="test-lang", name="Polish", code="pl"))
        db.session.commit()
    try:
        text = client.get("/local-information/service/samaritans").text
        assert "Test hall, 1 Test Street, Testtown, ML1 1AA" in text
        assert "Step-free entrance" in text and "Polish" in text
    finally:
        with app.app_context():
            service = db.session.get(Service, "samaritans")
            service.service_at_locations, service.languages = [], []
            db.session.delete(db.session.get(Location, "test-place"))
            db.session.commit()
