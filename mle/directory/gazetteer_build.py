"""Build directory/geography/places.csv, the gazetteer of towns, villages and
neighbourhoods, from the area's postcode file:

    .venv/bin/python -m mle.directory.gazetteer_build [directory]

Place names come from the 2011 intermediate zone names the postcode file carries ("Kilsyth
East and Croy" gives Kilsyth and Croy; "Chapelhall West" gives Chapelhall), plus the towns in
TOWNS, which are made of several zones named after their neighbourhoods. A place's centre is
the mean of its postcodes' centroids and its locality is the locality most of its postcodes
are in. See directory/geography/SOURCE.md for how approximate that is.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DIRECTIONS = re.compile(r"\s+(North|South|East|West|Central|Rural)$")
# Towns whose intermediate zones are named after their neighbourhoods, not the town.
TOWNS = {
    "Cumbernauld": ["Abronhill North", "Abronhill South", "Balloch East", "Balloch West",
                    "Carrickstone", "Condorrat", "Cumbernauld Central", "Greenfaulds",
                    "Kildrum", "Seafar", "Westfield", "Village and Castlecary"],
    "Coatbridge": ["Coatbridge West", "Coatdyke and Whinhall", "Drumpellier and Langloan",
                   "Dundyvan", "Kirkshaws", "Shawhead and Whifflet", "Sunnyside and Cliftonville",
                   "Cliftonville", "Townhead", "Greenend and Carnbroe"],
    "Airdrie": ["Airdrie North", "Cairnhill", "Craigneuk Airdrie", "Drumgelloch", "Gartlea",
                "Petersburn", "Thrashbush"],
    "Motherwell": ["Motherwell North", "Motherwell South", "Motherwell West", "Forgewood",
                   "Muirhouse", "Ladywell"],
    "Wishaw": ["Wishaw East", "Wishaw North", "Wishaw South", "Craigneuk Wishaw", "Coltness",
               "Pather"],
    "Kilsyth": ["Kilsyth Bogside", "Kilsyth East and Croy"],
}
ALIASES = {"Village": "Cumbernauld Village"}


def names_of(zone: str) -> list[str]:
    """Place names an intermediate zone name holds."""
    names = []
    for part in re.split(r"\s+and\s+|\s+-\s+", zone):
        part = DIRECTIONS.sub("", part.strip())
        part = DIRECTIONS.sub("", part)  # "Allanton - Newmains Rural"
        if part:
            names.append(ALIASES.get(part, part))
    return names


def build(postcode_file: Path) -> list[dict]:
    zones: dict[str, list[dict]] = defaultdict(list)
    with postcode_file.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            zones[row["IntZoneName"]].append(row)
    places: dict[str, set[str]] = defaultdict(set)
    for zone in zones:
        places[zone].add(zone)
        for name in names_of(zone):
            places[name].add(zone)
    for town, parts in TOWNS.items():
        places[town].update(p for p in parts if p in zones)
    rows = []
    for name, in_zones in sorted(places.items()):
        postcodes = [row for zone in in_zones for row in zones[zone]]
        locality, _n = Counter(r["hscp_locality"] for r in postcodes).most_common(1)[0]
        rows.append({
            "place": name,
            "hscp_locality": locality,
            "latitude": round(sum(float(r["latitude"]) for r in postcodes) / len(postcodes), 5),
            "longitude": round(sum(float(r["longitude"]) for r in postcodes) / len(postcodes), 5),
            "postcodes": len(postcodes),
            "intermediate_zones": "; ".join(sorted(in_zones)),
        })
    return rows


def main(directory: str = "directory") -> None:
    geography = Path(directory) / "geography"
    rows = build(geography / "nl_postcodes_lat_long_dz2011_derived.csv")
    with (geography / "places.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} places written to {geography / 'places.csv'}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
