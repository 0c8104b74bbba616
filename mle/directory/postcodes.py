"""UK postcodes: validate and normalise. Pure: no database."""

from __future__ import annotations

import re

# Outward code (area, district) and inward code (sector digit, unit letters), per the
# Royal Mail format rules; inward letters never include C, I, K, M, O or V.
_POSTCODE = re.compile(
    r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$")

# Postcode areas wholly or mostly in Scotland (TD and DG cross the border only a little).
SCOTTISH_AREAS = frozenset(
    {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"})


class InvalidPostcode(ValueError):
    pass


def normalise_postcode(text: str) -> str:
    """'ml1  1aa' -> 'ML1 1AA'; raise InvalidPostcode for anything that is not a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidPostcode(text)
    return f"{match['outward']} {match['inward']}"


def postcode_area(postcode: str) -> str:
    return re.match(r"[A-Z]+", postcode).group(0)


def postcode_district(postcode: str) -> str:
    return postcode.split(" ")[0]


def postcode_sector(postcode: str) -> str:
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}"


def is_scottish(postcode: str) -> bool:
    return postcode_area(postcode) in SCOTTISH_AREAS
