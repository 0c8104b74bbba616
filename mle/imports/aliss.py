"""ALISS (A Local Information System for Scotland) read into SourceRecords: API v4 JSON (the
response envelope with its `data`, a list of services, one service, or a list of saved pages)
or the CSV export of the API (one row per service location), each service in ORUK 3.0 shape.

Categories suggest needs and the service area codes are kept as given (2018 GSS codes in
older data), both through directory/sources/aliss.yaml. ALISS has no opening hours. Pure: no
database.
"""

from __future__ import annotations

import ast
import csv
import html
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mle.directory.postcodes import InvalidPostcode, normalise_postcode
from mle.imports.mapping_files import (
    DIRECTORY,
    SOURCES,
    MappingInvalid,
    checked_needs,
    known_needs,
    load_yaml,
)
from mle.imports.phones import read_uk_phone
from mle.imports.records import RejectedRecord, SourceFeed, SourceRecord
from mle.imports.repairs import repair_email, repair_web_address
from mle.imports.source_ids import source_uuid, stable_id
from mle.oruk.import_result import ImportFailed

SOURCE = "aliss"
LABEL = "ALISS"
ALISS_MAPPING = SOURCES / "aliss.yaml"
ATTRIBUTION = ("Contains information from ALISS (www.aliss.org), the Health and Social Care "
               "Alliance Scotland, licensed under CC BY 4.0")
# Columns of the CSV export holding Python-style lists and dicts rather than JSON.
_LITERAL_COLUMNS = ("categories", "accessibility_features", "community_groups", "service_areas",
                    "organisation")
# The persistent URI of a GSS code (statistics.data.gov.uk), as ORUK's service_area.uri.
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
_LOCATION_COLUMNS = ("id", "formatted_address", "name", "description", "street_address",
                     "locality", "region", "state", "postal_code", "country", "latitude",
                     "longitude")


@dataclass(frozen=True)
class AreaCode:
    code: str  # as ALISS gives it
    current: str  # the GSS code in use now
    name: str
    type: str


@dataclass(frozen=True)
class AlissMapping:
    feed: str  # the feed entries leave from: 'aliss:north-lanarkshire'
    categories: dict[str, tuple[str, ...]]  # category slug -> need ids
    renamed_categories: dict[str, str]  # a slug older ALISS data uses -> the current slug
    area_codes: tuple[AreaCode, ...]  # this area's codes in ALISS, with the current ones

    def needs_of(self, slugs: list[str]) -> tuple[str, ...]:
        found: list[str] = []
        for slug in slugs:
            for need in self.categories.get(self.renamed_categories.get(slug, slug), ()):
                if need not in found:
                    found.append(need)
        return tuple(found)

    @property
    def current_codes(self) -> dict[str, str]:
        """2018 code -> current code, for this area."""
        return {a.code: a.current for a in self.area_codes}


def load_aliss_mapping(path: Path = ALISS_MAPPING, directory: Path = DIRECTORY) -> AlissMapping:
    """The mapping table, checked: every need id is in directory/needs.yaml."""
    data = load_yaml(path)
    known = known_needs(directory)
    if not str(data.get("feed") or "").startswith(f"{SOURCE}:"):
        raise MappingInvalid(f"{path}: `feed:` names the feed, starting '{SOURCE}:'")
    raw_categories = data.get("categories") or {}
    if not isinstance(raw_categories, dict) or not raw_categories:
        raise MappingInvalid(f"{path}: `categories:` maps ALISS category slugs to need ids")
    categories = {str(slug): checked_needs(needs, known, f"{path}: categories.{slug}")
                  for slug, needs in raw_categories.items()}
    renamed = {str(k): str(v) for k, v in (data.get("renamed_categories") or {}).items()}
    codes = []
    for n, raw in enumerate(data.get("area_codes") or ()):
        if not isinstance(raw, dict) or not all(raw.get(k) for k in ("code", "current", "name",
                                                                        "type")):
            raise MappingInvalid(f"{path}: area_codes[{n}] needs a code, current, name and type")
        codes.append(AreaCode(str(raw["code"]), str(raw["current"]), str(raw["name"]),
                              str(raw["type"])))
    return AlissMapping(str(data["feed"]), categories, renamed, tuple(codes))


# Reading the file -------------------------------------------------------------------------

def _literal(value: str, column: str) -> Any:
    text = (value or "").strip()
    if not text:
        return [] if column != "organisation" else {}
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return json.loads(text)


def _services_from_csv(text: str, name: str) -> list[dict]:
    """The CSV export's rows, one per service location, put back together per service."""
    rows = list(csv.reader(text.splitlines(keepends=True)))
    if not rows or "id" not in rows[0] or "name" not in rows[0]:
        raise ImportFailed(f"{name} is not an ALISS export: it has no id and name columns")
    header = rows[0]
    second_id = header.index("id", 1) if header.count("id") > 1 else None
    services: dict[str, dict] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ImportFailed(f"{name}: row {number} has {len(row)} values where the header "
                               f"has {len(header)}; check it for a value that is not quoted")
        own = dict(zip(header[:second_id], row[:second_id], strict=True))
        location = ({k: v for k, v in zip(header[second_id:], row[second_id:], strict=True)}
                    if second_id else {k.removeprefix("location_"): v
                                       for k, v in own.items() if k.startswith("location_")})
        try:
            for column in _LITERAL_COLUMNS:
                if column in own:
                    own[column] = _literal(own[column], column)
        except (ValueError, SyntaxError):
            raise ImportFailed(f"{name}: row {number} has a {column} value that cannot be "
                               "read") from None
        service = services.setdefault(own["id"], {**own, "locations": []})
        if location.get("id") and all(x.get("id") != location["id"]
                                      for x in service["locations"]):
            service["locations"].append({k: location.get(k, "") for k in _LOCATION_COLUMNS})
    return list(services.values())


def _services_from_json(data: Any, name: str) -> tuple[list, bool]:
    """(the services, whether the file holds every page of the response)."""
    if isinstance(data, dict) and "data" in data:
        inner = data["data"]
        services = inner if isinstance(inner, list) else [inner]
        return services, not data.get("next")
    if isinstance(data, dict) and "id" in data:
        return [data], True
    if data and isinstance(data, list) and all(isinstance(x, dict) and "data" in x for x in data):
        services = [s for page in data for s in _services_from_json(page, name)[0]]
        return services, not data[-1].get("next")
    if isinstance(data, list):
        return data, True
    raise ImportFailed(f"{name} is JSON but not an ALISS response: expected its `data` list, a "
                       "list of services or one service")


def read_services(path: Path) -> tuple[list, bool]:
    """The services of an ALISS file, as dicts in the API's shape, and whether the file is
    complete (not one page of several)."""
    name = Path(path).name
    try:
        text = Path(path).read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(f"{name} is not a UTF-8 text file") from None
    except OSError as error:
        raise ImportFailed(f"{name} cannot be read: {error.strerror}") from None
    if text.lstrip()[:1] in ("{", "["):
        try:
            return _services_from_json(json.loads(text), name)
        except json.JSONDecodeError as error:
            raise ImportFailed(f"{name} is not JSON: {error.msg} at line {error.lineno}, "
                               f"column {error.colno}") from None
    return _services_from_csv(text, name), True


# One service ------------------------------------------------------------------------------

def _text(value: Any) -> str:
    return html.unescape(" ".join(str(value).split())) if value not in (None, "") else ""


def _paragraphs(value: Any) -> str:
    """The text with its paragraphs kept and the spacing within lines tidied."""
    lines = [" ".join(line.split()) for line in str(value or "").splitlines()]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return html.unescape("\n\n".join(paragraphs))


def _area_type(area: dict) -> str:
    return f"({_text(area['type'])})" if area.get("type") else ""


def _slugs(categories: Any) -> list[str]:
    """The categories the service chose (the export also lists their parents, not chosen)."""
    out = []
    for category in categories if isinstance(categories, list) else ():
        if isinstance(category, dict) and category.get("slug") and category.get("selected",
                                                                                 True):
            out.append(str(category["slug"]))
    return out


def _date(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _last_modified(value: Any) -> str | None:
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "Z"


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class _Unreadable(Exception):
    def __init__(self, reason: str, how_to_fix: str):
        super().__init__(reason)
        self.reason, self.how_to_fix = reason, how_to_fix


def _location(raw: dict, service: dict, warnings: list[str]) -> dict:
    location_id = source_uuid(raw.get("id"), SOURCE, "location", service["id"],
                              _text(raw.get("formatted_address")))
    location: dict = {"id": location_id, "location_type": "physical"}
    if _text(raw.get("name")):
        location["name"] = _text(raw["name"])
    for key in ("latitude", "longitude"):
        if _number(raw.get(key)) is not None:
            location[key] = _number(raw[key])
    features = [f for f in service.get("accessibility_features") or ()
                if isinstance(f, dict) and f.get("name")
                and f.get("location_id") in (None, raw.get("id"))]
    if features:
        location["accessibility"] = [
            {"id": stable_id(SOURCE, "accessibility", location_id, str(f.get("slug") or f["name"])),
             "description": _text(f["name"]),
             **({"details": _text(f["additional_info"])} if f.get("additional_info") else {})}
            for f in features]
    given = _text(raw.get("postal_code"))
    if not given:
        warnings.append(f"The place {_text(raw.get('formatted_address')) or location_id} has "
                        "no postcode, so it has no address here.")
        return location
    try:
        postcode = normalise_postcode(given)
    except InvalidPostcode:
        raise _Unreadable(f"The postcode '{given}' of one of its places is not a UK postcode.",
                          "Correct the postcode on ALISS (www.aliss.org), or add the entry "
                          "by hand.") from None
    street = _text(raw.get("street_address")) or _text(raw.get("name")) or \
        _text(raw.get("formatted_address")).split(",")[0]
    address = {
        "id": stable_id(SOURCE, "address", location_id), "address_1": street,
        "city": _text(raw.get("locality")), "region": _text(raw.get("region")),
        "state_province": _text(raw.get("state")) or "Scotland", "postal_code": postcode,
        "country": _text(raw.get("country")) or "GB", "address_type": "physical"}
    location["addresses"] = [{k: v for k, v in address.items() if v}]
    return location


def _ways_to_reach(raw: dict, service_id: str, warnings: list[str]) -> dict:
    """The service's web address, email and phone, repaired where they can be."""
    found: dict = {}
    url, warning = repair_web_address(str(raw.get("url") or ""))
    if url:
        found["url"] = url
    if warning:
        warnings.append(warning)
    email, warning = repair_email(str(raw.get("email") or ""))
    if email and "@" in email and " " not in email:
        found["email"] = email
    elif email:
        warnings.append(f"{email[:80]!r} is not an email address; it was left out.")
    phone = read_uk_phone(raw.get("phone"))
    if phone.warning:
        warnings.append(phone.warning)
    if phone.number:
        contact_id = stable_id(SOURCE, "contact", service_id)
        found["contacts"] = [{"id": contact_id, "phones": [
            {"id": stable_id(SOURCE, "phone", contact_id), "number": phone.number}]}]
    return found


def _record(raw: dict, mapping: AlissMapping) -> SourceRecord:
    key = str(raw.get("id") or "").strip()
    name = _text(raw.get("name"))
    if not key:
        raise _Unreadable("The service has no ALISS id.", "Export it again from ALISS.")
    if not name:
        raise _Unreadable("The service has no name.", "Add its name on ALISS (www.aliss.org).")
    organisation = raw.get("organisation") or {}
    if not isinstance(organisation, dict) or not _text(organisation.get("name")):
        raise _Unreadable("The service names no organisation.",
                          "On ALISS every service belongs to an organisation: export it "
                          "again, or add the entry by hand.")
    service_id = source_uuid(key, SOURCE, "service")
    warnings: list[str] = []
    data: dict = {
        "id": service_id, "name": name, "status": "active",
        "description": _paragraphs(raw.get("description")) or _text(raw.get("summary")),
        "organization": {"id": source_uuid(organisation.get("id") or organisation["name"],
                                           SOURCE, "organization"),
                         "name": _text(organisation["name"]), "description": ""}}
    data.update(_ways_to_reach(raw, service_id, warnings))
    areas = [a for a in raw.get("service_areas") or () if isinstance(a, dict) and a.get("code")]
    if areas:
        data["service_areas"] = [
            {"id": stable_id(SOURCE, "service_area", service_id, str(a["code"])),
             "name": _text(a.get("name")) or str(a["code"]),
             "service_area": " ".join(x for x in (_text(a.get("name")), _area_type(a)) if x),
             "uri": GSS_URI + str(a["code"]).strip()}
            for a in areas]
    locations = [_location(x, {**raw, "id": service_id}, warnings)
                 for x in raw.get("locations") or () if isinstance(x, dict)]
    if locations:
        data["service_at_locations"] = [
            {"id": stable_id(SOURCE, "service_at_location", service_id, x["id"]), "location": x}
            for x in locations]
    if _last_modified(raw.get("last_updated")):
        data["last_modified"] = _last_modified(raw["last_updated"])
    if str(raw.get("is_deprioritised")).lower() == "true":
        warnings.append("ALISS marks this service as deprioritised: check it is still running "
                        "before publishing it.")
    return SourceRecord(key=key, data=data,
                        suggested_needs=mapping.needs_of(_slugs(raw.get("categories"))),
                        area_codes=tuple(str(a["code"]).strip() for a in areas),
                        review_date=_date(raw.get("last_reviewed")),
                        warnings=tuple(warnings))


def read_aliss(path: Path, mapping: AlissMapping | None = None) -> SourceFeed:
    """Every service in an ALISS file; a service that cannot be read is a RejectedRecord."""
    mapping = mapping or load_aliss_mapping()
    services, complete = read_services(path)
    feed = SourceFeed(source=SOURCE, feed=mapping.feed, label=LABEL, attribution=ATTRIBUTION,
                      file_name=Path(path).name, complete=complete)
    seen: set[str] = set()
    for raw in services:
        if not isinstance(raw, dict):
            feed.records.append(RejectedRecord("", "", "An item of the file is not a service.",
                                               "Export the services from ALISS again."))
            continue
        key, name = str(raw.get("id") or "").strip(), _text(raw.get("name"))
        if key and key in seen:
            feed.records.append(RejectedRecord(key, name, "The service is in the file twice.",
                                               "Keep one copy of each service."))
            continue
        seen.add(key)
        try:
            feed.records.append(_record(raw, mapping))
        except _Unreadable as problem:
            feed.records.append(RejectedRecord(key, name, problem.reason, problem.how_to_fix))
    return feed
