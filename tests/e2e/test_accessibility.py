"""Accessibility beyond the automatic checker, and keeping results, in a real browser:
no horizontal scrolling at 320 CSS px and at 200% zoom, visible focus, the error summary taking
focus, and complete resident and assessor journeys by keyboard alone and without JavaScript,
through the pages that print, email and link to a result. Every page is scanned by axe-core."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page

from mle.database import db
from mle.models import OutboxMessage
from mle.security.encryption import decrypt_json
from tests.e2e.resident import Resident
from tests.e2e.test_staff_pages import sign_in
from tests.staff import email_of, make_staff

BATH_BOARD = {"bathing": {"wash_where": "bath", "can_step_over": "no", "can_lift_legs": "yes",
                          "bath_inner_width_cm": "62"}}
ADDRESS = "resident@example.org"
AGREED = ("The person agreed to do this assessment with me, and knows their answers are kept "
          "for 90 days")
# 320 CSS px is WCAG 1.4.10's width; a 1280 px window at 200% zoom lays out at 640 CSS px.
WIDTHS = (320, 640)


def sideways_scroll(page: Page) -> dict[int, int]:
    """How far each width scrolls sideways (CSS px); empty when none does."""
    original = page.viewport_size
    overflow = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if extra > 0:
            overflow[width] = extra
    page.set_viewport_size(original)
    return overflow


def check_reflow(person: Resident, reflowed: list[str]) -> None:
    assert sideways_scroll(person.page) == {}, person.page.url
    reflowed.append(urlsplit(person.page.url).path)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def link_in_outbox(app, pattern: str) -> str:
    with app.app_context():
        message = db.session.scalars(db.select(OutboxMessage).order_by(
            OutboxMessage.id.desc())).first()
        return re.search(pattern, decrypt_json(message.body)).group(1)


def keep_results(person: Resident) -> None:
    """From the result: print, large print, email it, and ask for a resume link by email."""
    page = person.page
    person.activate(page.get_by_role("link", name="Printable version"))
    assert heading(page) == "Your results to print"
    assert page.locator("svg.mle-qr").is_visible()
    person.activate(page.get_by_role("link", name="Large print", exact=True))
    assert heading(page) == "Your results in large print"
    person.activate(page.get_by_role("link", name="Back to your results"))
    person.activate(page.get_by_role("link", name="Email your results"))
    person.press_continue()  # nothing entered: the error summary explains
    assert page.locator(".govuk-error-summary").is_visible()
    person.type_into("Email address", ADDRESS)
    person.press_continue()
    assert heading(page) == "Check the email address"
    person.press_continue("Send email")
    assert "We are sending your results by email" in page.locator("main").inner_text()
    person.activate(page.get_by_role("link", name="Get a code to come back to these results"))
    person.activate(page.get_by_role("link", name="Get a link by email instead"))
    person.type_into("Email address", ADDRESS)
    person.press_continue()
    person.press_continue("Send email")
    assert heading(page) == "Check your email"


def come_back(person: Resident, app, short_link: str) -> None:
    """Another browser opens the short link, then the emailed resume link."""
    page = person.page
    person.open(urlsplit(short_link).path)
    assert heading(page) == "Saved results"
    person.activate(page.get_by_role("link", name="Large print"))
    person.open(link_in_outbox(app, r"https?://\S+(/resume/\S+)"))
    person.press_continue()
    assert heading(page) == "Your results"
    person.open("/result/0000000000000000/pdf")  # a page left open on other results
    assert heading(page) == "These are not the results open in this browser"


def test_no_sideways_scrolling_at_320_px_or_200_percent_zoom(app, page, content):
    resident = Resident(page, content)
    reflowed: list[str] = []
    resident.open("/")
    check_reflow(resident, reflowed)
    resident.start()
    check_reflow(resident, reflowed)
    resident.about_you()
    resident.topics(["Bathing and showering"])
    check_reflow(resident, reflowed)  # a question
    resident.answer_all(BATH_BOARD)
    check_reflow(resident, reflowed)  # check your answers
    resident.confirm_answers()
    check_reflow(resident, reflowed)
    short_link = page.locator("#short-link").first.text_content().strip()
    for name in ("Printable version", "Large print version", "Email your results"):
        resident.open("/result")
        resident.activate(page.get_by_role("link", name=name))
        check_reflow(resident, reflowed)
    resident.open(urlsplit(short_link).path + "?size=large")
    check_reflow(resident, reflowed)
    for path in ("/local-information/", "/local-information/topic/money-advice?where=ML5+2QT",
                 "/save/email"):
        resident.open(path)
        check_reflow(resident, reflowed)
    sign_in(resident, email_of(app, make_staff(app, ["assessor"], team="carers-support")))
    check_reflow(resident, reflowed)
    for path in ("/staff/requests/", "/staff/assisted/new"):
        resident.open(path)
        check_reflow(resident, reflowed)
    assert len(reflowed) == 15


FOCUS_STYLE = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && style.outlineColor !== 'rgba(0, 0, 0, 0)';
  return {outline, shadow: style.boxShadow !== 'none', tag: document.activeElement.tagName};
}"""


def test_focus_is_visible_and_the_error_summary_takes_focus(page, content):
    resident = Resident(page, content, keyboard_only=True)
    resident.open("/")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        assert focus["outline"] or focus["shadow"], focus
        seen.append(focus["tag"])
    assert {"A", "BUTTON"} <= set(seen)
    resident.activate(page.get_by_role("button", name="Start now"))
    resident.press_continue()  # nothing chosen
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.evaluate(FOCUS_STYLE)["outline"] or page.evaluate(FOCUS_STYLE)["shadow"]
    page.keyboard.press("Tab")  # into the summary's first link, which leads to the question
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "answering_for"


def test_a_resident_keeps_their_results_by_keyboard_alone(app, page, new_page, content):
    resident = Resident(page, content, keyboard_only=True)
    resident.start()
    resident.about_you()
    resident.topics(["Bathing and showering"])
    resident.answer_all(BATH_BOARD)
    resident.confirm_answers()
    short_link = page.locator("#short-link").first.text_content().strip()
    page.emulate_media(media="print")  # printed, the result carries its short link and QR code
    assert page.locator("#short-link").is_visible() and page.locator("svg.mle-qr").is_visible()
    assert page.locator("#keep-results").is_hidden()
    page.emulate_media(media="screen")
    assert page.locator("#short-link").is_hidden()
    keep_results(resident)
    come_back(Resident(new_page(), content, keyboard_only=True), app, short_link)
    assert len(resident.scanned) >= 16


def test_a_resident_keeps_their_results_without_javascript(app, page_without_js, new_page,
                                                           content):
    resident = Resident(page_without_js, content, scanner=new_page())
    resident.start()
    resident.about_you(answering_for="Someone I care for or help", age="50 to 64")
    resident.topics(["Caring for someone"])
    resident.answer_all()
    resident.confirm_answers()
    short_link = page_without_js.locator("#short-link").first.text_content().strip()
    # The link holds a random token and nothing about the person.
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{8,}", urlsplit(short_link).path)
    keep_results(resident)
    later = Resident(new_page(java_script_enabled=False), content, scanner=new_page())
    come_back(later, app, short_link)
    # Last, a PDF of results not open in this browser is refused with a page that says why.
    assert later.page.locator("h1").inner_text().strip() == (
        "These are not the results open in this browser")


def assessor_journey(app, assessor: Resident) -> None:
    page = assessor.page
    sign_in(assessor, email_of(app, make_staff(app, ["assessor"], team="carers-support")))
    assessor.activate(page.get_by_role("link", name="Assisted assessment"))
    assessor.press_continue("Start the assessment")  # agreement not recorded: refused
    assert page.locator(".govuk-error-summary").is_visible()
    assessor.choose_radio(page.locator("fieldset").first, "By phone with the person")
    assessor.choose(AGREED)
    assessor.press_continue("Start the assessment")
    assessor.about_you(answering_for="Someone I care for or help", age="50 to 64")
    assessor.topics(["Caring for someone"])
    assessor.answer_all()
    assessor.type_into("Add a note to this assessment", "Spoke with the carer by phone")
    assessor.press_continue("Add note")
    assessor.confirm_answers()
    assert "Spoke with the carer by phone" in page.locator("main").inner_text()
    assessor.activate(page.get_by_role("link", name="Email your results"))
    assessor.type_into("Email address", ADDRESS)
    assessor.press_continue()
    assessor.press_continue("Send email")
    assert "We are sending your results by email" in page.locator("main").inner_text()
    assessor.activate(page.get_by_role("link", name="Printable version"))
    assessor.activate(page.get_by_role("link", name="Staff home"))
    assert heading(page) == "Staff home"


def test_an_assessor_completes_an_assisted_assessment_by_keyboard_alone(app, page, content):
    assessor = Resident(page, content, keyboard_only=True)
    assessor_journey(app, assessor)
    assert len(assessor.scanned) >= 10


def test_an_assessor_completes_an_assisted_assessment_without_javascript(
        app, page_without_js, new_page, content):
    assessor = Resident(page_without_js, content, scanner=new_page())
    assessor_journey(app, assessor)
    assert len(assessor.scanned) >= 10


def trail_of(app, count: int) -> None:
    """Enough events for the audit trail to run to a second page."""
    from mle.models import AuditEvent

    with app.app_context():
        for number in range(count):
            db.session.add(AuditEvent(action="sign_in.failed", details={"n": number}))
        db.session.commit()


def test_an_administrator_reads_the_audit_trail_by_keyboard_alone(app, page, content):
    trail_of(app, 60)
    admin = Resident(page, content, keyboard_only=True)
    sign_in(admin, email_of(app, make_staff(app, ["administrator"])))
    admin.activate(page.get_by_role("link", name="Audit trail"))
    assert heading(page) == "Audit trail"
    admin.activate(page.get_by_role("link", name="Next"))
    assert "page=2" in page.url
    assert len(admin.scanned) >= 3


def test_an_administrator_filters_the_audit_trail_without_javascript(
        app, page_without_js, new_page, content):
    trail_of(app, 60)
    admin = Resident(page_without_js, content, scanner=new_page())
    sign_in(admin, email_of(app, make_staff(app, ["administrator"])))
    admin.open("/staff/admin/audit")
    page_without_js.get_by_label("Action", exact=True).select_option("sign_in.failed")
    admin.press_continue("Filter")
    assert "60 events" in page_without_js.locator("main").inner_text()
    admin.open("/staff/admin/audit?user=nobody")  # an unknown filter is explained
    assert page_without_js.locator(".govuk-error-summary").is_visible()
    assert len(admin.scanned) >= 4
