"""Numbers kept left to right inside right-to-left text, with Unicode isolates (LRI ... PDI),
for text that has no markup to carry `<bdi dir="ltr">`: plain-text emails, and numbers written
inside translated sentences ("call NHS 24 on 111"). Without them a phone number in groups,
"116 123", reads "123 116" in Urdu. Pure: no Flask."""

from __future__ import annotations

import re

LRI, PDI = "\u2066", "\u2069"
# Two or more groups of digits with single spaces between, such as "0800 83 85 87".
_GROUPED_NUMBER = re.compile(r"(?<![\d\u2066])\d+(?: \d+)+(?![\d\u2069])")


def isolate(value: object) -> str:
    """A whole value (a phone number, a postcode, a reference, a link) kept left to right."""
    text = "" if value is None else str(value)
    return f"{LRI}{text}{PDI}" if text else ""


def isolate_numbers(text: str) -> str:
    """Every number written in groups inside a sentence kept left to right."""
    return _GROUPED_NUMBER.sub(lambda m: isolate(m.group(0)), text)
