"""Choosing a language: lang and dir on the page, the switcher everywhere, content and
interface text translated, English wherever a string has no translation."""

from __future__ import annotations

import pytest

from tests.journeys import answer_questions, begin, complete

SWITCHER = "nav.mle-language-switcher"


def html_attributes(page) -> tuple[str, str]:
    return page.soup.html["lang"], page.soup.html["dir"]


def test_the_chosen_language_sets_lang_and_dir_and_is_remembered(client):
    assert html_attributes(client.get("/")) == ("en", "ltr")
    assert html_attributes(client.get("/?lang=ur")) == ("ur", "rtl")
    assert html_attributes(client.get("/privacy")) == ("ur", "rtl")  # kept in the session
    assert html_attributes(client.get("/privacy?lang=pl")) == ("pl", "ltr")
    assert html_attributes(client.get("/?lang=en")) == ("en", "ltr")


@pytest.mark.parametrize("code", ["xx", "", "EN", "../pl", "pl-PL"])
def test_an_unknown_language_code_means_english_without_an_error(client, code):
    client.get("/?lang=pl")
    page = client.get("/", query_string={"lang": code})
    assert html_attributes(page) == ("en", "ltr")
    assert page.h1 == "Find help with everyday life"


def test_interface_and_content_text_are_translated(client):
    page = client.get("/?lang=pl")
    assert page.h1 == "Znajdź pomoc w codziennym życiu"  # interface
    assert "kąpiel i prysznic" in page.text  # a module title (content)
    assert "Answer a few questions about things you" not in page.text


@pytest.fixture
def sparse_client(app, fixture_translations):
    """The same service with catalogues that hold only a few strings."""
    from mle import create_app
    from mle.extensions import babel
    from tests.pages import CheckedClient

    # Flask-Babel caches loaded catalogues by locale on the one Babel object that every app
    # shares: empty it on the way in and out so neither app reads the other's.
    babel.domain_instance.cache.clear()
    sparse = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "TESTING": True,
                         "BABEL_TRANSLATION_DIRECTORIES": str(fixture_translations)})
    yield CheckedClient(sparse.test_client())
    babel.domain_instance.cache.clear()


def test_a_string_with_no_translation_shows_in_english_never_blank(sparse_client):
    page = sparse_client.get("/?lang=pl")
    assert page.h1 == "Znajdź pomoc w codziennym życiu"  # in the fixture catalogue
    assert "kąpiel i prysznic" in page.text
    # Not in it: the English shows.
    assert "Answer a few questions about things you" in page.text
    assert "getting dressed" in page.text


def test_option_values_stay_the_same_in_every_language(client, content):
    client.get("/?lang=pl")
    begin(client)
    client.submit("/topics", {"topics": ["bathing"]})
    question = client.get("/questions/bathing/wash_where")
    assert question.h1 == "Jak zwykle się myjesz?"
    radio = question.soup.find("input", attrs={"value": "bath"})
    label = question.soup.find("label", attrs={"for": radio["id"]})
    assert " ".join(label.get_text().split()) == "Siadam w wannie"
    # The value posted is the same as in English, and is what the page keeps.
    client.submit("/questions/bathing/wash_where", {"answer": "bath"})
    again = client.get("/questions/bathing/wash_where")
    assert again.soup.find("input", attrs={"value": "bath"}).has_attr("checked")


def test_yes_and_no_answers_and_results_are_shown_in_the_language(client, content):
    client.get("/?lang=pl")
    result = complete(client, content, ["bathing"], {"bathing": {
        "wash_where": "bath", "can_step_over": "no", "can_lift_legs": "yes",
        "sit_steady": "yes", "weight_kg": "70", "bath_inner_width_cm": "62"}})
    assert result.h1 == "Twoje wyniki"
    assert "Deska kąpielowa" in result.text  # equipment name, content
    assert "Z twoich odpowiedzi wynika" in result.text  # a because text, content
    assert "You told us" not in result.text


def test_a_draft_language_says_so_in_the_language_and_in_english(client):
    page = client.get("/?lang=ur")
    notice = page.soup.find(id="draft-translation")
    assert notice is not None and "qualified translator" in notice.get_text()
    assert client.get("/?lang=en").soup.find(id="draft-translation") is None


def test_the_switcher_links_to_the_same_page_in_each_language_named_in_itself(client):
    page = client.get("/local-information/search?q=advice&lang=pl")
    switcher = page.soup.select_one(SWITCHER)
    links = {a["hreflang"]: a for a in switcher.find_all("a")}
    assert set(links) == {"en", "ur"}
    assert links["ur"]["lang"] == "ur" and links["ur"]["dir"] == "rtl"
    assert links["ur"].get_text(strip=True) == "اردو"
    assert links["en"]["href"] == "/local-information/search?q=advice&lang=en"
    current = switcher.find(attrs={"aria-current": "true"})
    assert current["lang"] == "pl" and current.get_text(strip=True) == "Polski"


PUBLIC_PAGES = ["/", "/privacy", "/accessibility", "/local-information/",
                "/local-information/topic/money-advice", "/local-information/search?q=advice",
                "/resume"]


def test_the_switcher_is_on_every_public_page(client, content):
    pages = [client.get(url) for url in PUBLIC_PAGES]
    client.get("/?lang=ur")
    begin(client)
    pages += [client.get("/about-you"), client.get("/topics")]
    client.submit("/topics", {"topics": ["bathing"]})
    pages.append(client.get("/questions/bathing/wash_where"))
    answer_questions(client, content)
    pages.append(client.get("/check-answers"))
    client.submit("/check-answers")
    pages += [client.get("/result"), client.get("/save")]
    for page in pages:
        assert page.soup.select_one(SWITCHER) is not None, page.response.request.path
        assert len(page.soup.select(f"{SWITCHER} a[hreflang]")) == 2
