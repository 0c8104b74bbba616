"""The area this deployment serves, read from directory/area.yaml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from mle.i18n.languages import Language, parse_languages


@dataclass(frozen=True)
class Locality:
    id: str
    name: str
    source_name: str  # the name used in the geography files
    groups: tuple[str, ...] = ()  # locality group ids (for example planning groups)


# Contacts that are always right, shown in place of one that cannot yet be reached.
DEFAULT_FALLBACK = ("emergency-999", "nhs-24")
# A number to call or text: digits (three at least, as in 999), with the spaces, brackets,
# dashes and + people write.
_NUMBER = re.compile(r"[0-9 ()+\-]+")


def _is_number(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value)) and sum(c.isdigit() for c in value) >= 3


@dataclass(frozen=True)
class UrgentContact:
    id: str
    name: str
    phone: str
    when: str
    needs_editor: bool = False
    text: str = ""  # a number to text, for text-only services
    hours: str = ""  # when the line is open, for a line that is not open all the time
    # Shown instead while this contact has no verified number: contacts that are always right.
    fallback: tuple[str, ...] = ()
    when_for_someone_else: str = ""  # said to someone answering for another person

    def worded_for(self, someone_else: bool) -> UrgentContact:
        if someone_else and self.when_for_someone_else:
            return replace(self, when=self.when_for_someone_else)
        return self

    @property
    def reachable(self) -> bool:
        """A resident can reach it: it has a number to call or text, checked by an editor."""
        return (_is_number(self.phone) or _is_number(self.text)) and not self.needs_editor


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    kind: str
    how_to_get_assessment: str
    # False for a route the service cannot send a request along (the person's own GP practice):
    # the result says how to get there instead of offering to pass their details on.
    takes_requests: bool = True
    phone: str = ""  # a number the person can call themselves, where one is known for certain
    # Said to someone answering for another person ("Their GP practice").
    name_for_someone_else: str = ""
    how_to_get_assessment_for_someone_else: str = ""

    def worded_for(self, someone_else: bool) -> Team:
        if not someone_else:
            return self
        return replace(self, name=self.name_for_someone_else or self.name,
                       how_to_get_assessment=self.how_to_get_assessment_for_someone_else
                       or self.how_to_get_assessment)


@dataclass(frozen=True)
class Need:
    id: str
    label: str
    keywords: tuple[str, ...] = ()  # how sources' taxonomy terms name it, lower case


@dataclass(frozen=True)
class CoverageNames:
    """Names and GSS codes (current and earlier ones) a source may use in its service areas:
    for this whole area, and for all of Scotland or the UK. Compared in lower case."""

    area_names: frozenset[str] = frozenset()
    area_codes: frozenset[str] = frozenset()
    national_names: frozenset[str] = frozenset()
    national_codes: frozenset[str] = frozenset()


def _coverage_names(raw: dict) -> CoverageNames:
    given = raw.get("coverage_names") or {}
    return CoverageNames(*(frozenset(str(x).strip().lower() for x in given.get(key) or ())
                           for key in ("area_names", "area_codes", "national_names",
                                       "national_codes")))


@dataclass(frozen=True)
class Area:
    partnership: str
    service_name: str
    short_name: str
    brand_colour: str
    postcodes_file: Path
    localities: Mapping[str, Locality]
    urgent_contacts: Mapping[str, UrgentContact]
    teams: Mapping[str, Team]
    needs: Mapping[str, Need]
    languages: tuple[Language, ...] = ()  # English first; see mle.i18n.languages
    # Locality group id -> name, in the order given (for example locality planning groups).
    locality_groups: Mapping[str, str] = field(default_factory=dict)
    # How sources name this whole area, and all of Scotland or the UK (see area.yaml).
    coverage_names: CoverageNames = field(default_factory=lambda: CoverageNames())
    # Postcode area -> its last district number, for the areas whose districts are all known
    # (area.yaml `geography.postcode_districts`): "ML13" cannot exist.
    highest_postcode_district: Mapping[str, int] = field(default_factory=dict)


def load_area(directory: Path | str) -> Area:
    directory = Path(directory)
    raw = yaml.safe_load((directory / "area.yaml").read_text("utf-8"))
    needs = yaml.safe_load((directory / "needs.yaml").read_text("utf-8"))
    return Area(
        partnership=raw["partnership"],
        service_name=raw["service_name"],
        short_name=raw["short_name"],
        brand_colour=raw["brand"]["colour"],
        postcodes_file=directory / raw["geography"]["postcodes"],
        highest_postcode_district={str(k): int(v) for k, v in
                                   (raw["geography"].get("postcode_districts") or {}).items()},
        localities={x["id"]: Locality(x["id"], x["name"], x.get("source_name", x["name"]),
                                      tuple(x.get("groups") or ()))
                    for x in raw["localities"]},
        locality_groups=_locality_groups(raw),
        coverage_names=_coverage_names(raw),
        urgent_contacts=_urgent_contacts(raw["urgent_contacts"]),
        teams={x["id"]: Team(x["id"], x["name"], x["kind"], x["how_to_get_assessment"],
                             x.get("takes_requests", True), x.get("phone") or "",
                             x.get("name_for_someone_else") or "",
                             x.get("how_to_get_assessment_for_someone_else") or "")
               for x in raw["teams"]},
        needs={x["id"]: Need(x["id"], x["label"],
                            tuple(str(k).lower() for k in x.get("keywords") or ()))
               for x in needs["needs"]},
        languages=parse_languages(raw.get("languages")),
    )


def _urgent_contacts(raw: list[dict]) -> dict[str, UrgentContact]:
    """The urgent contacts, refused when one could leave a resident without a number: a
    number that is not one, a contact with no number that is not marked for an editor (and so
    held back), or a contact held back whose fallback is not a contact that can be reached."""
    contacts = {}
    for x in raw:
        phone, text = str(x.get("phone") or "").strip(), str(x.get("text") or "").strip()
        for number in (phone, text):
            if number and not _is_number(number):
                raise ValueError(f"urgent contact {x['id']}: {number!r} is not a phone number")
        if not (phone or text) and not x.get("needs_editor", False):
            raise ValueError(f"urgent contact {x['id']} has no phone or text number: add one, "
                             "or mark it needs_editor: true so it is not shown")
        contacts[x["id"]] = UrgentContact(x["id"], x["name"], phone, x["when"],
                                          x.get("needs_editor", False), text,
                                          x.get("hours") or "",
                                          tuple(x.get("fallback") or DEFAULT_FALLBACK),
                                          x.get("when_for_someone_else") or "")
    for contact in contacts.values():
        if contact.reachable:
            continue
        for other in contact.fallback:
            if other not in contacts or not contacts[other].reachable:
                raise ValueError(f"urgent contact {contact.id} falls back on {other}, which "
                                 "is not a contact with a number")
    return contacts


def _locality_groups(raw: dict) -> dict[str, str]:
    groups = {g["id"]: g["name"] for g in raw.get("locality_groups") or []}
    for locality in raw["localities"]:
        for group in locality.get("groups") or ():
            if group not in groups:
                raise ValueError(f"locality {locality['id']} names an unknown group {group}")
    return groups
