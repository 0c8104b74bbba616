"""What a postcode outside the area's postcode file is: one that cannot exist, or a real one
somewhere else. The file lists only this area's postcodes, so a district it does not hold is
judged by the postcode areas of the UK and, for the areas this one lies in, the districts that
exist in them (area.yaml `geography.postcode_districts`). Pure: no database."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping

# Every UK postcode area, with the Channel Islands and the Isle of Man.
UK_POSTCODE_AREAS = frozenset(re.findall(r"[A-Z]+", """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC
EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS
LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP
SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"""))
_DISTRICT = re.compile(r"^(?P<area>[A-Z]{1,2})(?P<number>[0-9]{1,2})[A-Z]?$")


class PlaceProblem(enum.Enum):
    UNKNOWN_POSTCODE = "unknown-postcode"  # shaped like a postcode, but no such postcode
    OUTSIDE_AREA = "outside-area"  # a real postcode area or district, not ours
    NOT_RECOGNISED = "not-recognised"  # neither a place we know nor a postcode


def _listed(district: str, highest_district: Mapping[str, int]) -> bool | None:
    """Whether the district is among those listed for its postcode area; None when its area's
    districts are not listed (or it is no district at all)."""
    found = _DISTRICT.match(district)
    if found is None or found["area"] not in highest_district:
        return None
    return 1 <= int(found["number"]) <= highest_district[found["area"]]


def is_listed_district(district: str, highest_district: Mapping[str, int]) -> bool:
    """Whether the district is known to exist: "ML11" does, so it is never read as the
    sector "ML1 1"."""
    return _listed(district, highest_district) is True


def district_problem(district: str, highest_district: Mapping[str, int]) -> PlaceProblem:
    """For a district ("ML99", "G1", "ZZ1") that holds none of the area's postcodes: whether
    it cannot exist (an unknown postcode area, or a number past the last district of an area
    whose districts are known) or is a real district elsewhere."""
    found = _DISTRICT.match(district)
    if found is None or found["area"] not in UK_POSTCODE_AREAS \
            or _listed(district, highest_district) is False:
        return PlaceProblem.UNKNOWN_POSTCODE
    return PlaceProblem.OUTSIDE_AREA
