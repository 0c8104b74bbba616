"""Which web addresses the service will show as links or serve in its API.

Editors and imported feeds supply addresses; a `javascript:` or `data:` address, one with
credentials in it, or one a browser would read differently from us (spaces, backslashes,
control characters) must never reach a page's href or an API consumer.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LENGTH = 2048
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?")
_UNSAFE_CHARACTERS = re.compile(r"[\s\\\x00-\x1f\x7f]")


def is_safe_web_address(value: object) -> bool:
    """True for an http:// or https:// address with a proper host name and nothing else."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return False
    if _UNSAFE_CHARACTERS.search(value):
        return False
    try:
        parts = urlsplit(value)
        if parts.port == 0:
            return False
    except ValueError:  # a port that is not a number from 1 to 65535, a broken [host]
        return False
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return False
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return bool(_HOST.fullmatch(host))
