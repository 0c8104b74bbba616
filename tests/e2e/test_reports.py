"""A manager reads the reports in the browser: by keyboard alone, and without JavaScript.
Every report page (and its error page) is scanned with axe-core on arrival."""

from __future__ import annotations

import csv
import io

from tests.e2e.resident import Resident, tab_to
from tests.e2e.test_staff_pages import sign_in
from tests.integration.test_reports import PERIOD, known_funnel, store
from tests.staff import email_of, make_staff


def _csv_rows(download) -> list[dict]:
    with open(download.path(), encoding="utf-8") as file:
        return list(csv.DictReader(io.StringIO(file.read())))


def test_a_manager_reads_the_reports_by_keyboard_alone(app, page, content):
    store(app, known_funnel())
    manager = Resident(page, content, keyboard_only=True)
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    manager.activate(page.get_by_role("link", name="Reports"))
    manager.type_into("Period", PERIOD)
    manager.press_continue("Show")
    funnel = " ".join(page.locator("#table-funnel").inner_text().split())
    assert "Assessments completed 60" in funnel and "Referral accepted 9" in funnel
    assert page.locator("svg[role=img] title").first.text_content()

    manager.type_into("Period", "2026-13")
    manager.press_continue("Show")
    assert page.locator(".govuk-error-summary").is_visible()
    manager.type_into("Period", PERIOD)
    manager.press_continue("Show")

    manager.activate(page.get_by_role("link", name="Outcomes for one locality"))
    select = page.get_by_label("Locality", exact=True)
    tab_to(page, select)
    page.keyboard.type("Wishaw")
    assert select.input_value() == "wishaw"
    manager.type_into("Period", PERIOD)
    manager.press_continue("Show")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Outcomes in Wishaw")

    link = page.get_by_role("link", name="Download these tables (CSV)")
    tab_to(page, link)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    rows = _csv_rows(download.value)
    assert {r["locality"] for r in rows} == {"wishaw"}
    assert any(r["table"] == "funnel" and r["value"] == "20" for r in rows)

    manager.activate(page.get_by_role("link", name="National Health and Wellbeing Outcomes"))
    assert page.locator("#table-national_outcomes").is_visible()


def test_a_manager_reads_the_reports_without_javascript(app, page_without_js, new_page,
                                                        content):
    store(app, known_funnel())
    page = page_without_js
    manager = Resident(page, content, scanner=new_page())
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    manager.activate(page.get_by_role("link", name="Reports"))
    manager.type_into("Period", PERIOD)
    manager.press_continue("Show")
    assert "Assessments completed 60" in " ".join(
        page.locator("#table-funnel").inner_text().split())
    manager.activate(page.get_by_role("link", name="Outcomes for one locality"))
    manager.press_continue("Show")  # no locality chosen yet
    assert page.locator(".govuk-error-summary").inner_text().count(
        "Select a locality from the list") >= 1
    page.get_by_label("Locality", exact=True).select_option("airdrie")
    manager.type_into("Period", PERIOD)
    manager.press_continue("Show")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Outcomes in Airdrie")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these tables (CSV)").click()
    rows = _csv_rows(download.value)
    assert {r["locality"] for r in rows} == {"airdrie"}
    manager.activate(page.get_by_role("link", name="National Health and Wellbeing Outcomes"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        "National Health and Wellbeing Outcomes")
