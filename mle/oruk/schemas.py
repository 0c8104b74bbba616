"""Validate ORUK records against the ORUK 3.0 JSON schemas kept in mle/oruk/schemas/.

The schemas refer to each other by file name ("$ref": "location.json"), so they are loaded
into one registry under a common base. Formats are checked: uuid and email by jsonschema,
uri and date-time by the small checks below (jsonschema leaves them unchecked unless extra
packages are installed).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "schemas"
BASE = "https://schemas.invalid/oruk/3.0/"  # a local base for the schemas' relative refs
OBJECTS = ("accessibility", "address", "attribute", "contact", "cost_option", "funding",
           "language", "location", "organization", "organization_identifier", "phone",
           "schedule", "service", "service_area", "service_at_location", "taxonomy",
           "taxonomy_term")

format_checker = FormatChecker()


@format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("mailto", "tel", "urn"))


@format_checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if isinstance(value, str):
        if "T" not in value.upper():
            raise ValueError("not a date and time")
        datetime.fromisoformat(value)
    return True


def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text("utf-8"))


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (BASE + f"{name}.json",
         Resource.from_contents(load_schema(name), default_specification=DRAFT202012))
        for name in OBJECTS)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one ORUK object ('service', 'taxonomy_term' ...), formats checked."""
    return Draft202012Validator({"$ref": BASE + f"{name}.json"}, registry=_registry(),
                                format_checker=format_checker)


def errors(name: str, record: object) -> list[str]:
    """Every way the record breaks the schema, as 'path: message', best first."""
    found = sorted(validator(name).iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(record)'}: {e.message}"
            for e in found]
