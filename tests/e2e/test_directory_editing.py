"""Directory editors in the browser: every page scanned with axe-core, one journey by keyboard
alone and one without JavaScript; residents see what editors publish, and editors see what
residents report."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from mle.database import db
from mle.models import Attribute, Organization, Service
from tests.e2e.resident import Resident
from tests.e2e.test_staff_pages import sign_in
from tests.staff import email_of, make_staff

SEED_IDS: set[str] = set()


@pytest.fixture(autouse=True)
def _remove_test_entries(app):
    with app.app_context():
        if not SEED_IDS:
            SEED_IDS.update(db.session.scalars(select(Service.id)))
    yield
    with app.app_context():
        for service in db.session.scalars(select(Service).where(Service.id.not_in(SEED_IDS))):
            db.session.delete(service)
        db.session.commit()


def add_entry(app, name: str, status: str = "draft") -> str:
    """A minimal entry, stored directly, for a test to start from."""
    service_id = str(uuid.uuid4())
    with app.app_context():
        organization = db.session.get(Organization, "example-test-group") or Organization(
            id="example-test-group", name="Example Test Group", description="")
        db.session.add(Service(
            id=service_id, organization=organization, name=name, status="active",
            description="Visits at home for people who feel alone.", coverage="area",
            url="https://example.org/club",  # a way to reach it, so residents are shown it
            publication_status=status, attributes=[Attribute(
                id=str(uuid.uuid4()), link_entity="service", taxonomy_term_id="carer-support")]))
        db.session.commit()
    return service_id


def editor_signs_in(app, page, content, **options) -> Resident:
    editor = Resident(page, content, **options)
    sign_in(editor, email_of(app, make_staff(app, ["editor"])))
    editor.activate(page.get_by_role("link", name="Directory", exact=True))
    assert page.get_by_role("heading", level=1).inner_text() == "Directory entries"
    return editor


def test_an_editor_adds_and_publishes_an_entry_and_residents_find_the_change(
        app, page, new_page, content):
    editor = editor_signs_in(app, page, content)
    editor.activate(page.get_by_role("link", name="Add an entry"))
    editor.press_continue("Save")  # nothing filled in: every required field is explained
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the name of the service" in summary and "Select at least one topic" in summary
    editor.type_into("Organisation", "Example Test Group")
    editor.type_into("Service name", "Example lunch club")
    editor.type_into("What the service does", "<p>A hot lunch and company.</p>"
                                              "<script>alert(1)</script>")
    editor.choose("Support for unpaid carers")
    editor.choose("The whole partnership area")
    editor.type_into("Phone number 1 (optional)", "01236 000 000")
    editor.type_into("Monday opens", "11:30")
    editor.type_into("Monday closes", "14:00")
    editor.press_continue("Save")
    assert page.get_by_role("heading", level=1).inner_text() == "Example lunch club"
    editor.activate(page.get_by_role("link", name="Preview it as a resident sees it"))
    assert "A hot lunch and company." in page.locator("main").inner_text()
    editor.activate(page.get_by_role("link", name="Back to the entry"))
    editor.press_continue("Publish")

    resident = Resident(new_page(), content)
    resident.open("/local-information/search?q=lunch+club")
    resident.activate(resident.page.get_by_role("link", name="Example lunch club"))
    assert "Monday: 11:30 to 14:00" in resident.page.locator("main").inner_text()

    editor.activate(page.get_by_role("link", name="Edit this entry"))
    editor.type_into("Service name", "Example lunch and lunch club")
    editor.type_into("Monday closes", "15:00")
    editor.press_continue("Save")
    editor.activate(page.get_by_role("link", name="Change history"))
    history = page.locator("table").inner_text()
    assert "Example lunch club" in history and "Example lunch and lunch club" in history

    resident.open("/local-information/search?q=lunch+club")
    results = resident.page.locator("main").inner_text()
    assert "Example lunch and lunch club" in results
    resident.activate(resident.page.get_by_role("link", name="Example lunch and lunch club"))
    assert "Monday: 11:30 to 15:00" in resident.page.locator("main").inner_text()


def test_an_editor_checks_an_entry_by_keyboard_alone(app, page, content):
    add_entry(app, "Example keyboard club", status="published")
    editor = editor_signs_in(app, page, content, keyboard_only=True)
    editor.type_into("Words in the name, organisation or description", "keyboard club")
    editor.press_continue("Filter")
    editor.activate(page.get_by_role("link", name="Example keyboard club"))
    assert "Never checked by an editor" in page.locator("main").inner_text()
    editor.press_continue("This entry is still correct")
    assert "by Pat Example" in page.locator("main").inner_text()
    editor.activate(page.get_by_role("link", name="Edit this entry"))
    editor.type_into("Website (optional)", "not a web address")
    editor.press_continue("Save")
    assert "Enter a website address in the correct format" in \
        page.locator(".govuk-error-summary").inner_text()
    editor.type_into("Website (optional)", "https://www.example.org/keyboard-club")
    editor.type_into("Languages (optional)", "English, Polish")
    editor.press_continue("Save")
    assert "Your changes are saved" in page.locator("main").inner_text()
    editor.activate(page.get_by_role("link", name="Change history"))
    assert "English, Polish" in page.locator("table").inner_text()


def test_an_editor_works_without_javascript(app, page_without_js, new_page, content):
    service_id = add_entry(app, "Example no script club")
    editor = editor_signs_in(app, page_without_js, content, scanner=new_page())
    page = page_without_js
    editor.type_into("Words in the name, organisation or description", "no script")
    page.get_by_label("Status", exact=True).select_option("draft")
    editor.press_continue("Filter")
    editor.activate(page.get_by_role("link", name="Example no script club"))
    editor.activate(page.get_by_role("link", name="Edit this entry"))
    editor.type_into("Service name", "")
    editor.press_continue("Save")
    assert "Enter the name of the service" in page.locator(".govuk-error-summary").inner_text()
    editor.type_into("Service name", "Example no script lunch club")
    editor.press_continue("Save")
    editor.press_continue("Publish")
    editor.activate(page.get_by_role("link", name="Preview it as a resident sees it"))
    assert "Example no script lunch club" in page.locator("main").inner_text()
    editor.open(f"/staff/directory/{service_id}")
    editor.press_continue("Archive")
    assert "Archived" in page.locator("main").inner_text()


def test_a_resident_reports_a_problem_and_it_reaches_the_editors_queue(
        app, page, new_page, content):
    add_entry(app, "Example reported club", status="published")
    resident = Resident(page, content)
    resident.open("/local-information/search?q=reported+club")
    resident.activate(page.get_by_role("link", name="Example reported club"))
    resident.activate(page.get_by_role("link", name="Report a problem with this entry"))
    resident.choose_radio(page.locator("fieldset").first, "It does not serve my area")
    resident.press_continue("Send")

    editor = editor_signs_in(app, new_page(), content)
    editor_page = editor.page
    editor_page.get_by_label("Review", exact=True).select_option("problems")
    editor.press_continue("Filter")
    assert "Example reported club" in editor_page.locator("table").inner_text()
    editor.activate(editor_page.get_by_role("link", name="Problem reports"))
    queue = editor_page.locator("main").inner_text()
    assert "Example reported club" in queue and "Does not serve the person's area" in queue
    editor.activate(editor_page.get_by_role("link", name="Example reported club"))
    assert editor_page.get_by_role("heading", level=1).inner_text() == "Example reported club"
    editor.press_continue("Dismiss: nothing is wrong")
    assert "There are no open problem reports for this entry" in \
        editor_page.locator("main").inner_text()
