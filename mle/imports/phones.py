"""UK phone numbers as sources write them, put into the usual spacing.

A number is never made up or changed beyond its spacing and an international +44 prefix: one
that cannot be read as a single UK number is kept exactly as the source gave it, with a
warning for an editor. Pure: no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s\-.()/]")


@dataclass(frozen=True)
class ReadPhone:
    number: str | None  # None when the source gave none
    warning: str = ""  # what was repaired or needs checking, in plain words


def _spaced(digits: str) -> str:
    """An 11-digit UK number (0 then 10 digits) in the spacing Ofcom's numbering plan uses."""
    if digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith("01") and (digits[3] == "1" or digits[2] == "1"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"  # 0141, 0131, 0121 ... and 011x
    if digits.startswith(("01", "07")):
        return f"{digits[:5]} {digits[5:]}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"  # 03xx, 05x, 08xx, 09xx


def read_uk_phone(text: str | None) -> ReadPhone:
    """The number in its usual spacing, or as given with a warning when it is not one UK
    number; blank gives no number."""
    given = " ".join((text or "").split())
    if not given:
        return ReadPhone(None)
    compact = _SEPARATORS.sub("", given)
    warning = ""
    for prefix in ("+44", "0044"):
        if compact.startswith(prefix):
            rest = compact[len(prefix):]
            rest = rest[1:] if rest.startswith("0") else rest  # +44 (0)1236 ...
            compact = "0" + rest
            warning = (f"The phone number {given} was written in international form (+44); "
                       "it is shown as a UK number.")
    if compact.isdigit() and len(compact) == 11 and compact.startswith("0"):
        return ReadPhone(_spaced(compact), warning)
    if compact.isdigit() and len(compact) == 10 and compact.startswith(("0800", "0808")):
        return ReadPhone(f"{compact[:4]} {compact[4:]}", warning)
    return ReadPhone(given, f"The phone number {given} could not be read as one UK phone "
                            "number; it is kept as given: check it.")
