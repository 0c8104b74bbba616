"""The codes themselves, in the order they are shown, and the rules that go with them."""

from __future__ import annotations

from types import MappingProxyType

# Age bands, youngest first, with the youngest and oldest age in each (for eligibility by age).
AGE_BAND_RANGES = MappingProxyType({
    "under_16": (0, 15), "16_17": (16, 17), "18_24": (18, 24), "25_49": (25, 49),
    "50_64": (50, 64), "65_74": (65, 74), "75_84": (75, 84), "85_plus": (85, 120),
})
AGE_BANDS = tuple(AGE_BAND_RANGES)

# Who the answers are about.
ANSWERING_FOR = ("self", "someone_else")

# How an assessment was done: by the resident, by someone for them, or with a member of staff.
CHANNELS = ("self", "on_behalf", "assisted")
# How staff say they are doing an assisted assessment, and the channel each one counts as.
ASSISTED_HOW = ("phone", "in_person", "on_behalf")
CHANNEL_OF_ASSISTED_HOW = MappingProxyType(
    {"phone": "assisted", "in_person": "assisted", "on_behalf": "on_behalf"})

# A module's result level, least to most pressing.
LEVELS = ("advice", "equipment", "signposting", "referral", "urgent")
# The levels at which a result points to a service: what "a potential to signpost" counts.
SIGNPOSTING_LEVELS = ("signposting", "referral", "urgent")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


# How soon a team should act on a request, least to most pressing.
PRIORITIES = ("routine", "soon", "urgent")


def priority_rank(priority: str) -> int:
    return PRIORITIES.index(priority)


# A request to a team, and which status may follow which.
REFERRAL_STATUSES = ("new", "accepted", "in_progress", "closed", "declined")
OPEN_REFERRAL_STATUSES = ("new", "accepted", "in_progress")
_NEXT_REFERRAL_STATUSES = MappingProxyType({
    "new": ("accepted", "declined"),
    "accepted": ("in_progress", "closed", "declined"),
    "in_progress": ("closed", "declined"),
    "closed": (),
    "declined": (),
})


def next_referral_statuses(current: str) -> tuple[str, ...]:
    """The statuses a request may move to from `current`; none once it is closed or declined."""
    return _NEXT_REFERRAL_STATUSES[current]


def may_follow(current: str, new: str) -> bool:
    return new in _NEXT_REFERRAL_STATUSES.get(current, ())


# Feedback at the end of a result: fixed codes, so reports can count them.
FEEDBACK_HELPFUL = ("yes", "partly", "no")
FEEDBACK_NEXT = ("try_advice", "get_equipment", "contact_service", "talk_to_someone",
                 "not_sure")

# Where a directory entry's service is offered.
COVERAGES = ("national", "area", "locality", "outside", "unset")
# Coverages residents are matched on; "outside" (another area) and "unset" (no area
# information yet) are never shown as local.
MATCHED_COVERAGES = ("national", "area", "locality")
# Where a directory entry stands with its editors.
PUBLICATION_STATUSES = ("draft", "published", "archived")

# The sources a directory is kept in step with, and what an import run did with each record.
IMPORT_SOURCES = ("oruk", "care-inspectorate", "aliss")
IMPORT_OUTCOMES = ("added", "changed", "unchanged", "archived", "rejected")
# A topic a source suggests, until an editor confirms or dismisses it.
SUGGESTION_STATUSES = ("pending", "confirmed", "dismissed")

# What a member of staff may do.
ROLES = ("assessor", "editor", "manager", "administrator")
