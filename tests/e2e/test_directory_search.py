"""Searching local information in a real browser: by keyboard alone, with a town and a
misspelling, through the pages of results, and a place we do not know; each page axe-clean."""

from __future__ import annotations

from tests.e2e.resident import Resident


def test_search_by_keyboard_with_a_town_a_typo_and_paging(page, content):
    resident = Resident(page, content, keyboard_only=True)
    resident.open("/local-information/search")
    resident.type_into("Search", "dementai")
    resident.type_into("Postcode, town or village (optional)", "kilsyth")
    resident.activate(page.get_by_role("button", name="Search"))
    main = page.locator("main")
    assert "for Kilsyth" in main.get_by_role("heading", level=2).first.text_content()
    assert "We also searched for: dementia." in main.text_content()
    assert main.locator(".mle-card").first.text_content().count("Dementia") >= 1

    resident.type_into("Search", "care")
    resident.type_into("Postcode, town or village (optional)", "")
    resident.activate(page.get_by_role("button", name="Search"))
    assert "Showing 1 to 20 of" in main.text_content()
    resident.activate(page.get_by_role("link", name="Next"))
    assert "Showing 21 to" in main.text_content()


def test_a_place_we_do_not_know_says_what_to_do(page_without_js, new_page, content):
    resident = Resident(page_without_js, content, scanner=new_page())
    resident.open("/local-information/search?q=carers&where=Atlantis")
    error = page_without_js.locator("#where-error").text_content()
    assert "We do not recognise" in error and "Enter a postcode" in error
    resident.open("/local-information/search?q=carers&where=ML1+8ZZ")
    assert "We cannot find the postcode ML1 8ZZ" in page_without_js.locator(
        "#where-error").text_content()
