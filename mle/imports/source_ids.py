"""Ids for the ORUK objects a reader builds from a source's own ids: the same source record
always gives the same UUIDs, so a monthly re-sync finds the entries it made before."""

from __future__ import annotations

import re
import uuid

SOURCES_NAMESPACE = uuid.UUID("e2a69de3-4c9f-4f5e-9e67-6eef7e24cb63")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")


def stable_id(*parts: str) -> str:
    """A UUID made from the parts: stable_id('care-inspectorate', 'service', 'CS2004071319')."""
    return str(uuid.uuid5(SOURCES_NAMESPACE, "/".join(parts)))


def source_uuid(value: object, *parts: str) -> str:
    """The source's own id when it is already a UUID (ALISS), otherwise one made from it."""
    if isinstance(value, str) and _UUID.match(value.strip()):
        return value.strip().lower()
    return stable_id(*parts, str(value))
