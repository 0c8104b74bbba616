"""The service's own words: the codes stored, exported and reported, with their rules.

Pure: no Flask, no database. What each code reads as, in the reader's language, is in
`mle.vocabulary.labels`; everything else (forms, reports, templates, exports) takes both from here.
"""

from mle.vocabulary.codes import (
    AGE_BAND_RANGES,
    AGE_BANDS,
    ANSWERING_FOR,
    ASSISTED_HOW,
    CHANNEL_OF_ASSISTED_HOW,
    CHANNELS,
    COVERAGES,
    FEEDBACK_HELPFUL,
    FEEDBACK_NEXT,
    IMPORT_OUTCOMES,
    IMPORT_SOURCES,
    LEVELS,
    MATCHED_COVERAGES,
    OPEN_REFERRAL_STATUSES,
    PRIORITIES,
    PUBLICATION_STATUSES,
    REFERRAL_STATUSES,
    ROLES,
    SIGNPOSTING_LEVELS,
    SUGGESTION_STATUSES,
    level_rank,
    may_follow,
    next_referral_statuses,
    priority_rank,
)

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_RANGES",
    "ANSWERING_FOR",
    "ASSISTED_HOW",
    "CHANNELS",
    "CHANNEL_OF_ASSISTED_HOW",
    "COVERAGES",
    "FEEDBACK_HELPFUL",
    "FEEDBACK_NEXT",
    "IMPORT_OUTCOMES",
    "IMPORT_SOURCES",
    "LEVELS",
    "MATCHED_COVERAGES",
    "OPEN_REFERRAL_STATUSES",
    "PRIORITIES",
    "PUBLICATION_STATUSES",
    "REFERRAL_STATUSES",
    "ROLES",
    "SIGNPOSTING_LEVELS",
    "SUGGESTION_STATUSES",
    "level_rank",
    "may_follow",
    "next_referral_statuses",
    "priority_rank",
]
