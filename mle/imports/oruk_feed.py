"""An Open Referral UK feed (ORUK 3.0, or v1-style list records) as a SourceFeed.

Records are checked by the sync; here each is given its key, the date it was assured, and the
needs its taxonomy terms suggest: our own needs terms (a feed exported by another partnership
running this service), or a term whose name holds a need's keywords (directory/needs.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from mle.area import Need
from mle.imports.records import SourceFeed, SourceRecord
from mle.oruk.feed import read_records
from mle.oruk.ids import oruk_id

CARER_WORDS = re.compile(r"\bcarers?\b", re.IGNORECASE)


def _term_names(record: dict) -> list[str]:
    names = []
    for attribute in record.get("attributes") or ():
        if isinstance(attribute, dict):
            term = attribute.get("taxonomy_term") or {}
            names += [str(term.get(k) or "") for k in ("name", "term")]
    for taxonomy in record.get("service_taxonomys") or ():  # v1
        if isinstance(taxonomy, dict):
            names.append(str((taxonomy.get("taxonomy") or {}).get("name") or ""))
    return [n.lower() for n in names if n.strip()]


def _term_ids(record: dict) -> set[str]:
    return {str(a.get("taxonomy_term_id") or (a.get("taxonomy_term") or {}).get("id") or "")
            for a in record.get("attributes") or () if isinstance(a, dict)}


def suggested_needs(record: dict, needs: Mapping[str, Need]) -> tuple[str, ...]:
    ids = _term_ids(record)
    names = _term_names(record)
    found = []
    for need in needs.values():
        ours = need.id in ids or (bool(ids) and oruk_id("taxonomy_term", need.id) in ids)
        named = any(re.search(rf"\b{re.escape(word)}\b", name)
                    for word in need.keywords for name in names)
        if ours or named:
            found.append(need.id)
    return tuple(found)


def _audience(record: dict) -> str:
    given = record.get("pc_targetAudience") or []
    words = [str(x.get("name") if isinstance(x, dict) else x) for x in given]
    return " ".join(words + _term_names(record))


def _assured(record: dict) -> date | None:
    try:
        return date.fromisoformat(str(record.get("assured_date"))[:10])
    except ValueError:
        return None


def _record(raw: Any, number: int, needs: Mapping[str, Need]) -> SourceRecord:
    if not isinstance(raw, dict):
        return SourceRecord(key=f"record {number}", data=raw)  # the sync rejects it, saying why
    key = str(raw.get("id") or f"record {number}")[:200]
    return SourceRecord(key=key, data=raw, suggested_needs=suggested_needs(raw, needs),
                        suggested_eligibility=("carers",) if CARER_WORDS.search(
                            _audience(raw)) else (),
                        review_date=_assured(raw))


def records_feed(records: list, needs: Mapping[str, Need], feed: str,
                 file_name: str = "") -> SourceFeed:
    """ORUK records (3.0 or v1-style) as the feed `feed`."""
    return SourceFeed(source="oruk", feed=f"oruk:{feed}"[:120], label="Open Referral UK feed",
                      file_name=file_name,
                      records=[_record(r, n, needs) for n, r in enumerate(records, start=1)])


def read_oruk(path: Path, needs: Mapping[str, Need], feed: str | None = None) -> SourceFeed:
    """The feed file's records; entries leave `feed` (default: the file's name without its
    date) when a later file of the same feed no longer holds them."""
    path = Path(path)
    name = feed or re.sub(r"[_-]?\d{4}-\d{2}-\d{2}$", "", path.stem) or path.stem
    return records_feed(read_records(path), needs, name, path.name)
