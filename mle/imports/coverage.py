"""Where an imported entry is offered, from what its source says: the service areas it names
(by name or GSS code), else the postcode of the place it is at.

An entry is never assumed to cover the whole area: with no area information it is "unset",
for an editor to decide, and an entry elsewhere is "outside". Neither is shown as local.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from mle.area import Area
from mle.database import db
from mle.directory.postcodes import InvalidPostcode, normalise_postcode, postcode_district
from mle.models import Postcode


@dataclass(frozen=True)
class Coverage:
    coverage: str  # one of mle.vocabulary.COVERAGES
    localities: tuple[str, ...] = ()
    warning: str = ""  # why an editor must look, in plain words


def _known_district(district: str) -> bool:
    return db.session.scalar(select(Postcode.postcode).where(
        Postcode.postcode.startswith(district + " ")).limit(1)) is not None


def _postcodes(data: dict) -> list[str]:
    found = []
    for at_location in data.get("service_at_locations") or ():
        location = (at_location or {}).get("location") or {}
        for address in location.get("addresses") or ():
            if isinstance(address, dict) and address.get("postal_code"):
                found.append(str(address["postal_code"]))
    return found


def _names_any(words: set[str], names: set[str] | frozenset[str]) -> bool:
    """Whether a service area is one of the names, or a sentence naming one of more than one
    word ("all of North Lanarkshire"): a one-word name must be the whole area's name."""
    if words & names:
        return True
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", word)
               for name in names if " " in name for word in words)


def _by_areas(data: dict, codes: tuple[str, ...], area: Area) -> Coverage | None:
    names = area.coverage_names
    localities = {x.name.lower(): x.id for x in area.localities.values()}
    localities.update({x.source_name.lower(): x.id for x in area.localities.values()})
    given = [(a.get("name") or a.get("service_area") or "", a.get("uri") or "",
              a.get("extent") or "") for a in data.get("service_areas") or ()
             if isinstance(a, dict)]
    words = {w.strip().lower() for entry in given for w in entry if w.strip()}
    words |= {c.strip().lower() for c in codes if c.strip()}
    if not words:
        return None
    if _names_any(words, names.national_names | names.national_codes):
        return Coverage("national")
    if _names_any(words, names.area_names | names.area_codes):
        return Coverage("area")
    named = tuple(sorted({x for name, x in localities.items() if any(
        re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", word) for word in words)}))
    if named:
        return Coverage("locality", named)
    shown = ", ".join(sorted({w.strip() for entry in given for w in entry[:1] if w.strip()}
                             | {c.strip() for c in codes if c.strip()}))[:120]
    return Coverage("outside", warning=f"Its service areas ({shown}) are outside this "
                    "partnership's area, so it is never shown as a local service.")


def _by_postcode(data: dict) -> Coverage | None:
    postcodes = _postcodes(data)
    if not postcodes:
        return None
    localities, unknown = set(), []
    for raw in postcodes:
        try:
            postcode = normalise_postcode(raw)
        except InvalidPostcode:
            unknown.append(raw)
            continue
        known = db.session.get(Postcode, postcode)
        if known is not None:
            localities.add(known.locality)
        elif _known_district(postcode_district(postcode)):
            unknown.append(postcode)
        else:
            return Coverage("outside", warning=f"It is at {postcode}, outside this "
                            "partnership's area, so it is never shown as a local service.")
    if localities:
        return Coverage("locality", tuple(sorted(localities)))
    return Coverage("unset", warning=f"The postcode {unknown[0]} is not in the area's postcode "
                    "list: say where the service is offered before publishing it.")


def coverage_of(data: dict, codes: tuple[str, ...], area: Area) -> Coverage:
    """The entry's coverage from its service areas, else its address."""
    found = _by_areas(data, codes, area) or _by_postcode(data)
    return found or Coverage("unset", warning="The source says nothing about where the service "
                             "is offered: say where before publishing it.")
