"""An entry's fields in the groups a source can own, each compared and written whole.

Each group is hashed twice: as the source gives it (to see whether the source changed it) and
as the entry holds it (to see whether an editor changed it since the import wrote it). Ids are
left out of both, so rows written again under new ids are not a change.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from mle.database import db
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY, ELIGIBILITY_TERMS, NEEDS_TAXONOMY
from mle.imports.coverage import Coverage
from mle.imports.source_ids import stable_id
from mle.models import Attribute, Service, ServiceArea
from mle.oruk import serialise
from mle.oruk.columns import SERVICE_FIELDS, column_values
from mle.oruk.ids import oruk_id
from mle.oruk.record_rows import (
    ImportRun,
    attribute_row,
    contact_row,
    cost_option_row,
    funding_row,
    language_row,
    organization_of,
    schedule_rows,
    service_area_row,
    service_at_location_row,
)
from mle.site import site

OUR_TAXONOMIES = (NEEDS_TAXONOMY, ELIGIBILITY_TAXONOMY)
_IDS = frozenset({"id", "service_id", "organization_id", "location_id", "contact_id",
                  "link_id", "service_at_location_id", "taxonomy_term_id", "taxonomy_id",
                  "parent_id", "phone_id", "last_modified"})

# Group -> the ORUK keys it holds. "area" also holds our coverage and localities.
GROUPS: dict[str, tuple[str, ...]] = {
    "organization": ("organization",),
    "name": ("name",),
    "description": ("description",),
    "url": ("url",),
    "email": ("email",),
    "status": ("status",),
    "ages": ("minimum_age", "maximum_age"),
    "fees": ("fees", "cost_options"),
    "accreditations": ("accreditations",),
    "alert": ("alert",),
    "assurance": ("assured_date", "assurer_email"),
    "phones": ("contacts",),
    "opening_hours": ("schedules",),
    "languages": ("languages",),
    "location": ("service_at_locations",),
    "area": ("service_areas",),
    "terms": ("attributes",),
    "funding": ("funding",),
}


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())
                if k not in _IDS and v not in (None, "", [], {})}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, default=str))
    return value


def _hash(value: Any) -> str:
    text = json.dumps(_canonical(value), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def our_term_ids() -> frozenset[str]:
    """Our needs and eligibility terms, by our ids and by the ids we publish them under."""
    return _published_too(frozenset(site().area.needs)
                          | {term for term, _ in ELIGIBILITY_TERMS.values()})


@functools.cache
def _published_too(ours: frozenset[str]) -> frozenset[str]:
    return ours | {oruk_id("taxonomy_term", t) for t in ours}


@functools.cache
def _our_taxonomy_ids() -> frozenset[str]:
    return frozenset(OUR_TAXONOMIES) | {oruk_id("taxonomy", t) for t in OUR_TAXONOMIES}


def term_id_of(attribute: dict) -> str | None:
    return attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get("id")


def _feed_terms(attributes: list) -> list:
    """The source's own terms: our needs and eligibility come from editors, never a feed."""
    ours, taxonomies = our_term_ids(), _our_taxonomy_ids()
    return [a for a in attributes or () if isinstance(a, dict)
            and (a.get("taxonomy_term") or {}).get("taxonomy_id") not in taxonomies
            and term_id_of(a) not in ours]


def record_hash(record) -> str:
    """The whole record as its source gave it, with what the source suggests about it."""
    return _hash({"data": record.data, "needs": list(record.suggested_needs),
                  "eligibility": list(record.suggested_eligibility),
                  "codes": list(record.area_codes), "checked": record.review_date})


def source_hashes(data: dict, coverage: Coverage) -> dict[str, str]:
    """Each group as the source gives it."""
    out = {}
    for group, keys in GROUPS.items():
        value = {key: data.get(key) for key in keys}
        if group == "terms":
            value = {"attributes": _feed_terms(data.get("attributes"))}
        if group == "area":
            value["coverage"] = [coverage.coverage, list(coverage.localities)]
        out[group] = _hash(value)
    return out


def entry_hashes(service: Service) -> dict[str, str]:
    """Each group as the entry holds it now."""
    full = serialise.service_full(service)
    out = {}
    for group, keys in GROUPS.items():
        value = {key: full.get(key) for key in keys}
        if group == "organization":
            value = {"organization": service.organization.name if service.organization else ""}
        if group == "terms":
            value = {"attributes": [a for a in full["attributes"]
                                    if a["taxonomy_term"].get("taxonomy_id")
                                    not in _our_taxonomy_ids()]}
        if group == "area":
            value["coverage"] = [service.coverage, sorted(service.localities)]
        out[group] = _hash(value)
    return out


def _replace(service: Service, children: str, rows: list) -> None:
    if getattr(service, children):
        getattr(service, children).clear()
        db.session.flush()  # so rows written again under the same ids never clash
    setattr(service, children, rows)


def _write_scalars(names: tuple[str, ...]) -> Callable:
    def write(service: Service, data: dict, run: ImportRun, coverage: Coverage) -> None:
        values = column_values(Service, data, [n for n in SERVICE_FIELDS if n in names], "")
        for name, value in values.items():
            setattr(service, name, value)
        if "description" in names:
            service.description = service.description or ""
        if "status" in names:
            service.status = service.status or "active"
    return write


def _write_area(service: Service, data: dict, run: ImportRun, coverage: Coverage) -> None:
    names = {x.id: x.name for x in site().area.localities.values()}
    rows = [service_area_row(a, None) for a in data.get("service_areas", ())]
    by_name = {x.name.lower(): x.id for x in site().area.localities.values()}
    for row in rows:
        row.locality = by_name.get((row.name or "").lower())
    placed = {row.locality for row in rows if row.locality}
    rows += [ServiceArea(id=stable_id(service.id, "locality", x), locality=x,
                         name=names.get(x, x))
             for x in coverage.localities if x not in placed]
    _replace(service, "service_areas", rows)
    service.coverage = coverage.coverage


def _write_terms(service: Service, data: dict, run: ImportRun, coverage: Coverage) -> None:
    ours = [a for a in service.attributes if _is_ours(a)]
    theirs = [attribute_row(a, service.id, run) for a in _feed_terms(data.get("attributes"))]
    _replace(service, "attributes", ours)
    service.attributes.extend(theirs)


def _is_ours(attribute: Attribute) -> bool:
    term = attribute.taxonomy_term
    return term is not None and term.taxonomy_id in OUR_TAXONOMIES


def _writer(children: str, make: Callable) -> Callable:
    def write(service: Service, data: dict, run: ImportRun, coverage: Coverage) -> None:
        _replace(service, children, make(data, run))
    return write


WRITERS: dict[str, Callable] = {
    "organization": lambda service, data, run, coverage: setattr(
        service, "organization", organization_of(data, run)),
    "name": _write_scalars(("name",)),
    "description": _write_scalars(("description",)),
    "url": _write_scalars(("url",)),
    "email": _write_scalars(("email",)),
    "status": _write_scalars(("status",)),
    "ages": _write_scalars(("minimum_age", "maximum_age")),
    "accreditations": _write_scalars(("accreditations",)),
    "alert": _write_scalars(("alert",)),
    "assurance": _write_scalars(("assured_date", "assurer_email")),
    "fees": lambda service, data, run, coverage: (
        _write_scalars(("fees",))(service, data, run, coverage),
        _replace(service, "cost_options", [cost_option_row(c)
                                           for c in data.get("cost_options", ())])),
    "phones": _writer("contacts", lambda data, run: [contact_row(c)
                                                     for c in data.get("contacts", ())]),
    "opening_hours": _writer("schedules",
                             lambda data, run: schedule_rows(data.get("schedules", ()))),
    "languages": _writer("languages", lambda data, run: [language_row(x)
                                                         for x in data.get("languages", ())]),
    "location": _writer("service_at_locations",
                        lambda data, run: [service_at_location_row(s, run)
                                           for s in data.get("service_at_locations", ())]),
    "area": _write_area,
    "terms": _write_terms,
    "funding": _writer("funding", lambda data, run: [funding_row(f)
                                                     for f in data.get("funding", ())]),
}
assert set(WRITERS) == set(GROUPS)
