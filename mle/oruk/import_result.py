"""How an import refuses a file or a record."""

from __future__ import annotations


class ImportFailed(Exception):
    """The file cannot be imported at all: nothing was changed."""


class RecordInvalid(Exception):
    """One record cannot be imported; the reason is written for the person running it."""
