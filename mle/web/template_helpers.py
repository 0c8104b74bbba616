"""Small functions the templates use to turn stored values into words."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from markupsafe import Markup

from mle.directory.hours import opening_hours
from mle.directory.richtext import description_html, description_text
from mle.i18n.runtime import content_text
from mle.site import site
from mle.vocabulary.labels import AGE_BAND_LABELS


def age_band_label(value: str | None) -> str:
    return str(AGE_BAND_LABELS.get(value, _("Not given")))


def place_label(about) -> str:
    if not about.postcode_district:
        return _("No postcode given")
    if not about.in_area:
        return _("%(district)s: outside %(area)s", district=about.postcode_district,
                 area=content_text(site().area.partnership))
    locality = content_text(site().area.localities[about.locality].name)
    return _("%(district)s: %(locality)s locality", district=about.postcode_district,
             locality=locality)


def module_title(module_id: str) -> str:
    module = site().content.module(module_id)
    return content_text(module.title) if module else module_id


def how_to_get(kind: str) -> str:
    return {
        "buy": _("You can buy this yourself"),
        "equipment_service": _("Ask the equipment service for this"),
        "occupational_therapist": _("An occupational therapist needs to assess you for this"),
        "free_from_service": _("You can get this free from a local service"),
    }[kind]


def coverage_reason(reason: str) -> str:
    return {
        "locality": _("Covers your local area"),
        "area": _("Covers all of %(area)s", area=content_text(site().area.partnership)),
        "national": _("Available across Scotland or the UK"),
    }[reason]


def withheld_reason(reason, someone_else: bool = False) -> str:
    """Why an item was left out, in the reader's language: the content's reason, or the item's
    weight limit; worded for someone answering for another person where they are."""
    if reason.weight_limit_kg is not None:
        if someone_else:
            return _("You told us they weigh more than %(kg)s kg. It is made for people up to "
                     "%(kg)s kg.", kg=reason.weight_limit_kg)
        return _("You told us you weigh more than %(kg)s kg. It is made for people up to "
                 "%(kg)s kg.", kg=reason.weight_limit_kg)
    return content_text(reason.because_for(someone_else))


def locality_name(locality_id: str) -> str:
    locality = site().area.localities.get(locality_id)
    return content_text(locality.name) if locality else locality_id


def staff_navigation() -> list[dict]:
    """Service navigation for signed-in staff: only what their roles open."""
    if not current_user.is_authenticated:
        return []
    items = [{"href": url_for("staff.home"), "text": _("Staff home")}]
    if current_user.has_role("assessor"):
        items += [{"href": url_for("queue.requests"), "text": _("Requests")},
                  {"href": url_for("assisted.start"), "text": _("Assisted assessment")}]
    if current_user.has_role("editor"):
        items += [{"href": url_for("editor.entries"), "text": _("Directory")},
                  {"href": url_for("editor.problems"), "text": _("Directory problems")}]
    if current_user.has_role("manager"):
        items.append({"href": url_for("reports.dashboard"), "text": _("Reports")})
    if current_user.has_role("administrator"):
        items += [{"href": url_for("admin.users"), "text": _("Accounts")},
                  {"href": url_for("admin.teams"), "text": _("Teams")}]
    return items


def assisting() -> bool:
    """Is a signed-in assessor completing this assessment with a person?"""
    from flask import g

    assessment = getattr(g, "assessment", None)
    return bool(assessment is not None and assessment.assisted_by_id
                and current_user.is_authenticated and current_user.has_role("assessor"))


def staff_note_form():
    from mle.web.assisted.forms import StaffNoteForm

    return StaffNoteForm()


def session_warning_after() -> int | None:
    """Seconds until the timeout warning shows, when there is a session worth keeping."""
    from flask import current_app, session

    if "assessment_id" not in session and not current_user.is_authenticated:
        return None
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    warning = current_app.config["MLE_SESSION_WARNING_SECONDS"]
    return max(int(lifetime - warning), 1)


def init_template_helpers(app: Flask) -> None:
    WTFormsHelpers(app)
    from mle.web.rendered_fields import reusable_field

    app.add_template_global(reusable_field)
    app.add_template_global(content_text)
    app.add_template_global(age_band_label)
    app.add_template_global(place_label)
    app.add_template_global(how_to_get)
    app.add_template_global(coverage_reason)
    app.add_template_global(withheld_reason)
    app.add_template_filter(module_title)
    app.add_template_filter(locality_name)
    app.add_template_filter(opening_hours)
    app.add_template_filter(description_html)
    app.add_template_filter(description_text)
    app.add_template_filter(format_date)
    app.add_template_filter(format_datetime)
    app.add_template_filter(ltr)
    app.add_template_filter(in_english)
    app.add_template_filter(long_date)
    app.add_template_global(staff_navigation)
    app.add_template_global(assisting)
    app.add_template_global(staff_note_form)
    app.add_template_global(session_warning_after)


def ltr(value) -> Markup:
    """A phone number, postcode, reference or address kept left to right inside right-to-left
    text ("116 123", not "123 116")."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi dir="ltr">%s</bdi>') % value


def in_english(value) -> Markup:
    """Directory text, written in English, marked so on a page in another language (a screen
    reader then reads it with an English voice), and kept left to right on a right-to-left
    page (an isolate: its brackets and full stops stay where English puts them)."""
    if value is None or value == "":
        return Markup("")
    return Markup('<span lang="en" dir="ltr">%s</span>') % value


def long_date(value) -> str:
    """A date as residents read it, in the page's language: "6 December 2026"."""
    # Day, month name, year in every language (Babel's "long" puts the month first in "en").
    return format_date(value, format="d MMMM y") if value else ""
