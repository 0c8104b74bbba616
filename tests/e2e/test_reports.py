"""A manager reads the released reports in the browser: the five measures for a quarter and a
month, the breakdowns, a period not yet released, and a download, by keyboard alone and without
JavaScript. Every report page (and its error page) is scanned with axe-core on arrival."""

from __future__ import annotations

import csv
import io

from tests.e2e.resident import Resident, tab_to
from tests.e2e.test_staff_pages import sign_in
from tests.integration.test_reports import MONTH, QUARTER, THIS_MONTH, known_funnel, store
from tests.staff import email_of, make_staff


def _csv_rows(download) -> list[dict]:
    with open(download.path(), encoding="utf-8") as file:
        return list(csv.DictReader(io.StringIO(file.read())))


def _five_measures(page) -> str:
    return " ".join(page.locator("#table-five_measures").inner_text().split())


def test_a_manager_reads_the_five_measures_by_keyboard_alone(app, page, content):
    store(app, known_funnel())
    manager = Resident(page, content, keyboard_only=True)
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    manager.activate(page.get_by_role("link", name="Reports"))
    manager.type_into("Period", QUARTER)
    manager.press_continue("Show")
    measures = _five_measures(page)
    assert "Assessments completed 60" in measures
    assert "With a potential to signpost 48" in measures
    assert "A personalised solution and directed to a service 15" in measures
    assert "Local information views: topic pages 0" in measures
    assert "Modules used: Mind and memory 60" in measures
    assert "Released on" in page.locator("#released").inner_text()
    assert page.locator("svg[role=img] title").first.text_content()

    # A month: the five measures for the whole area, and no breakdown.
    manager.type_into("Period", MONTH)
    manager.press_continue("Show")
    assert "Assessments completed 60" in _five_measures(page)
    assert page.locator("#table-locality").count() == 0

    # This month is never shown: the page says what is released instead.
    manager.type_into("Period", THIS_MONTH)
    manager.press_continue("Show")
    assert "has not been released" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_role("link", name="Quarter 2 2025").is_visible()
    manager.activate(page.get_by_role("link", name="Quarter 2 2025"))
    assert "Assessments completed 60" in _five_measures(page)

    manager.activate(page.get_by_role("link", name="Outcomes for one locality"))
    select = page.get_by_label("Locality", exact=True)
    tab_to(page, select)
    page.keyboard.type("Wishaw")
    assert select.input_value() == "wishaw"
    manager.type_into("Period", QUARTER)
    manager.press_continue("Show")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Outcomes in Wishaw")
    assert "Assessments completed 20" in _five_measures(page)

    link = page.get_by_role("link", name="Download these tables (CSV)")
    tab_to(page, link)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    rows = _csv_rows(download.value)
    assert {r["locality"] for r in rows} == {"wishaw"}
    assert any(r["table"] == "five_measures" and r["value"] == "20" for r in rows)
    assert all(r["released"] for r in rows)

    manager.activate(page.get_by_role("link", name="National Health and Wellbeing Outcomes"))
    assert page.locator("#table-national_outcomes").is_visible()


def test_a_manager_reads_the_five_measures_without_javascript(app, page_without_js, new_page,
                                                               content):
    store(app, known_funnel())
    page = page_without_js
    manager = Resident(page, content, scanner=new_page())
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    manager.activate(page.get_by_role("link", name="Reports"))
    manager.type_into("Period", QUARTER)
    manager.press_continue("Show")
    measures = _five_measures(page)
    assert "Assessments completed 60" in measures
    assert "A personalised solution and directed to a service 15" in measures
    manager.activate(page.get_by_role("link", name="Outcomes for one locality"))
    manager.press_continue("Show")  # no locality chosen yet
    assert page.locator(".govuk-error-summary").inner_text().count(
        "Select a locality from the list") >= 1
    page.get_by_label("Locality", exact=True).select_option("airdrie")
    manager.type_into("Period", QUARTER)
    manager.press_continue("Show")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Outcomes in Airdrie")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these tables (CSV)").click()
    rows = _csv_rows(download.value)
    assert {r["locality"] for r in rows} == {"airdrie"}
    manager.activate(page.get_by_role("link", name="National Health and Wellbeing Outcomes"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        "National Health and Wellbeing Outcomes")


def test_a_manager_is_told_which_months_await_the_nightly_release(app, page, content):
    """Before the nightly release has run, the reports say what is due instead of showing
    older figures as if they were the latest; the notice passes the accessibility scan."""
    store(app, known_funnel(), release=False)
    manager = Resident(page, content)
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    manager.activate(page.get_by_role("link", name="Reports"))
    notice = page.get_by_role("region", name="Not released yet").inner_text()
    assert "The figures for April 2025 to" in notice
    assert "will appear once the nightly release has run" in notice
    assert page.locator("table").count() == 0
    manager.type_into("Period", QUARTER)
    manager.press_continue("Show")
    assert page.locator(".govuk-error-summary").inner_text().count(
        "The figures for Quarter 2 2025 are due for release on 5 July 2025") == 1


def test_a_narrow_screen_scrolls_each_wide_table_not_the_page(app, page, content):
    store(app, known_funnel())
    manager = Resident(page, content)
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    page.set_viewport_size({"width": 320, "height": 900})
    manager.open(f"/staff/reports/?period={QUARTER}&lang=pl")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    region = page.locator(".mle-table-scroll").filter(has=page.locator("#table-locality"))
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls within itself


def test_chart_labels_stay_inside_the_chart_on_an_urdu_page(app, page, content):
    store(app, known_funnel())
    manager = Resident(page, content)
    sign_in(manager, email_of(app, make_staff(app, ["manager"])))
    manager.open(f"/staff/reports/?period={QUARTER}&lang=ur")
    chart = page.locator("svg.mle-chart").first
    left = chart.evaluate("el => el.getBoundingClientRect().left")
    labels = chart.locator("text:not(.mle-chart__value)")
    assert labels.count() > 2
    for i in range(labels.count()):
        assert labels.nth(i).evaluate("el => el.getBoundingClientRect().left") >= left - 1
