"""Get help now: every contact shown can be reached, and lines not open all day say when."""

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
