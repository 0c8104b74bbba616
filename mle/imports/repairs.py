"""Repairs made to a source's record rather than rejecting it, each with a warning in plain
words for the import run: a web address without "https://" gets it, an email address written
as a "mailto:" link loses the prefix, and a web address that cannot be a link is left out."""

from __future__ import annotations

import re
from typing import Any

# ORUK fields holding web addresses (as mle.oruk.serialise publishes them).
WEB_ADDRESS_FIELDS = frozenset({"url", "website", "logo", "uri", "term_uri", "schedule_link"})
LONGEST_WEB_ADDRESS = 2000  # the columns' length: longer ones are left out with a warning
_BARE_DOMAIN = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+([/?#].*)?$", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def repair_web_address(value: str) -> tuple[str | None, str | None]:
    """(the address to keep or None, a warning or None)."""
    address = value.strip()
    if not address:
        return None, None
    if len(address) > LONGEST_WEB_ADDRESS:
        return None, (f"A web address {len(address)} characters long was left out: addresses "
                      f"longer than {LONGEST_WEB_ADDRESS} cannot be stored.")
    if address.lower().startswith(("http://", "https://")):
        if " " in address:
            return (address.replace(" ", "%20"),
                    f"Spaces in the web address {address[:80]!r} were encoded.")
        return address, None
    if address.startswith("//"):
        return "https:" + address, f"The web address {address[:80]!r} was given \"https:\"."
    if not _SCHEME.match(address) and " " not in address and _BARE_DOMAIN.match(address):
        return "https://" + address, (f"The web address {address[:80]!r} had no \"https://\" at "
                                      "the start; it was added.")
    return None, (f"{address[:80]!r} is not a web address a resident could open; it was left "
                  "out. Give an address starting with https://.")


def repair_email(value: str) -> tuple[str | None, str | None]:
    address = value.strip()
    if address.lower().startswith("mailto:"):
        return (address[7:].strip(),
                f"\"mailto:\" was taken off the email address {address[:80]!r}.")
    return address or None, None


def repair_record(record: Any) -> tuple[Any, list[str]]:
    """The record with its web and email addresses repaired, and a warning for each repair."""
    warnings: list[str] = []

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if isinstance(item, str) and key in WEB_ADDRESS_FIELDS:
                    item, warning = repair_web_address(item)
                elif isinstance(item, str) and key == "email":
                    item, warning = repair_email(item)
                else:
                    item, warning = walk(item), None
                if warning:
                    warnings.append(warning)
                if item is not None:
                    out[key] = item
            return out
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(record), warnings
