"""What each code reads as, in the reader's language: the one place these labels are written.

Lazy strings, so a label is translated when it is shown, in the language of that request.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from mle.vocabulary import codes

AGE_BAND_LABELS = {
    "under_16": _l("Under 16"),
    "16_17": _l("16 or 17"),
    "18_24": _l("18 to 24"),
    "25_49": _l("25 to 49"),
    "50_64": _l("50 to 64"),
    "65_74": _l("65 to 74"),
    "75_84": _l("75 to 84"),
    "85_plus": _l("85 or over"),
}

ANSWERING_FOR_LABELS = {
    "self": _l("Myself"),
    "someone_else": _l("Someone I care for or help"),
}

CHANNEL_LABELS = {
    "self": _l("By the resident"),
    "on_behalf": _l("On someone's behalf"),
    "assisted": _l("Assisted by staff"),
}

ASSISTED_HOW_LABELS = {
    "phone": _l("By phone with the person"),
    "in_person": _l("In person with the person"),
    "on_behalf": _l("On behalf of the person, at their request"),
}

LEVEL_LABELS = {
    "advice": _l("Advice"),
    "equipment": _l("Equipment"),
    "signposting": _l("Signposting"),
    "referral": _l("Referral"),
    "urgent": _l("Urgent"),
}

PRIORITY_LABELS = {
    "routine": _l("Routine"),
    "soon": _l("Soon"),
    "urgent": _l("Urgent"),
}

REFERRAL_STATUS_LABELS = {
    "new": _l("Not yet acted on"),
    "accepted": _l("Accepted"),
    "in_progress": _l("In progress"),
    "closed": _l("Closed"),
    "declined": _l("Declined"),
}

FEEDBACK_HELPFUL_LABELS = {"yes": _l("Yes"), "partly": _l("Partly"), "no": _l("No")}

FEEDBACK_NEXT_LABELS = {
    "try_advice": _l("Try some of the advice"),
    "get_equipment": _l("Get some equipment"),
    "contact_service": _l("Contact a service"),
    "talk_to_someone": _l("Talk it over with family, friends or a GP"),
    "not_sure": _l("Not sure yet"),
}

COVERAGE_LABELS = {
    "national": _l("Across Scotland or the UK"),
    "area": _l("The whole partnership area"),
    "locality": _l("Some local areas only"),
    "outside": _l("Outside this partnership area (never shown as local)"),
    "unset": _l("Not known yet (not shown to residents until an editor sets it)"),
}

IMPORT_SOURCE_LABELS = {
    "oruk": _l("Open Referral UK feed"),
    "care-inspectorate": _l("Care Inspectorate register"),
    "aliss": _l("ALISS"),
}

IMPORT_OUTCOME_LABELS = {
    "added": _l("Added"),
    "changed": _l("Changed"),
    "unchanged": _l("Unchanged"),
    "archived": _l("Archived"),
    "rejected": _l("Rejected"),
}

SUGGESTION_STATUS_LABELS = {
    "pending": _l("Waiting for an editor"),
    "confirmed": _l("Confirmed"),
    "dismissed": _l("Dismissed"),
}

PUBLICATION_STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}

ROLE_LABELS = {
    "assessor": _l("Assessor: assisted assessments and the team's requests"),
    "editor": _l("Directory editor"),
    "manager": _l("Manager: anonymised reports"),
    "administrator": _l("Administrator: accounts and teams"),
}

# Every code has a label, and no label is left without its code.
_VOCABULARIES = {
    "age_band": (codes.AGE_BANDS, AGE_BAND_LABELS),
    "answering_for": (codes.ANSWERING_FOR, ANSWERING_FOR_LABELS),
    "channel": (codes.CHANNELS, CHANNEL_LABELS),
    "assisted_how": (codes.ASSISTED_HOW, ASSISTED_HOW_LABELS),
    "level": (codes.LEVELS, LEVEL_LABELS),
    "priority": (codes.PRIORITIES, PRIORITY_LABELS),
    "referral_status": (codes.REFERRAL_STATUSES, REFERRAL_STATUS_LABELS),
    "feedback_helpful": (codes.FEEDBACK_HELPFUL, FEEDBACK_HELPFUL_LABELS),
    "feedback_next": (codes.FEEDBACK_NEXT, FEEDBACK_NEXT_LABELS),
    "coverage": (codes.COVERAGES, COVERAGE_LABELS),
    "publication_status": (codes.PUBLICATION_STATUSES, PUBLICATION_STATUS_LABELS),
    "role": (codes.ROLES, ROLE_LABELS),
    "import_source": (codes.IMPORT_SOURCES, IMPORT_SOURCE_LABELS),
    "import_outcome": (codes.IMPORT_OUTCOMES, IMPORT_OUTCOME_LABELS),
    "suggestion_status": (codes.SUGGESTION_STATUSES, SUGGESTION_STATUS_LABELS),
}


def vocabularies() -> dict[str, tuple[tuple[str, ...], dict[str, LazyString]]]:
    return dict(_VOCABULARIES)


def label(vocabulary: str, code: str | None, unknown: str | None = None) -> str:
    """The label of `code`, translated now; `unknown` (or the code itself) when it has none."""
    labels = _VOCABULARIES[vocabulary][1]
    if code in labels:
        return str(labels[code])
    return str(unknown) if unknown is not None else (code or "")


def choices(vocabulary: str, codes_shown: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(code, lazy label) pairs for a form's choices, in the vocabulary's order."""
    all_codes, labels = _VOCABULARIES[vocabulary]
    shown = all_codes if codes_shown is None else codes_shown
    return [(code, labels[code]) for code in shown]
