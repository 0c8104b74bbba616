"""Common and breached passwords, refused as new staff passwords. The list and where it comes
from: COMMON-PASSWORDS.md beside this file."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

LIST = Path(__file__).with_name("common-passwords.txt.gz")


@functools.cache
def _common_passwords() -> frozenset[str]:
    # Read once per process, on first use (about 20,000 short lines).
    with gzip.open(LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common_password(password: str) -> bool:
    """True when the password, ignoring case and surrounding spaces, is on the list."""
    return password.strip().lower() in _common_passwords()
