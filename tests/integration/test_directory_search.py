"""Searching local information by words and place, as a resident types them: ranking, typos,
synonyms, paging, every place message, bad input; and the same search in the editors' list.

Services added here are fictional, reachable through example.org, and carry made-up words
(zebrafinch) so their counts do not depend on the seed directory."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mle.database import db
from mle.models import (
    Attribute,
    DirectoryView,
    Location,
    Service,
    ServiceAtLocation,
)
from tests.directory_data import KILSYTH, WISHAW, organisation_for_tests
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

ORG = "test-search-org"
SERVICE_LINK = re.compile(r"/local-information/service/([^\"/?]+)")


def _add(service_id: str, name: str, description: str = "", needs=(), review_due=None,
         location=None) -> None:
    service = Service(id=service_id, name=name, organization_id=ORG, description=description,
                      coverage="area", publication_status="published",
                      url="https://example.org/", review_due=review_due)
    service.attributes = [Attribute(id=f"{service_id}-{t}", link_entity="service",
                                    taxonomy_term_id=t) for t in needs]
    if location:
        service.service_at_locations = [ServiceAtLocation(
            id=f"{service_id}-at", location=Location(id=f"test-search-loc-{service_id}",
                                                     latitude=location[0],
                                                     longitude=location[1]))]
    db.session.add(service)


@pytest.fixture
def added(app):
    with app.app_context(), organisation_for_tests(ORG, "Test search organisation",
                                              "test-search-loc-"):
        yield _add


def _search(client, q: str, where: str = "", **more):
    return client.get("/local-information/search", query_string={"q": q, "where": where, **more})


def _ids(page) -> list[str]:
    ids = []
    for link in page.soup.select("main .mle-card h2 a"):
        ids.append(SERVICE_LINK.search(link["href"]).group(1))
    return ids


def test_name_then_topic_then_description(client, added):
    added("test-described", "Test Tuesday art group",
          "A relaxed art session, welcoming people living with dementia.")
    added("test-filed", "Test Wednesday companions", "Company at home.", ["dementia-support"])
    added("test-named", "Test dementia cafe", "Tea and cake.")
    db.session.commit()
    ids = _ids(_search(client, "dementia"))
    assert ids[0] == "alzheimer-scotland-helpline"  # its name and its topic both match
    assert ids.index("test-named") < ids.index("test-filed") < ids.index("test-described")


@pytest.mark.parametrize(("typed", "meant"), [("dementai", "dementia"), ("gamblng", "gambling"),
                                              ("carres", "carer")])
def test_a_misspelt_word_finds_what_it_was_meant_to_be(client, typed, meant):
    page = _search(client, typed)
    assert _ids(page), typed
    assert f"We also searched for: {meant}." in page.text


@pytest.mark.parametrize(("words", "first"), [
    ("hard of hearing", "rnid"), ("deaf", "rnid"), ("memory", "alzheimer-scotland-helpline"),
    ("Alzheimer's", "alzheimer-scotland-helpline"), ("lonely", "age-scotland-helpline"),
    ("blind", "rnib-helpline")])
def test_residents_words_find_the_need_they_mean(client, words, first):
    assert first in _ids(_search(client, words))[:2]


def test_entries_due_for_review_come_after_others_as_good(client, added):
    yesterday = date.today() - timedelta(days=1)
    added("test-stale", "Test zebrafinch advice A", review_due=yesterday)
    added("test-fresh", "Test zebrafinch advice B", review_due=date.today() + timedelta(days=90))
    db.session.commit()
    assert _ids(_search(client, "zebrafinch")) == ["test-fresh", "test-stale"]


@pytest.mark.parametrize(("where", "nearest"), [("Kilsyth", "test-kilsyth"),
                                                ("wishaw", "test-wishaw"),
                                                ("ML2", "test-wishaw")])
def test_nearest_first_when_a_place_is_given(client, added, where, nearest):
    added("test-kilsyth", "Test zebrafinch club A", location=KILSYTH)
    added("test-wishaw", "Test zebrafinch club B", location=WISHAW)
    db.session.commit()
    page = _search(client, "zebrafinch", where)
    assert _ids(page)[0] == nearest
    assert "km away" in page.text and not page.soup.select(".govuk-error-message")


def test_a_place_named_in_the_words_counts_as_the_place(client, added):
    added("test-kilsyth", "Test zebrafinch club A", location=KILSYTH)
    added("test-wishaw", "Test zebrafinch club B", location=WISHAW)
    db.session.commit()
    assert _ids(_search(client, "zebrafinch wishaw"))[0] == "test-wishaw"


def test_results_are_paged_with_a_count_and_none_left_out(client, added):
    for n in range(23):
        added(f"test-many-{n:02d}", f"Test zebrafinch group {n:02d}")
    db.session.commit()
    first = _search(client, "zebrafinch")
    assert first.soup.select_one("main h2").get_text(strip=True) == "23 results"
    assert "Showing 1 to 20 of 23." in first.text
    assert first.soup.select_one("a[rel=next]") is not None
    second = client.get(first.soup.select_one("a[rel=next]")["href"])
    assert "Showing 21 to 23 of 23." in second.text
    assert set(_ids(first)) | set(_ids(second)) == {f"test-many-{n:02d}" for n in range(23)}


def test_when_no_service_has_every_word_those_with_some_are_shown(client, added):
    added("test-one", "Test zebrafinch group")
    db.session.commit()
    page = _search(client, "zebrafinch quokkapie")
    assert _ids(page) == ["test-one"]
    assert "No service matched all of your words" in page.text


@pytest.mark.parametrize("where", ["Airdrie", "airdrie", "KILSYTH", "Cumbernauld", "Chapelhall",
                                   "Shotts", "Bellshill", "Coatbridge", "Motherwell", "ML1",
                                   "ml6 7", "ML67", " ml6  7aa ", "north"])
def test_towns_villages_and_postcodes_are_understood(client, where):
    page = _search(client, "carers", where)
    assert not page.soup.select(".govuk-error-message"), where
    assert "Carers UK Helpline" in page.text


@pytest.mark.parametrize(("where", "message"), [
    ("QQ1 1AA", "We cannot find the postcode QQ1 1AA. Check it and try again, or enter your "
                "town or village instead"),
    ("ml1 8zz", "We cannot find the postcode ML1 8ZZ."),
    ("ML1 6", "We cannot find the postcode ML1 6."),
    ("G1 1AA", "G1 1AA is outside North Lanarkshire Health and Social Care Partnership, so we "
               "show services available across Scotland. To see local services, enter"),
    ("EH1", "EH1 is outside North Lanarkshire"),
    ("Atlantis", "We do not recognise \u201cAtlantis\u201d as a place in North Lanarkshire Health "
                 "and Social Care Partnership. Enter a postcode, like ML1 1AB, or a town"),
])
def test_each_place_problem_says_what_to_do_next(client, where, message):
    page = _search(client, "carers", where)
    error = page.soup.select_one("#where-error").get_text(" ", strip=True)
    assert message in error


def test_outside_the_area_only_services_across_scotland_are_shown(client, added):
    ids = _ids(_search(client, "carers", "G1 1AA"))
    assert "carers-uk-helpline" in ids
    coverage = dict(db.session.execute(select(Service.id, Service.coverage).where(
        Service.id.in_(ids))).all())
    assert set(coverage.values()) == {"national"}


@pytest.mark.parametrize(("q", "says"), [
    ("!!! ???", "Enter a word to search for, using letters or numbers."),
    ("%_%", "Enter a word to search for, using letters or numbers."),
    ("carers " * 30, "Your search was long, so we searched for its first words only."),
    ("a b c d e f g h i j k l m n o p q r s t u v w x y z carers advice dementia money help "
     "hearing sight falls food", "Your search was long"),
])
def test_bad_queries_get_a_clear_message(client, q, says):
    page = _search(client, q)
    assert says in page.text


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "' OR 1=1 --", "carers'; DROP TABLE "
                               "service; --", "\\x00\\u202e", "🙂 carers", "café"])
def test_hostile_queries_are_searched_as_words_and_never_fail(client, added, q):
    page = _search(client, q)
    assert "<script>alert" not in page.response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Service)) > 0


def test_an_empty_search_asks_for_words(client):
    page = _search(client, "")
    assert "Enter a word to search for" in page.soup.select_one("#q-error").get_text()


def test_searches_are_not_stored(client, added):
    before = db.session.scalar(select(func.count()).select_from(DirectoryView))
    _search(client, "zebrafinch secret words", "ML6 7AA")
    assert db.session.scalar(select(func.count()).select_from(DirectoryView)) == before


@pytest.fixture
def editor(app):
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["editor"]))
    return client


def test_the_editors_list_ranks_words_as_residents_search_does(editor, added):
    added("test-described", "Test Tuesday art group", "For people living with dementia.")
    added("test-named", "Test dementia cafe", "Tea and cake.")
    db.session.commit()
    page = editor.get("/staff/directory/?q=dementai")
    names = [a.get_text(strip=True) for a in page.soup.select("table a")]
    assert names.index("Test dementia cafe") < names.index("Test Tuesday art group")


@pytest.mark.parametrize(("search", "first"), [
    ("dementai", "Freephone Dementia Helpline"), ("hard of hearing", "RNID information line"),
    ("gamblng", "National Gambling Helpline")])
def test_the_oruk_api_search_parameter_ranks_the_same_way(app, search, first):
    found = app.test_client().get("/api/oruk/services", query_string={"search": search}).json
    assert found["contents"][0]["name"] == first
    assert found["total_items"] >= 1


def test_the_oruk_api_finds_nothing_for_punctuation_only(app):
    found = app.test_client().get("/api/oruk/services", query_string={"search": "%% __"}).json
    assert found["contents"] == [] and found["total_items"] == 0
