"""The gazetteer: place names from the area's intermediate zones, every town in it, and the
committed places.csv is what the documented command builds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mle.directory.gazetteer_build import build, names_of

GEOGRAPHY = Path(__file__).resolve().parents[2] / "directory" / "geography"


@pytest.fixture(scope="module")
def places() -> dict[str, dict]:
    return {row["place"]: row for row in
            build(GEOGRAPHY / "nl_postcodes_lat_long_dz2011_derived.csv")}


@pytest.mark.parametrize(("zone", "names"), [
    ("Kilsyth East and Croy", ["Kilsyth", "Croy"]),
    ("Chapelhall West", ["Chapelhall"]),
    ("Allanton - Newmains Rural", ["Allanton", "Newmains"]),
    ("Village and Castlecary", ["Cumbernauld Village", "Castlecary"]),
    ("Craigneuk Wishaw", ["Craigneuk Wishaw"]),
    ("Shotts", ["Shotts"])])
def test_names_of_a_zone(zone, names):
    assert names_of(zone) == names


@pytest.mark.parametrize(("place", "locality"), [
    ("Airdrie", "Airdrie"), ("Coatbridge", "Coatbridge"), ("Cumbernauld", "North"),
    ("Kilsyth", "North"), ("Motherwell", "Motherwell"), ("Wishaw", "Wishaw"),
    ("Shotts", "Wishaw"), ("Bellshill", "Bellshill"), ("Chapelhall", "Airdrie"),
    ("Moodiesburn", "North"), ("Harthill", "Airdrie"), ("Newmains", "Wishaw"),
    ("Viewpark", "Bellshill"), ("Stepps", "North"), ("Caldercruix", "Airdrie")])
def test_every_town_and_village_has_a_locality_and_a_centre_in_the_area(places, place,
                                                                           locality):
    row = places[place]
    assert row["hscp_locality"] == locality
    assert 55.7 < row["latitude"] < 56.0 and -4.2 < row["longitude"] < -3.7


def test_a_town_is_the_sum_of_its_zones(places):
    assert places["Cumbernauld"]["postcodes"] > places["Cumbernauld Central"]["postcodes"]
    assert "Kilsyth Bogside" in places["Kilsyth"]["intermediate_zones"]


def test_the_committed_file_is_what_the_command_builds(places):
    with (GEOGRAPHY / "places.csv").open(newline="", encoding="utf-8") as handle:
        committed = {row["place"]: row for row in csv.DictReader(handle)}
    assert committed == {name: {k: str(v) for k, v in row.items()}
                         for name, row in places.items()}
