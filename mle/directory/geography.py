"""Postcode -> locality and SIMD quintile, from the postcode table loaded from the area's files."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select

from mle.area import Area
from mle.database import db
from mle.directory.postcodes import postcode_district, postcode_sector
from mle.models import Postcode


@dataclass(frozen=True)
class PlaceFound:
    locality: str | None  # locality id; None when outside the area
    simd_quintile: int | None
    in_area: bool
    approximate: bool  # the postcode itself is unknown; a neighbour in its sector was used
    centroid: tuple[float, float] | None = None  # (latitude, longitude), for distances


def _nearest_in(condition, postcode: str) -> Postcode | None:
    after = db.session.scalar(select(Postcode).where(condition, Postcode.postcode >= postcode)
                              .order_by(Postcode.postcode).limit(1))
    if after is not None:
        return after
    return db.session.scalar(select(Postcode).where(condition, Postcode.postcode < postcode)
                             .order_by(Postcode.postcode.desc()).limit(1))


def _neighbour(postcode: str) -> Postcode | None:
    """The known postcode next in order within the same sector, failing that the district."""
    return (_nearest_in(Postcode.sector == postcode_sector(postcode), postcode)
            or _nearest_in(Postcode.postcode.startswith(postcode_district(postcode) + " "),
                           postcode))


def find_place(postcode: str) -> PlaceFound:
    """Where a normalised postcode is, as far as the area's files can tell."""
    known = db.session.get(Postcode, postcode)
    approximate = False
    if known is None:
        known, approximate = _neighbour(postcode), True
    if known is None:
        return PlaceFound(None, None, in_area=False, approximate=False)
    return PlaceFound(known.locality, known.simd_quintile, in_area=True, approximate=approximate,
                      centroid=(known.latitude, known.longitude))


def load_postcodes(area: Area) -> int:
    """Replace the postcode table with the area's postcode file; return the rows loaded."""
    by_source_name = {loc.source_name: loc.id for loc in area.localities.values()}
    rows = []
    with Path(area.postcodes_file).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append({
                "postcode": row["postcode"],
                "sector": postcode_sector(row["postcode"]),
                "data_zone": row["DataZone"],
                "locality": by_source_name[row["hscp_locality"]],
                "simd_quintile": int(row["SIMD2020V2CountryQuintile"]),
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
            })
    db.session.execute(delete(Postcode))
    db.session.execute(Postcode.__table__.insert(), rows)
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Postcode))
