"""Staff pages in the browser, by keyboard where it matters, each scanned with axe-core."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.e2e.resident import Resident
from tests.staff import PASSWORD, email_of, emailed_link, make_staff


def sign_in(person: Resident, email: str, password: str = PASSWORD) -> None:
    person.open("/staff/sign-in")
    person.type_into("Email address", email)
    person.type_into("Password", password)
    person.press_continue("Sign in")


def test_administrator_adds_an_account_and_the_new_person_signs_in(app, page, new_page,
                                                                     content):
    admin_id = make_staff(app, ["administrator"])
    admin = Resident(page, content, keyboard_only=True)
    sign_in(admin, email_of(app, admin_id))
    assert page.get_by_role("heading", level=1).inner_text() == "Staff home"
    admin.activate(page.get_by_role("link", name="Staff accounts"))
    admin.activate(page.get_by_role("link", name="Add an account"))
    admin.type_into("Email address", "robin@example.org")
    admin.type_into("Full name", "Robin Editor")
    admin.choose("Directory editor")
    admin.press_continue("Save")
    assert "We have emailed Robin Editor a link" in page.locator("h1").inner_text()
    link = emailed_link(app, "robin@example.org")

    newcomer = Resident(new_page(), content)
    newcomer.open(urlsplit(link).path)
    newcomer.type_into("New password", PASSWORD)
    newcomer.type_into("Confirm new password", PASSWORD)
    newcomer.press_continue("Set password")
    sign_in(newcomer, "robin@example.org")
    assert newcomer.page.get_by_role("heading", level=1).inner_text() == "Staff home"
    newcomer.activate(newcomer.page.get_by_role("link", name="Two-step sign-in"))
    assert newcomer.page.get_by_role("heading", level=1).inner_text() == \
        "Set up two-step sign-in"

    admin.activate(page.get_by_role("link", name="Staff accounts"))
    admin.activate(page.get_by_role("link", name="Robin Editor"))
    assert page.get_by_role("heading", level=1).inner_text() == "Edit Robin Editor"
    admin.activate(page.get_by_role("link", name="Teams"))
    admin.activate(page.get_by_role("link", name="Add a team"))
    admin.activate(page.get_by_role("link", name="Teams"))
    admin.activate(page.get_by_role("link", name="Carer support"))


def test_a_resident_sees_the_sign_in_page_not_staff_data(page, content):
    visitor = Resident(page, content)
    visitor.open("/staff/admin/users")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


def test_two_step_sign_in_sign_out_and_refusals_in_the_browser(app, page, content):
    import pyotp

    editor_id = make_staff(app, ["editor"])
    person = Resident(page, content, keyboard_only=True)
    sign_in(person, email_of(app, editor_id))
    person.activate(page.get_by_role("link", name="Two-step sign-in"))
    secret = page.locator("code").inner_text().strip()
    person.type_into("Code from your authenticator app", pyotp.TOTP(secret).now())
    person.press_continue("Continue")
    person.activate(page.get_by_role("link", name="Two-step sign-in"))
    assert page.get_by_role("heading", level=1).inner_text() == "Two-step sign-in is on"

    person.open("/staff/admin/users")  # an editor is refused, politely
    assert page.get_by_role("heading", level=1).inner_text() == \
        "You do not have access to this page"
    person.activate(page.get_by_role("button", name="Sign out"))
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out"

    sign_in(person, email_of(app, editor_id))
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Enter the code from your authenticator app"
    person.type_into("Enter the code from your authenticator app", pyotp.TOTP(secret).now())
    person.press_continue("Continue")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff home"

    person.open("/staff/set-password/not-a-real-link")
    assert page.get_by_role("heading", level=1).inner_text() == \
        "This link has expired or has already been used"


def test_a_resident_reports_a_problem_and_an_editor_deals_with_it(app, page, new_page, content):
    resident = Resident(page, content)
    resident.open("/local-information/service/nl-community-alarm")
    resident.activate(page.get_by_role("link", name="Report a problem with this entry"))
    resident.choose_radio(page.locator("fieldset").first, "The service no longer exists")
    resident.press_continue("Send")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for telling us"

    editor = Resident(new_page(), content, keyboard_only=True)
    sign_in(editor, email_of(app, make_staff(app, ["editor"])))
    editor.activate(editor.page.get_by_role("link", name="Directory problems"))
    assert "Community alarm and telecare" in editor.page.locator("main").inner_text()
    editor.press_continue("Mark as dealt with")
    assert "There are no open problem reports" in editor.page.locator("main").inner_text()
