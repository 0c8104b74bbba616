"""Where a person says they are: a local area, a town, village or neighbourhood
(directory/geography/places.csv, see its SOURCE.md), or a full or partial postcode ("ML1",
"ML6 7", "ml6 7aa"), in any case and spacing. Nothing said is kept."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select

from mle.area import Area
from mle.database import db
from mle.directory.geography import find_place
from mle.directory.postcode_districts import (
    PlaceProblem,
    district_problem,
    is_listed_district,
)
from mle.directory.postcodes import normalise_postcode
from mle.directory.search_terms import words_of
from mle.models import Postcode

MAX_PLACE_CHARS = 40
_DISTRICT = re.compile(r"^(?P<area>[A-Z]{1,2})[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^(?P<district>[A-Z]{1,2}[0-9][A-Z0-9]?) ?(?P<digit>[0-9])$")


@dataclass(frozen=True)
class Place:
    name: str  # as the person may be shown it: "Kilsyth", "ML6 7", "ML6 7AA"
    locality: str | None  # locality id, or None for the whole area
    centroid: tuple[float, float] | None = None
    approximate: bool = False  # a partial or unknown postcode, placed by its neighbours


@dataclass(frozen=True)
class PlaceAnswer:
    place: Place | None = None  # None: no place given, or a problem
    problem: PlaceProblem | None = None
    said: str = ""  # what the person typed, tidied, for the message

    @property
    def in_area(self) -> bool:
        return self.problem is not PlaceProblem.OUTSIDE_AREA


def _key(text: str) -> str:
    return " ".join(words_of(text))


@lru_cache(maxsize=4)
def _places(path: Path, localities: tuple[tuple[str, str], ...]) -> dict[str, Place]:
    by_source = dict(localities)
    places = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            places[_key(row["place"])] = Place(
                row["place"], by_source.get(row["hscp_locality"]),
                (float(row["latitude"]), float(row["longitude"])))
    return places


def gazetteer(area: Area) -> dict[str, Place]:
    """Place name (lower case words) -> place, from places.csv beside the postcode file."""
    localities = tuple((loc.source_name, loc.id) for loc in area.localities.values())
    return _places(Path(area.postcodes_file).parent / "places.csv", localities)


def place_words(area: Area, text: str) -> tuple[Place | None, tuple[str, ...]]:
    """A place the words of a search name (the longest run of words that is a place name),
    and those words."""
    words = words_of(text)
    places = gazetteer(area)
    for size in range(min(3, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found = places.get(" ".join(words[start:start + size]))
            if found is not None:
                return found, tuple(words[start:start + size])
    return None, ()


def _postcodes_in(condition, name: str) -> Place | None:
    rows = db.session.execute(
        select(Postcode.locality, func.count(), func.avg(Postcode.latitude),
               func.avg(Postcode.longitude)).where(condition).group_by(Postcode.locality)).all()
    if not rows:
        return None
    total = sum(n for _l, n, _a, _b in rows)
    latitude = sum(lat * n for _l, n, lat, _b in rows) / total
    longitude = sum(lon * n for _l, n, _a, lon in rows) / total
    locality = max(rows, key=lambda r: r[1])[0]
    return Place(name, locality, (latitude, longitude), approximate=True)


def _district_known(district: str) -> bool:
    return db.session.scalar(select(Postcode.postcode).where(
        Postcode.postcode.startswith(district + " ")).limit(1)) is not None


def _not_ours(area: Area, district: str, said: str) -> PlaceAnswer:
    return PlaceAnswer(problem=district_problem(district, area.highest_postcode_district),
                       said=said)


def _full_postcode(area: Area, postcode: str) -> PlaceAnswer:
    district, sector = postcode.split(" ")[0], postcode[:-2]
    known = db.session.get(Postcode, postcode)
    if known is None and db.session.scalar(select(Postcode.postcode).where(
            Postcode.sector == sector).limit(1)) is None:
        if _district_known(district):
            return PlaceAnswer(problem=PlaceProblem.UNKNOWN_POSTCODE, said=postcode)
        return _not_ours(area, district, postcode)
    found = find_place(postcode)
    return PlaceAnswer(Place(postcode, found.locality, found.centroid, found.approximate),
                       said=postcode)


def _partial_postcode(area: Area, compact: str, spaced: bool) -> PlaceAnswer | None:
    """A district ("ML1") or sector ("ML6 7"); "ML67" is whichever of the two is known (the
    sector, when typed with a space), but "ML11" is the real district ML11 (Lanark), never the
    sector ML1 1. None when it is neither shape."""
    readings = []
    if _DISTRICT.match(compact):
        readings.append((compact, Postcode.postcode.startswith(compact + " ")))
    listed = is_listed_district(compact, area.highest_postcode_district)
    if (sector := _SECTOR.match(compact)) and (spaced or not listed):
        name = f"{sector['district']} {sector['digit']}"
        readings.insert(len(readings) if not spaced else 0, (name, Postcode.sector == name))
    if not readings:
        return None
    for name, condition in readings:
        if found := _postcodes_in(condition, name):
            return PlaceAnswer(found, said=name)
    name = readings[0][0]
    district = name.split(" ")[0]
    if " " in name and _district_known(district):
        return PlaceAnswer(problem=PlaceProblem.UNKNOWN_POSTCODE, said=name)
    return _not_ours(area, district, name)


def resolve(area: Area, text: str) -> PlaceAnswer:
    """What a place box holds: nothing, a place, or a problem to tell the person about."""
    said = " ".join((text or "").split())[:MAX_PLACE_CHARS]
    if not said:
        return PlaceAnswer()
    named = gazetteer(area).get(_key(said))
    if named is not None:
        return PlaceAnswer(named, said=said)
    if said.lower() in area.localities:
        return PlaceAnswer(Place(area.localities[said.lower()].name, said.lower()), said=said)
    by_name = {_key(loc.name): loc for loc in area.localities.values()}
    if _key(said) in by_name:
        locality = by_name[_key(said)]
        return PlaceAnswer(Place(locality.name, locality.id), said=said)
    compact = re.sub(r"\s+", "", said).upper()
    partial = _partial_postcode(area, compact, spaced=" " in said.strip())
    if partial is not None:
        return partial
    try:
        return _full_postcode(area, normalise_postcode(compact))
    except ValueError:
        return PlaceAnswer(problem=PlaceProblem.NOT_RECOGNISED, said=said)

