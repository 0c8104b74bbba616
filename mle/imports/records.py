"""What a source's reader hands to the sync: each record as an Open Referral UK 3.0 service,
with what the source suggests about it, or a record it could not read and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SourceRecord:
    """One service as its source gives it.

    `data` is the service in ORUK 3.0 shape (what mle.oruk.feed.validate accepts); its `id` is
    stable across the source's exports, so a monthly re-sync finds the same entry.
    """

    key: str  # the source's own id for the record (CSNumber, ALISS id, ORUK id)
    data: dict
    # ids from directory/needs.yaml, for an editor to confirm
    suggested_needs: tuple[str, ...] = ()
    suggested_eligibility: tuple[str, ...] = ()  # keys of taxonomy.ELIGIBILITY_TERMS
    area_codes: tuple[str, ...] = ()  # GSS codes of the areas it serves, of any vintage
    review_date: date | None = None  # the source's last check: assured, reviewed, inspected
    warnings: tuple[str, ...] = ()  # repairs the reader made, in plain words


@dataclass(frozen=True)
class RejectedRecord:
    """A record that cannot be taken in: the reason and how to fix it, in plain words."""

    key: str
    name: str
    reason: str
    how_to_fix: str = ""


@dataclass
class SourceFeed:
    """A whole file from one source.

    Entries that came from the same `source` and `feed` but are missing from this file have
    left it, and are archived. `attribution` is shown wherever the source's data is shown.
    """

    source: str  # 'oruk', 'care-inspectorate' or 'aliss'
    feed: str  # the scope entries leave from: 'care-inspectorate:S12000050', a feed's name
    label: str  # the source as editors know it: 'Care Inspectorate register'
    attribution: str = ""
    file_name: str = ""
    records: list[SourceRecord | RejectedRecord] = field(default_factory=list)
    skipped: int = 0  # rows left out as not in scope (children's services, not active ...)
    # False when the file is one page of several: entries missing from it have not left
    complete: bool = True
