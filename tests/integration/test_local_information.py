"""The public local information section: topics, search by words and place, service pages.

Residents see only entries they can reach (a phone, an email, a web address or an address to
visit). The local seed entries the register had no match for have none yet, so tests that need
local services add fictional ones, with numbers from Ofcom's range kept for drama (01632 960xxx).
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from mle.database import db

ORG = "test-local-org"


def _fictional(service_id: str, name: str, coverage: str, needs: list[str], localities=(),
               phone: str | None = None):
    from mle.models import Attribute, Contact, Phone, Service, ServiceArea

    service = Service(id=service_id, name=name, organization_id=ORG, coverage=coverage,
                      description="A fictional entry for tests.", publication_status="published")
    service.service_areas = [ServiceArea(id=f"{service_id}-{x}", locality=x) for x in localities]
    service.attributes = [Attribute(id=f"{service_id}-{t}", link_entity="service",
                                    taxonomy_term_id=t) for t in needs]
    if phone:
        service.contacts = [Contact(id=f"{service_id}-contact", phones=[
            Phone(id=f"{service_id}-phone", number=phone)])]
    db.session.add(service)


@pytest.fixture
def fictional(app):
    """Two local advice centres residents can ring, and a published entry with no way to reach
    it at all."""
    from mle.models import Organization, Service

    with app.app_context():
        db.session.add(Organization(id=ORG, name="Test directory organisation"))
        _fictional("test-coatbridge-advice", "Test Coatbridge advice centre", "locality",
                   ["money-advice"], ["coatbridge"], "01632 960 011")
        _fictional("test-airdrie-advice", "Test Airdrie advice centre", "locality",
                   ["money-advice"], ["airdrie"], "01632 960 012")
        _fictional("test-silent", "Test silent carers group", "area", ["carer-support"])
        db.session.commit()
    yield
    with app.app_context():
        for service in db.session.scalars(select(Service).where(Service.organization_id == ORG)):
            db.session.delete(service)
        db.session.flush()
        db.session.delete(db.session.get(Organization, ORG))
        db.session.commit()


def test_topics_list_only_needs_with_services(client):
    page = client.get("/local-information/")
    assert page.h1 == "Local information"
    assert page.soup.find("a", href="/local-information/topic/money-advice")
    assert page.soup.find("a", href="/local-information/topic/advocacy")


def test_a_topic_shows_local_services_first_for_the_place_given(client, fictional):
    page = client.get("/local-information/topic/money-advice?where=ML5+2QT")
    names = [h.get_text(strip=True) for h in page.soup.select(".mle-card h2")]
    assert names[0] == "Test Coatbridge advice centre"
    assert "Test Airdrie advice centre" not in names
    assert "Citizens Advice Scotland" in names
    # The seed's bureaux have no contact details yet: not shown, the national service is.
    assert "Coatbridge Citizens Advice Bureau" not in names


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


def test_search_by_words_and_locality(client, fictional):
    page = client.get("/local-information/search?q=advice+centre&where=coatbridge")
    names = [h.get_text(strip=True) for h in page.soup.select(".mle-card h2")]
    assert "Test Coatbridge advice centre" in names
    assert "Test Airdrie advice centre" not in names
    page = client.get("/local-information/search?q=citizens+advice&where=wishaw")
    names = [h.get_text(strip=True) for h in page.soup.select(".mle-card h2")]
    assert names == ["Citizens Advice Scotland"]  # the bureaux cannot be reached yet
    assert client.get("/local-information/search?q=zzzzqqq").soup.find(
        "h2", string="0 results")
    assert "Enter a word to search for" in client.get("/local-information/search?q=").text


def test_a_service_page_says_what_who_where_and_how_to_contact(client):
    page = client.get("/local-information/service/carers-uk-helpline")
    assert page.h1 == "Carers UK Helpline"
    assert "0808 808 7777" in page.text and "Who it is for" in page.text
    assert "Not yet checked by an editor" in page.text
    # A local entry completed from the Care Inspectorate register, with its number.
    local = client.get("/local-information/service/nl-community-alarm")
    assert local.soup.find("a", href="tel:01236622400").get_text(strip=True) == "01236 622400"
    assert "We are checking the contact details" not in local.text
    assert "Hidden from residents" not in local.text
    # One with no way to reach it is not there for residents at all.
    assert client.get("/local-information/service/lanarkshire-carers", expect=404)


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

    client.get("/local-information/service/lanarkshire-carers/report", expect=404)
    url = "/local-information/service/nl-community-alarm/report"
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
    assert "Community alarm and telecare" in queue.text
    assert "The phone number has changed" in queue.text
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


def _names(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.soup.select(
        ".mle-card h2, .mle-card h4, .mle-card h5")]


def test_an_entry_residents_cannot_reach_is_hidden_until_an_editor_adds_a_phone(
        client, app, content, fictional):
    from mle.directory import workflow
    from mle.directory.entry_values import read_entry
    from mle.models import Service
    from tests.journeys import complete
    from tests.pages import CheckedClient
    from tests.staff import make_staff, sign_in

    name = "Test silent carers group"
    adult_carer = {"carer": {"carer_age": "age_18_plus", "has_support_plan": "no"}}

    def shown_to_residents() -> dict[str, bool]:
        topic = client.get("/local-information/topic/carer-support?where=ML5+2QT")
        search = client.get("/local-information/search?q=silent+carers")
        page = client.client.get("/local-information/service/test-silent")
        report = client.client.get("/local-information/service/test-silent/report")
        result = complete(client, content, ["carer"], adult_carer, answering_for="self",
                          age_band="50_64")
        return {"topic": name in _names(topic), "search": name in _names(search),
                "page": page.status_code == 200, "report": report.status_code == 200,
                "result": name in _names(result)}

    assert shown_to_residents() == dict.fromkeys(
        ("topic", "search", "page", "report", "result"), False)
    result = complete(client, content, ["carer"], adult_carer, answering_for="self",
                          age_band="50_64")
    assert "Carers UK Helpline" in _names(result)  # the national services are still there
    assert "We are checking the contact details" not in result.text

    # Editors see it, marked hidden and why, and can list only such entries.
    editor_id = make_staff(app, ["editor"])
    editor = CheckedClient(app.test_client())
    sign_in(editor, app, editor_id)
    hidden = editor.get("/staff/directory/?review=hidden")
    listed = [a.get_text(strip=True) for a in hidden.soup.select("table a")]
    assert name in listed and "Lanarkshire Carers" in listed
    assert "Carers UK Helpline" not in listed and "Community alarm and telecare" not in listed
    assert "Hidden from residents" in hidden.text
    assert "Hidden from residents: no phone, email, web address or address" in editor.get(
        "/staff/directory/test-silent").text
    assert "Hidden from residents: no phone, email, web address or address" in editor.get(
        "/staff/directory/test-silent/preview").text

    with app.app_context():
        service = db.session.get(Service, "test-silent")
        values = dataclasses.replace(read_entry(service), phones=(("01632 960 013", ""),))
        workflow.update_entry(service, values, editor_id)

    assert shown_to_residents() == dict.fromkeys(
        ("topic", "search", "page", "report", "result"), True)
    result = complete(client, content, ["carer"], adult_carer, answering_for="self",
                          age_band="50_64")
    card = next(c for c in result.soup.select(".mle-card") if name in c.get_text())
    assert card.find("a", href="tel:01632960013")
    listed = [a.get_text(strip=True) for a in editor.get(
        "/staff/directory/?review=hidden").soup.select("table a")]
    assert name not in listed
