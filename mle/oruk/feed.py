"""Reading an Open Referral UK feed: the records of a file, each put into ORUK 3.0 shape and
checked against the ORUK 3.0 service schema and our own rules.

Feeds come as ORUK 3.0 records, or as the older v1-style list records (with Placecube `pc_*`
extensions) that many councils still publish.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mle.oruk.import_result import ImportFailed, RecordInvalid
from mle.oruk.schemas import errors as schema_errors

# v1-style fields with no ORUK 3.0 home: left out (see docs/open-referral.md).
V1_ONLY = ("deliverable_type", "attending_type", "attending_access",
           "pc_attendingAccess_additionalInfo", "pc_metadata", "pc_targetAudience")


def read_records(path: Path) -> list:
    """The records of a feed file: a JSON list, an ORUK page ({"contents": [...]}) or one
    service object."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except UnicodeDecodeError:
        raise ImportFailed(f"{path} is not a UTF-8 text file") from None
    except json.JSONDecodeError as error:
        raise ImportFailed(f"{path} is not JSON: {error.msg} at line {error.lineno}, "
                           f"column {error.colno}") from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, dict) and "id" in data:
        return [data]
    if isinstance(data, list):
        return data
    raise ImportFailed(f"{path} is JSON but not a list of services, an ORUK page of them, "
                       "or one service")


def is_v1(record: dict) -> bool:
    return any(key in record for key in V1_ONLY)


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _clean(value: Any) -> Any:
    """Drop empty strings and nulls throughout, so they are 'not given', as in ORUK 3.0."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if blank_to_none(v) is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def from_v1(record: dict) -> dict:
    """A v1-style list record in ORUK 3.0 shape: v1-only fields left out, organization.url
    is ORUK 3.0's organization.website, pc_metadata.date_modified becomes last_modified."""
    out = {k: v for k, v in record.items() if k not in V1_ONLY}
    modified = (record.get("pc_metadata") or {}).get("date_modified")
    if modified and "last_modified" not in out:
        out["last_modified"] = f"{modified}T00:00:00Z"
    organization = out.get("organization")
    if isinstance(organization, dict):
        organization = dict(organization)
        if "url" in organization and "website" not in organization:
            organization["website"] = organization.pop("url")
        else:
            organization.pop("url", None)
        out["organization"] = organization
    return out


def validate(record: Any) -> dict:
    """The record in ORUK 3.0 shape, or RecordInvalid with every reason."""
    if not isinstance(record, dict):
        raise RecordInvalid("not a JSON object")
    shaped = _clean(from_v1(record) if is_v1(record) else record)
    if isinstance(shaped.get("organization"), dict):
        shaped["organization"].setdefault("description", "")  # required, and may be empty
    for attribute in shaped.get("attributes") or ():
        if isinstance(attribute, dict) and isinstance(attribute.get("taxonomy_term"), dict):
            attribute["taxonomy_term"].setdefault("description", "")
    problems = schema_errors("service", shaped)
    if not (shaped.get("name") or "").strip():
        problems = ["name: the service has no name"] + [
            p for p in problems if p != "(record): 'name' is a required property"]
    organization = shaped.get("organization")
    organization = organization if isinstance(organization, dict) else None
    if not ((organization or {}).get("id") or shaped.get("organization_id")):
        problems.append("organization: no organization is given, and every service here "
                        "belongs to one")
    elif organization is not None and not (organization.get("name") or "").strip():
        problems.append("organization/name: the organization has no name")
    if problems:
        raise RecordInvalid("; ".join(problems[:5]))
    return shaped
