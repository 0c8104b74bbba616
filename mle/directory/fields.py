"""What editors fill in for a directory entry: the fixed codes of its fields and the entry's
values as plain data.

The editors' form and the mapping to ORUK rows both read these, so what the form offers and
what is stored cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mle.i18n.runtime import N_

# Weekdays as iCalendar BYDAY codes (ORUK's schedule.byday), in the order the form shows them.
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# How many phone numbers the form edits; any further numbers a feed gave are kept as they are.
PHONES = 3

# Stored in English (what residents' pages translate when shown); labelled in the editor's
# language on the form.
ACCESSIBILITY_TEXT = {
    "step-free": N_("Step-free access"),
    "accessible-toilet": N_("Accessible toilet"),
    "hearing-loop": N_("Hearing loop"),
    "accessible-parking": N_("Accessible parking"),
    "bsl": N_("British Sign Language on request"),
    "quiet-room": N_("A quiet room"),
}


@dataclass(frozen=True)
class EntryValues:
    """One entry as an editor sees and gives it: text trimmed, times as "HH:MM", codes ours."""

    organization: str = ""
    name: str = ""
    description: str = ""  # HTML as the editor wrote it; sanitised when it is stored
    topics: tuple[str, ...] = ()  # need term ids
    eligibility: tuple[str, ...] = ()  # eligibility term ids
    coverage: str = ""  # one of mle.vocabulary.COVERAGES
    localities: tuple[str, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    phones: tuple[tuple[str, str], ...] = ()  # (number, what it is for), one per form slot
    email: str = ""
    url: str = ""
    hours: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # day -> (opens, closes)
    hours_note: str = ""
    fees: str = ""
    amount: float | None = None  # a single charge in pounds
    languages: tuple[str, ...] = ()
    location_name: str = ""
    address_1: str = ""
    town: str = ""
    postcode: str = ""
    accessibility: tuple[str, ...] = ()  # keys of ACCESSIBILITY_TEXT
    needs_editor: bool = False
