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
    local = client.get("/local-information/service/lanarkshire-carers")
    assert "Unpaid carers" in local.text
    assert "We are checking the contact details" in local.text


def test_unknown_topics_and_services_are_friendly_404s(client):
    assert client.get("/local-information/topic/astrology", expect=404).h1 == "Page not found"
    assert client.get("/local-information/service/no-such-service",
                      expect=404).h1 == "Page not found"
