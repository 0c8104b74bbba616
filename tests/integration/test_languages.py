"""Choosing a language: lang and dir on the page, the switcher everywhere, content and
interface text translated (from the fixture strings), English wherever a string has none."""

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


def test_interface_and_content_text_are_translated_and_missing_strings_show_english(client):
    page = client.get("/?lang=pl")
    assert page.h1 == "Znajdź pomoc w codziennym życiu"  # interface, from the fixture
    assert "kąpiel i prysznic" in page.text  # a module title (content), from the fixture
    # No translation for these: the English shows, never a blank.
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
        "bath_inner_width_cm": "62"}})
    assert result.h1 == "Twoje wyniki"
    assert "Deska kąpielowa" in result.text  # equipment name, content
    assert "You told us" in result.text  # a because text with no translation: English


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
