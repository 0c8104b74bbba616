"""Right-to-left and other languages in a real browser: numbers stay left to right in Urdu,
checkbox boxes do not cover their labels, Polish pages keep English only where marked, the
postcode is checked on the page where it is asked; axe-core on every page reached."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.e2e.resident import Resident
from tests.integration.test_every_string_translated import english_left

# The drawn box (the label's ::before, placed against the item) and the label's own text.
BOX_AND_TEXT = """label => {
  const item = label.parentElement.getBoundingClientRect();
  const mark = getComputedStyle(label, '::before');
  const width = parseFloat(mark.width);
  const left = mark.left !== 'auto' ? item.left + parseFloat(mark.left)
                                    : item.right - parseFloat(mark.right) - width;
  const range = document.createRange();
  range.selectNodeContents(label);
  const text = range.getBoundingClientRect();
  return {boxLeft: left, boxRight: left + width, textLeft: text.left, textRight: text.right};
}"""


def test_urdu_keeps_phone_numbers_left_to_right_and_boxes_clear_of_labels(page, content):
    resident = Resident(page, content)
    resident.open("/local-information/service/age-scotland-helpline?lang=ur")
    number = page.locator("a[href^='tel:'] bdi").first
    assert number.get_attribute("dir") == "ltr"
    assert number.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert number.evaluate("el => getComputedStyle(el.closest('main')).direction") == "rtl"
    # The service's English name and description read as English, left to right, in an
    # Urdu page: their full stops and brackets stay where English puts them.
    name = page.locator("h1 span[lang=en]")
    description = page.locator(".mle-description")
    assert name.get_attribute("dir") == description.get_attribute("dir") == "ltr"
    assert description.get_attribute("lang") == "en"
    assert description.evaluate("el => getComputedStyle(el).direction") == "ltr"
    resident.open("/local-information/search?q=dementia&lang=ur")
    card = page.locator(".mle-card p[lang=en]").first
    assert card.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert card.evaluate("el => getComputedStyle(el.closest('.mle-card')).direction") == "rtl"

    resident.open("/?lang=ur")
    resident.activate(page.locator("main form .govuk-button").first)  # start
    page.locator("input[name=answering_for]").first.check()
    page.locator("input[name=age_band]").first.check()
    resident.activate(page.locator("main form .govuk-button").first)
    labels = page.locator(".govuk-checkboxes__label")
    assert labels.count() > 3
    for i in range(labels.count()):
        geometry = labels.nth(i).evaluate(BOX_AND_TEXT)
        # Right to left: the box on the right, all of the text to its left.
        assert geometry["textRight"] <= geometry["boxLeft"], geometry


def test_polish_pages_have_english_only_where_marked(page, content):
    resident = Resident(page, content)
    for path in ("/", "/local-information/", "/local-information/service/age-scotland-helpline"):
        resident.open(f"{path}?lang=en")
        english = BeautifulSoup(page.content(), "html.parser")
        resident.open(f"{path}?lang=pl")
        polish = BeautifulSoup(page.content(), "html.parser")
        assert english_left(english, polish, "pl") == [], path


def test_a_postcode_outside_the_area_is_told_on_the_page(page, content):
    resident = Resident(page, content)
    resident.start()
    resident.about_you(postcode="EH1 1YZ")
    notice = page.locator("#place-notice")
    assert notice.is_visible()
    assert "EH1 1YZ is outside North Lanarkshire" in notice.inner_text()
    assert page.get_by_label("Myself", exact=True).is_checked()  # nothing chosen is lost
    resident.press_continue()
    assert page.url.endswith("/topics")


def test_a_postcode_that_cannot_exist_is_an_error_on_the_page_in_urdu(page, content):
    resident = Resident(page, content)
    resident.open("/?lang=ur")
    resident.activate(page.locator("main form .govuk-button").first)  # start
    page.locator("input[name=answering_for]").first.check()
    page.locator("input[name=age_band]").first.check()
    page.locator("input[name=postcode]").fill("ML13 1AA")
    resident.activate(page.locator("main form .govuk-button").first)
    assert "/about-you" in page.url
    error = page.locator(".govuk-error-message")
    assert error.is_visible() and "ML13 1AA" in error.inner_text()
    assert page.locator("input[name=answering_for]").first.is_checked()  # nothing chosen is lost
