"""The pages that guard a staff account, in the browser by keyboard, each scanned with axe-core:
changing the password, turning off two-step sign-in with the password, and an administrator's
unlock and sign-out-everywhere buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from tests.e2e.resident import Resident
from tests.e2e.test_staff_pages import sign_in
from tests.staff import PASSWORD, email_of, make_staff

NEW_PASSWORD = "another long phrase for the browser"


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_a_member_of_staff_changes_their_password_and_turns_off_two_step_sign_in(
        app, page, content):
    person = Resident(page, content, keyboard_only=True)
    sign_in(person, email_of(app, make_staff(app, ["assessor"])))
    person.activate(page.get_by_role("link", name="Change your password"))
    assert heading(page) == "Change your password"
    person.type_into("Current password", "not my password")
    person.type_into("New password", NEW_PASSWORD)
    person.type_into("Confirm new password", NEW_PASSWORD)
    person.press_continue("Change password")
    assert "Your current password is not right" in page.locator(".govuk-error-summary").inner_text()
    person.type_into("Current password", PASSWORD)
    person.type_into("New password", NEW_PASSWORD)
    person.type_into("Confirm new password", NEW_PASSWORD)
    person.press_continue("Change password")
    assert "Your password is changed." in page.locator("main").inner_text()

    person.activate(page.get_by_role("link", name="Two-step sign-in"))
    secret = page.locator("code").inner_text().strip()
    person.type_into("Code from your authenticator app", pyotp.TOTP(secret).now())
    person.press_continue("Continue")
    person.activate(page.get_by_role("link", name="Two-step sign-in"))
    person.press_continue("Turn off two-step sign-in")
    assert "Enter your current password" in page.locator(".govuk-error-summary").inner_text()
    person.type_into("Current password", NEW_PASSWORD)
    person.press_continue("Turn off two-step sign-in")
    assert heading(page) == "Staff home"


def test_an_administrator_unlocks_an_account_and_signs_it_out_everywhere(app, page, content):
    admin = Resident(page, content, keyboard_only=True)
    paused = make_staff(app, ["editor"], failed_sign_ins=5,
                        locked_until=datetime.now(UTC) + timedelta(minutes=1))
    sign_in(admin, email_of(app, make_staff(app, ["administrator"])))
    admin.open(f"/staff/admin/users/{paused}")
    assert "Signing in is paused" in page.locator("main").inner_text()
    admin.press_continue("Unlock signing in")
    assert "Signing in is paused" not in page.locator("main").inner_text()
    admin.press_continue("Sign out on every device")
    assert heading(page) == "Edit Pat Example"
