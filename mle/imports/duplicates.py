"""Likely duplicates among the directory's entries: the same name and organisation, or the
same phone number, listed for an editor to look at (never merged automatically)."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import select

from mle.database import db
from mle.models import Contact, Organization, Phone, Service

MAX_LISTED = 200


def _words(text: str | None) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", (text or "").lower()))


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if digits.startswith("44") else digits


def likely_duplicates(service_ids: list[str]) -> list[dict]:
    """Groups of entries that look like the same service, each including one of
    `service_ids` (the entries a run touched): [{"ids", "names", "reason"}]."""
    touched = set(service_ids)
    if not touched:
        return []
    live = Service.publication_status != "archived"
    by_name: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for sid, name, organization in db.session.execute(
            select(Service.id, Service.name, Organization.name)
            .join(Organization, Organization.id == Service.organization_id).where(live)):
        by_name[(_words(name), _words(organization))].append((sid, name))
    by_phone: dict[str, dict[str, str]] = defaultdict(dict)
    for sid, name, number in db.session.execute(
            select(Service.id, Service.name, Phone.number)
            .join(Contact, Contact.service_id == Service.id)
            .join(Phone, Phone.contact_id == Contact.id).where(live)):
        digits = _digits(number)
        if len(digits) >= 6:
            by_phone[digits][sid] = name
    found = []
    for entries in by_name.values():
        if len(entries) > 1 and touched & {sid for sid, _ in entries}:
            found.append({"ids": [sid for sid, _ in entries],
                          "names": [n for _, n in entries], "reason": "name"})
    for number, entries in by_phone.items():
        if len(entries) > 1 and touched & set(entries):
            found.append({"ids": list(entries), "names": list(entries.values()),
                          "reason": "phone", "phone": number})
    return found[:MAX_LISTED]
