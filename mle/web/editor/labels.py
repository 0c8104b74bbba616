"""What the editors' pages call things: kinds of problem report, the history's fields, and the
colour of each publication status's tag. Status names come from mle.vocabulary.labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# A resident's report as an editor reads it (residents choose from their own wording).
KIND_LABELS = {
    "wrong_details": _l("Contact details or opening times are wrong"),
    "closed": _l("No longer exists"),
    "not_my_area": _l("Does not serve the person's area"),
    "other": _l("Something else"),
}

TAG_CLASSES = {"draft": "govuk-tag--grey", "published": "govuk-tag--green",
               "archived": "govuk-tag--red"}

# The fields of mle.directory.history.HISTORY_FIELDS, as the history page names them.
FIELD_LABELS = {
    "organization": _l("Organisation"),
    "name": _l("Service name"),
    "description": _l("What it does"),
    "topics": _l("Topics"),
    "coverage": _l("Where it is available"),
    "localities": _l("Local areas"),
    "minimum_age": _l("Youngest age"),
    "maximum_age": _l("Oldest age"),
    "eligibility": _l("Other conditions"),
    "phones": _l("Phone numbers"),
    "email": _l("Email address"),
    "url": _l("Website"),
    "opening_hours": _l("Opening hours"),
    "fees": _l("Cost"),
    "languages": _l("Languages"),
    "location": _l("Address"),
    "accessibility": _l("Accessibility"),
    "needs_editor": _l("Details missing"),
    "publication_status": _l("Status"),
    "last_reviewed": _l("Last checked")
}

# The groups of fields a source can own (mle.imports.field_groups.GROUPS), as an import run
# names them when it kept an editor's values.
GROUP_LABELS = {
    "organization": _l("Organisation"),
    "name": _l("Service name"),
    "description": _l("What it does"),
    "url": _l("Website"),
    "email": _l("Email address"),
    "status": _l("Whether it is running"),
    "ages": _l("Ages"),
    "fees": _l("Cost"),
    "accreditations": _l("Accreditations"),
    "alert": _l("Alert"),
    "assurance": _l("Who checked it, and when"),
    "phones": _l("Phone numbers"),
    "opening_hours": _l("Opening hours"),
    "languages": _l("Languages"),
    "location": _l("Address"),
    "area": _l("Where it is available"),
    "terms": _l("The source's categories"),
    "funding": _l("Funding"),
}
