"""The Open Referral UK 3.0 read API: responses valid against the ORUK schemas, published
services only, postcode and proximity ordered by distance, JSON 4xx for bad parameters."""

from __future__ import annotations

import math
import uuid

import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator
from sqlalchemy import select

from mle.database import db
from mle.models import Location, Postcode, Service, ServiceAtLocation, TaxonomyTerm
from mle.oruk.ids import oruk_id
from mle.oruk.schemas import errors, load_schema

PAGE = load_schema("openapi")["components"]["schemas"]["Page"]


def assert_page(body: dict, item_schema: str) -> list[dict]:
    assert list(Draft202012Validator(PAGE).iter_errors(body)) == []
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert errors(item_schema, item) == [], item.get("id")
    return body["contents"]


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def locations(app):
    """Two published services at locations 1 km and 3 km north of a real postcode in the area,
    and a draft service at the postcode itself (which must never be shown)."""
    with app.app_context():
        postcode = db.session.scalar(select(Postcode).where(Postcode.locality == "wishaw")
                                     .order_by(Postcode.postcode).limit(1))
        rows = []
        for service_id, km in (("citizens-advice-scotland", 3.0), ("breathing-space", 1.0),
                               ("carers-uk-helpline", 0.0)):
            location = Location(id=str(uuid.uuid4()), location_type="physical",
                                name=f"Test location {km} km north",
                                latitude=postcode.latitude + km / 110.574,
                                longitude=postcode.longitude)
            rows.append(ServiceAtLocation(id=str(uuid.uuid4()), service_id=service_id,
                                          location=location))
        db.session.add_all(rows)
        draft = db.session.get(Service, "carers-uk-helpline")
        draft.publication_status = "draft"
        db.session.commit()
        ids = [(r.id, r.location_id) for r in rows]
        yield postcode.postcode, ids
        for sal_id, location_id in ids:
            db.session.delete(db.session.get(ServiceAtLocation, sal_id))
            db.session.delete(db.session.get(Location, location_id))
        db.session.get(Service, "carers-uk-helpline").publication_status = "published"
        db.session.commit()


def test_services_are_paged_and_valid_against_the_schema(app, api):
    with app.app_context():
        published = db.session.query(Service).filter_by(
            publication_status="published", status="active").count()
    first = api.get("/api/oruk/services?per_page=5").json
    items = assert_page(first, "service")
    assert first["total_items"] == published
    assert first["total_pages"] == math.ceil(published / 5)
    assert first["first_page"] and not first["last_page"] and len(items) == 5
    last = api.get(f"/api/oruk/services?per_page=5&page={first['total_pages']}").json
    assert last["last_page"] and not last["first_page"]
    beyond = api.get(f"/api/oruk/services?per_page=5&page={first['total_pages'] + 1}").json
    assert beyond["empty"] and beyond["contents"] == []


def test_services_filter_by_words_term_and_age(app, api):
    found = api.get("/api/oruk/services?search=dementia+helpline").json["contents"]
    assert [s["name"] for s in found] == ["Freephone Dementia Helpline"]
    term = oruk_id("taxonomy_term", "carer-support")
    carers = assert_page(api.get(f"/api/oruk/services?taxonomy_term_id={term}&per_page=200")
                         .json, "service")
    with app.app_context():
        expected = {oruk_id("service", s.id) for s in db.session.scalars(select(Service))
                    if "carer-support" in s.term_ids and s.publication_status == "published"}
    assert {s["id"] for s in carers} == expected and expected
    older = api.get("/api/oruk/services?minimum_age=50&per_page=200").json["contents"]
    assert older and all(s["minimum_age"] >= 50 for s in older)


def test_a_service_in_full_is_valid_and_names_its_terms(api):
    sid = oruk_id("service", "carers-uk-helpline")
    body = api.get(f"/api/oruk/services/{sid}").json
    assert errors("service", body) == []
    assert body["id"] == sid and body["name"] == "Carers UK Helpline"
    assert "0808 808 7777" in [p["number"] for c in body["contacts"] for p in c["phones"]]
    terms = {a["taxonomy_term"]["term"] for a in body["attributes"]}
    assert "carer-support" in terms
    assert "publication_status" not in body and "needs_editor" not in body


def test_drafts_are_not_exposed(app, api):
    with app.app_context():
        service = db.session.get(Service, "breathing-space")
        service.publication_status = "draft"
        db.session.commit()
    try:
        sid = oruk_id("service", "breathing-space")
        assert api.get(f"/api/oruk/services/{sid}").status_code == 404
        listed = api.get("/api/oruk/services?per_page=200").json["contents"]
        assert sid not in {s["id"] for s in listed}
    finally:
        with app.app_context():
            db.session.get(Service, "breathing-space").publication_status = "published"
            db.session.commit()


def test_service_at_locations_nearest_first_within_the_proximity(api, locations):
    postcode, ids = locations
    body = api.get("/api/oruk/service_at_locations",
                   query_string={"postcode": postcode.replace(" ", "").lower()}).json
    items = assert_page(body, "service_at_location")
    ours = [item for item in items if item["id"] in {sal for sal, _ in ids}]
    assert [i["service"]["name"] for i in ours] == ["Breathing Space", "Citizens Advice Scotland"]
    assert [round(i["distance"], -2) for i in ours] == [1000, 3000]
    assert all(errors("service", i["service"]) == [] for i in ours)
    near = api.get("/api/oruk/service_at_locations",
                   query_string={"postcode": postcode, "proximity": "2000"}).json
    assert [i["service"]["name"] for i in near["contents"]] == ["Breathing Space"]
    assert near["total_items"] == 1


def test_a_service_at_location_by_id(api, locations):
    _, ids = locations
    body = api.get(f"/api/oruk/service_at_locations/{ids[1][0]}").json
    assert errors("service_at_location", body) == []
    assert body["service"]["name"] == "Breathing Space"
    draft = ids[2][0]
    assert api.get(f"/api/oruk/service_at_locations/{draft}").status_code == 404


def test_taxonomies_and_terms_are_valid(app, api):
    taxonomies = assert_page(api.get("/api/oruk/taxonomies").json, "taxonomy")
    assert {"Needs", "Eligibility"} <= {t["name"] for t in taxonomies}
    needs = next(t for t in taxonomies if t["name"] == "Needs")
    terms = assert_page(api.get(f"/api/oruk/taxonomy_terms?taxonomy_id={needs['id']}"
                                "&per_page=200").json, "taxonomy_term")
    with app.app_context():
        count = db.session.query(TaxonomyTerm).filter_by(taxonomy_id="mle-needs").count()
    assert len(terms) == count
    one = api.get(f"/api/oruk/taxonomy_terms/{terms[0]['id']}").json
    assert one == terms[0]
    assert api.get(f"/api/oruk/taxonomies/{needs['id']}").json == needs


@pytest.mark.parametrize(("url", "message"), [
    ("/api/oruk/services?page=0", "page must be between"),
    ("/api/oruk/services?page=two", "page must be a whole number"),
    ("/api/oruk/services?per_page=100000", "per_page must be between"),
    ("/api/oruk/services?minimum_age=old", "minimum_age must be a number"),
    ("/api/oruk/services?minimum_age=nan", "minimum_age must be between"),
    ("/api/oruk/services?minimum_age=60&maximum_age=20", "must not be more than"),
    ("/api/oruk/services?taxonomy_term_id=carer-support", "taxonomy_term_id must be a UUID"),
    ("/api/oruk/service_at_locations?postcode=NOT+A+POSTCODE", "not a UK postcode"),
    ("/api/oruk/service_at_locations?proximity=1000", "needs a postcode"),
    ("/api/oruk/service_at_locations?postcode=ML1+1AA&proximity=-5", "proximity must be"),
    ("/api/oruk/service_at_locations?postcode=ML1+1AA&proximity=far", "proximity must be"),
    ("/api/oruk/service_at_locations?postcode=EH1+1YZ&proximity=500", "outside the area"),
])
def test_bad_parameters_are_json_400s(api, url, message):
    response = api.get(url)
    assert response.status_code == 400
    assert response.json["code"] == 400 and message in response.json["message"]


@pytest.mark.parametrize("url", [
    "/api/oruk/services/not-a-uuid",
    f"/api/oruk/services/{uuid.uuid5(uuid.NAMESPACE_URL, 'no-such-service')}",
    "/api/oruk/service_at_locations/1",
    f"/api/oruk/taxonomies/{uuid.uuid5(uuid.NAMESPACE_URL, 'no-such-taxonomy')}",
    "/api/oruk/taxonomy_terms/carer-support",
    "/api/oruk/organizations",
])
def test_unknown_ids_and_paths_are_json_404s(api, url):
    response = api.get(url)
    assert response.status_code == 404 and response.is_json
    assert response.json["code"] == 404


def test_an_unknown_filter_id_matches_nothing(api):
    body = api.get(f"/api/oruk/services?taxonomy_term_id={uuid.uuid4()}").json
    assert body["total_items"] == 0 and body["empty"]


def test_outside_the_area_only_national_services_are_listed(api, locations):
    body = api.get("/api/oruk/service_at_locations?postcode=EH1+1YZ").json
    names = [i["service"]["name"] for i in body["contents"]]
    assert "Breathing Space" in names and "distance" not in body["contents"][0]


def test_the_api_is_open_to_other_sites_get_only_and_rate_limited(app, api):
    response = api.get("/api/oruk/services")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert api.post("/api/oruk/services").status_code == 405
    limited = [api.get("/api/oruk/taxonomies").status_code for _ in range(125)]
    assert limited[-1] == 429 and limited.count(200) >= 118
    assert api.get("/api/oruk/taxonomies").is_json


def test_openapi_description_is_derived_from_oruk_with_our_server(app, api):
    body = api.get("/api/oruk/openapi.json").json
    assert body["openapi"] == "3.0.0" and body["info"]["title"] == "Open Referral UK Profile"
    assert body["servers"][0]["url"] == app.config["MLE_BASE_URL"].rstrip("/") + "/api/oruk"
    served = {rule.rule.removeprefix("/api/oruk").replace("<service_id>", "{id}")
              .replace("<sal_id>", "{id}").replace("<taxonomy_id>", "{id}")
              .replace("<term_id>", "{id}") or "/"
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("oruk_api.")}
    assert set(body["paths"]) == served - {"/openapi.json"}
    names = [p["$ref"].rsplit("/", 1)[-1]
             for p in body["paths"]["/service_at_locations"]["get"]["parameters"]]
    assert {"postcode", "proximity", "day", "start_time", "end_time", "modified_after"} <= \
        set(names)
    assert not {"minimal", "full", "format"} & set(names)
    meta = api.get("/api/oruk/").json
    assert meta["version"] == "3.0" and meta["openapi_url"].endswith("/api/oruk/openapi.json")


def test_a_description_an_editor_formatted_is_published_as_plain_text(app, client):
    from mle.database import db
    from mle.models import Service
    from mle.oruk.ids import oruk_id

    with app.app_context():
        service = db.session.get(Service, "carers-uk-helpline")
        original = service.description
        service.description = "<p>Advice for <strong>carers</strong>.</p><p>Free to call.</p>"
        db.session.commit()
    try:
        body = client.get(f"/api/oruk/services/{oruk_id('service', 'carers-uk-helpline')}").json
        assert body["description"] == "Advice for carers.\nFree to call."
    finally:
        with app.app_context():
            db.session.get(Service, "carers-uk-helpline").description = original
            db.session.commit()


@pytest.mark.parametrize("address", [
    "javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
    "https://user:secret@example.org/", "https://exa mple.org/", "www.example.org",
])
def test_only_http_web_addresses_are_served_or_linked(app, api, address):
    with app.app_context():
        service = db.session.get(Service, "carers-uk-helpline")
        original = service.url, service.organization.website
        service.url = address
        service.organization.website = address
        db.session.commit()
    try:
        sid = oruk_id("service", "carers-uk-helpline")
        body = api.get(f"/api/oruk/services/{sid}").json
        assert "url" not in body and "website" not in body["organization"]
        assert errors("service", body) == []
        listed = api.get("/api/oruk/services?per_page=200").json["contents"]
        assert address not in str(listed)
        page = BeautifulSoup(api.get("/local-information/service/carers-uk-helpline").data,
                             "html.parser")
        assert address not in [link.get("href") for link in page.find_all("a")]
        assert address not in page.get_text()
    finally:
        with app.app_context():
            service = db.session.get(Service, "carers-uk-helpline")
            service.url, service.organization.website = original
            db.session.commit()


def test_a_plain_https_address_is_served_and_linked(app, api):
    with app.app_context():
        service = db.session.get(Service, "carers-uk-helpline")
        original = service.url
        service.url = "https://www.carersuk.org/help"
        db.session.commit()
    try:
        body = api.get(f"/api/oruk/services/{oruk_id('service', 'carers-uk-helpline')}").json
        assert body["url"] == "https://www.carersuk.org/help"
        page = api.get("/local-information/service/carers-uk-helpline").get_data(as_text=True)
        assert 'href="https://www.carersuk.org/help"' in page
    finally:
        with app.app_context():
            db.session.get(Service, "carers-uk-helpline").url = original
            db.session.commit()


@pytest.fixture
def opening_hours(app):
    """Three published services of a test organisation with known opening hours and times of
    last change: weekdays 9 to 5 (its own schedule), Saturday mornings (a schedule at its
    location) and Tuesday evenings."""
    from datetime import UTC, datetime

    from mle.models import Organization, Schedule

    def schedule(**fields):
        return Schedule(id=str(uuid.uuid4()), freq="WEEKLY", **fields)

    with app.app_context():
        organization = Organization(id=str(uuid.uuid4()), name="Zedtest Trust", description="")
        weekdays = Service(id=str(uuid.uuid4()), name="Zedtest weekday advice",
                           organization=organization, publication_status="published",
                           last_modified=datetime(2031, 6, 1, 12, 0, tzinfo=UTC),
                           schedules=[schedule(byday="MO,TU,WE,TH,FR", opens_at="09:00:00",
                                               closes_at="17:00:00")])
        location = Location(id=str(uuid.uuid4()), name="Zedtest hall")
        saturday = Service(id=str(uuid.uuid4()), name="Zedtest Saturday drop-in",
                           organization=organization, publication_status="published",
                           last_modified=datetime(2031, 6, 1, 11, 59, 59, tzinfo=UTC),
                           service_at_locations=[ServiceAtLocation(
                               id=str(uuid.uuid4()), location=location,
                               schedules=[schedule(byday="SA", opens_at="10:00",
                                                   closes_at="12:00")])])
        evening = Service(id=str(uuid.uuid4()), name="Zedtest evening group",
                          organization=organization, publication_status="published",
                          schedules=[schedule(byday="TU", opens_at="18:00:00",
                                              closes_at="20:00:00")])
        db.session.add_all([weekdays, saturday, evening])
        db.session.commit()
        yield {"weekdays": weekdays.name, "saturday": saturday.name, "evening": evening.name}
        for service in (weekdays, saturday, evening):
            db.session.delete(db.session.merge(service))
        db.session.delete(db.session.merge(location))
        db.session.delete(db.session.merge(organization))
        db.session.commit()


def _names(api, **query) -> set[str]:
    response = api.get("/api/oruk/services", query_string={"search": "zedtest", **query})
    assert response.status_code == 200, response.json
    return {s["name"] for s in assert_page(response.json, "service")}


@pytest.mark.parametrize(("query", "expected"), [
    ({}, {"weekdays", "saturday", "evening"}),
    ({"day": "TU"}, {"weekdays", "evening"}),
    ({"day": "tuesday"}, {"weekdays", "evening"}),
    ({"day": "SA"}, {"saturday"}),  # from the schedule at the service's location
    ({"day": "SU"}, set()),
    ({"start_time": "10:00"}, {"saturday", "evening"}),
    ({"start_time": "09:00"}, {"weekdays", "saturday", "evening"}),
    ({"end_time": "17:00"}, {"weekdays", "saturday"}),
    ({"day": "TU", "start_time": "12:00"}, {"evening"}),
    ({"day": "TU", "end_time": "17:00:00"}, {"weekdays"}),
    # day and times must hold for the same schedule: nothing opens on Saturday afternoon
    ({"day": "SA", "start_time": "13:00"}, set()),
    ({"modified_after": "2031-06-01T12:00:00Z"}, {"weekdays"}),
    ({"modified_after": "2031-06-01T13:00:00+01:00"}, {"weekdays"}),
    ({"modified_after": "2031-06-01T11:00:00"}, {"weekdays", "saturday"}),
    ({"modified_after": "2031-06-02"}, set()),
])
def test_services_filter_by_opening_day_time_and_last_change(api, opening_hours, query,
                                                              expected):
    assert _names(api, **query) == {opening_hours[key] for key in expected}


def test_service_at_locations_filter_by_opening_day(api, opening_hours):
    body = api.get("/api/oruk/service_at_locations",
                   query_string={"search": "zedtest", "day": "SA"}).json
    assert [i["service"]["name"] for i in assert_page(body, "service_at_location")] == \
        [opening_hours["saturday"]]
    body = api.get("/api/oruk/service_at_locations",
                   query_string={"search": "zedtest", "day": "MO"}).json
    assert body["total_items"] == 0


def test_services_filter_by_postcode_and_proximity(app, api, locations):
    postcode, _ = locations
    with app.app_context():
        published = [s for s in db.session.scalars(select(Service))
                     if s.publication_status == "published" and s.status == "active"]
        serving_wishaw = {s.name for s in published if s.coverage in ("national", "area")
                          or "wishaw" in s.localities}
        national = {s.name for s in published if s.coverage == "national"}
    assert {"area", "locality"} & {s.coverage for s in published}
    listed = api.get("/api/oruk/services", query_string={"postcode": postcode,
                                                         "per_page": 200}).json
    assert {s["name"] for s in assert_page(listed, "service")} == serving_wishaw
    outside = api.get("/api/oruk/services?postcode=EH1+1YZ&per_page=200").json
    assert {s["name"] for s in outside["contents"]} == national != serving_wishaw
    near = api.get("/api/oruk/services", query_string={"postcode": postcode,
                                                       "proximity": "2000"}).json
    assert [s["name"] for s in near["contents"]] == ["Breathing Space"]


@pytest.mark.parametrize(("url", "message"), [
    ("/api/oruk/services?day=Funday", "day must be a day of the week"),
    ("/api/oruk/services?day=MO,TU", "day must be a day of the week"),
    ("/api/oruk/services?start_time=25:00", "start_time must be a time of day"),
    ("/api/oruk/services?start_time=9am", "start_time must be a time of day"),
    ("/api/oruk/service_at_locations?end_time=17", "end_time must be a time of day"),
    ("/api/oruk/services?start_time=18:00&end_time=09:00", "must not be after end_time"),
    ("/api/oruk/services?modified_after=yesterday", "modified_after must be a date and time"),
    ("/api/oruk/services?modified_after=2025-13-01", "modified_after must be a date and time"),
    ("/api/oruk/services?postcode=NOT+A+POSTCODE", "not a UK postcode"),
    ("/api/oruk/services?proximity=1000", "needs a postcode"),
])
def test_bad_filter_values_are_json_400s(api, url, message):
    response = api.get(url)
    assert response.status_code == 400
    assert response.json["code"] == 400 and message in response.json["message"]


@pytest.mark.parametrize(("url", "named"), [
    ("/api/oruk/services?minimal=true", "minimal"),
    ("/api/oruk/services?format=ndjson", "format"),
    ("/api/oruk/services?full=true&full_service=true", "full, full_service"),
    ("/api/oruk/service_at_locations?minimal=true", "minimal"),
    ("/api/oruk/taxonomies?search=care", "search"),
    ("/api/oruk/taxonomy_terms?modified_after=2025-01-01", "modified_after"),
])
def test_a_filter_the_api_does_not_answer_is_refused_never_ignored(api, url, named):
    response = api.get(url)
    assert response.status_code == 400 and response.is_json
    assert response.json["message"].startswith(f"{named}: not supported by this API")


def test_parameters_outside_the_oruk_description_are_left_alone(api):
    assert api.get("/api/oruk/services?utm_source=newsletter").status_code == 200
