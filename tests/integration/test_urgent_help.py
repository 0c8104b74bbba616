"""Get help now: every contact shown can be reached, and lines not open all day say when."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string

from mle.assessment.results import UrgentNotice, reachable_contacts

URGENT = ('{% from "public/_urgent.html" import urgent_help %}'
          '{{ urgent_help(notices, contacts) }}')


def test_a_contact_without_a_verified_number_is_never_shown(app):
    area = app.extensions["mle_site"].area
    unverified = [c.id for c in area.urgent_contacts.values() if not c.reachable]
    assert "nl-adult-protection" in unverified  # no verified number in area.yaml yet
    for contact_id in unverified:
        shown = reachable_contacts(area, [contact_id])
        assert shown, f"{contact_id} leaves nothing to call"
        assert all(c.reachable and (c.phone or c.text) for c in shown)
        assert contact_id not in [c.id for c in shown]
    # The adult protection line falls back on 999 and the police, in that order.
    assert [c.id for c in reachable_contacts(area, ["nl-adult-protection", "samaritans"])] == [
        "emergency-999", "police-101", "samaritans"]
    # A fallback already listed is shown once.
    assert [c.id for c in reachable_contacts(
        area, ["emergency-999", "nl-social-work-out-of-hours"])] == ["emergency-999", "nhs-24"]


def test_lines_not_open_all_day_show_their_hours(app):
    area = app.extensions["mle_site"].area
    contacts = reachable_contacts(area, ["samaritans", "breathing-space"])
    with app.test_request_context("/"):
        html = render_template_string(URGENT, notices=[UrgentNotice(
            "You told us you are thinking of ending your life.", "because",
            ("Call 999 if you might act on these thoughts now.", "Stay with someone you trust."))],
            contacts=contacts)
    assert "Opening hours:" in html
    assert "Monday to Thursday from 6pm to 2am" in html
    assert html.count("Opening hours:") == 1  # Samaritans is open all the time
    # The steps are a numbered list, not a paragraph.
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert html.index("Call 999 if you might") < html.index("Stay with someone you trust")


# No urgent contact without a number, anywhere ------------------------------------------------

BREAKING_POINT = {"carer": {"carer_age": "age_18_plus", "coping": "breaking_point"}}
NO_NUMBER = "North Lanarkshire social work out of hours"


def _every_contact_has_a_number(section) -> list[str]:
    """The contacts shown (their headings) that offer no number to call or text."""
    return [" ".join(h.get_text().split()) for h in section.select("h3")
            if not (h.find("a", href=lambda href: href and href.startswith("tel:"))
                    or "85258" in h.get_text())]


def test_get_help_now_never_lists_a_contact_without_a_number_on_any_page(client, content, app):
    import io

    from pypdf import PdfReader

    from tests.journeys import complete

    result = complete(client, content, ["carer"], BREAKING_POINT, answering_for="self",
                      age_band="50_64")
    urgent = result.soup.find("section", class_="mle-urgent")
    assert urgent is not None, "breaking point should raise urgent help"
    assert urgent.select("h3"), "and list contacts"
    assert _every_contact_has_a_number(urgent) == []
    assert NO_NUMBER not in result.text and "999" in urgent.get_text()

    def link(text: str) -> str:
        return result.soup.find("a", string=re.compile(re.escape(text)))["href"]

    printable = client.get(link("Printable version"))
    assert _every_contact_has_a_number(printable.soup.find("section", class_="mle-urgent")) == []
    assert NO_NUMBER not in printable.text
    pdf = client.get(link("Download your results as a PDF"))
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Get help now" in text and "999" in text
    assert NO_NUMBER not in " ".join(text.split())
    for language in app.extensions["mle_site"].area.languages:
        page = client.get(f"/result?lang={language.code}")
        assert _every_contact_has_a_number(page.soup.find("section", class_="mle-urgent")) == []


def test_the_result_email_lists_only_contacts_with_a_number(app, client, content):
    from datetime import date
    from types import SimpleNamespace

    from flask import render_template

    from mle.assessment.results import ResultPage

    area = app.extensions["mle_site"].area
    everyone = tuple(area.urgent_contacts.values())  # those held back included, on purpose
    with app.test_request_context("/"):
        page = ResultPage(urgent=(UrgentNotice("Call now.", "because", ()),),
                          urgent_contacts=everyone, sections=(), result=None)
        body = render_template("public/result_email.txt", page=page, area=area,
                               assessment=SimpleNamespace(expires_at=date(2027, 1, 31)),
                               short_link="https://example.org/r/x")
    listed = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(listed) == sum(c.reachable for c in everyone) > 0
    assert all(re.search(r"\d{3}", line) for line in listed)
    assert NO_NUMBER not in body


def test_the_urgent_list_shows_no_contact_without_a_number_in_any_language(app):
    area = app.extensions["mle_site"].area
    everyone = list(area.urgent_contacts.values())
    for code in ["en", *(language.code for language in area.languages)]:
        with app.test_request_context(f"/?lang={code}"):
            html = render_template_string(URGENT, notices=[], contacts=everyone)
        section = BeautifulSoup(html, "html.parser")
        assert len(section.select("h3")) == sum(c.reachable for c in everyone), code
        assert _every_contact_has_a_number(section) == [], code


def _area_with(tmp_path, contact_id: str, **changes):
    """A copy of the area with one urgent contact changed."""
    import shutil

    import yaml

    root = Path(__file__).resolve().parents[2] / "directory"
    shutil.copy(root / "needs.yaml", tmp_path / "needs.yaml")
    raw = yaml.safe_load((root / "area.yaml").read_text("utf-8"))
    contact = next(c for c in raw["urgent_contacts"] if c["id"] == contact_id)
    for key, value in changes.items():
        if value is None:
            contact.pop(key, None)
        else:
            contact[key] = value
    (tmp_path / "area.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    return tmp_path


@pytest.mark.parametrize(("contact_id", "changes", "problem"), [
    # Out of hours social work with its editor's mark taken off but still no number.
    ("nl-social-work-out-of-hours", {"needs_editor": None}, "has no phone or text number"),
    ("nl-social-work-out-of-hours", {"needs_editor": None, "phone": "   "},
     "has no phone or text number"),
    ("samaritans", {"phone": "TBC"}, "is not a phone number"),
    ("shout", {"text": "SHOUT"}, "is not a phone number"),
    ("nl-adult-protection", {"fallback": ["emergency-999", "no-such-contact"]},
     "falls back on no-such-contact"),
    ("nl-adult-protection", {"fallback": ["nl-social-work-out-of-hours"]},
     "falls back on nl-social-work-out-of-hours"),
])
def test_the_area_loader_refuses_an_urgent_contact_that_could_leave_no_number(
        tmp_path, contact_id, changes, problem):
    from mle.area import load_area

    with pytest.raises(ValueError, match=problem):
        load_area(_area_with(tmp_path, contact_id, **changes))


def test_a_contact_held_back_for_an_editor_is_shown_once_it_has_a_number(tmp_path):
    from mle.area import load_area

    area = load_area(_area_with(tmp_path, "nl-social-work-out-of-hours", phone="01632 960 021",
                                needs_editor=None))
    assert [c.id for c in reachable_contacts(area, ["nl-social-work-out-of-hours"])] == [
        "nl-social-work-out-of-hours"]
