"""The area this deployment serves, read from directory/area.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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

    @property
    def reachable(self) -> bool:
        """A resident can reach it: it has a number to call or text, checked by an editor."""
        return bool(self.phone or self.text) and not self.needs_editor


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


@dataclass(frozen=True)
class Need:
    id: str
    label: str


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
        localities={x["id"]: Locality(x["id"], x["name"], x.get("source_name", x["name"]),
                                      tuple(x.get("groups") or ()))
                    for x in raw["localities"]},
        locality_groups=_locality_groups(raw),
        urgent_contacts={
            x["id"]: UrgentContact(x["id"], x["name"], x.get("phone") or "", x["when"],
                                   x.get("needs_editor", False), x.get("text") or "",
                                   x.get("hours") or "",
                                   tuple(x.get("fallback") or DEFAULT_FALLBACK))
            for x in raw["urgent_contacts"]
        },
        teams={x["id"]: Team(x["id"], x["name"], x["kind"], x["how_to_get_assessment"],
                             x.get("takes_requests", True), x.get("phone") or "")
               for x in raw["teams"]},
        needs={x["id"]: Need(x["id"], x["label"]) for x in needs["needs"]},
        languages=parse_languages(raw.get("languages")),
    )


def _locality_groups(raw: dict) -> dict[str, str]:
    groups = {g["id"]: g["name"] for g in raw.get("locality_groups") or []}
    for locality in raw["localities"]:
        for group in locality.get("groups") or ():
            if group not in groups:
                raise ValueError(f"locality {locality['id']} names an unknown group {group}")
    return groups
