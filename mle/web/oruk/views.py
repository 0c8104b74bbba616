"""ORUK 3.0 endpoints: /services, /services/{id}, /service_at_locations (postcode and
proximity), /taxonomies, /taxonomy_terms, and this API's own OpenAPI description.

Only published, active services are shown. Bad parameters get a JSON 400 with a message, and
so does a parameter the ORUK OpenAPI names that this endpoint does not answer (never silently
ignored); an id that is not a UUID, or names nothing published, gets a JSON 404.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from flask import abort, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from mle.directory.geography import find_place
from mle.directory.postcodes import InvalidPostcode, normalise_postcode
from mle.extensions import csrf, limiter
from mle.oruk import queries, serialise
from mle.oruk.ids import is_uuid
from mle.security.roles import public_access
from mle.web.oruk import oruk_api
from mle.web.oruk.openapi import describe_api, unsupported_parameters

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PROXIMITY_M = 200_000
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
DAY_NAMES = {"MONDAY": "MO", "TUESDAY": "TU", "WEDNESDAY": "WE", "THURSDAY": "TH",
             "FRIDAY": "FR", "SATURDAY": "SA", "SUNDAY": "SU"}
CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")

csrf.exempt(oruk_api)
limiter.limit("120 per minute")(oruk_api)


class BadParameter(Exception):
    pass


@oruk_api.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return jsonify(code=400, message=str(error)), 400


@oruk_api.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return jsonify(code=error.code, message=error.description), error.code


@oruk_api.before_request
def refuse_unsupported_parameters():
    if request.url_rule is None:
        return  # no such path: a 404 follows
    path = re.sub(r"<[^>]+>", "{id}", request.url_rule.rule.removeprefix(oruk_api.url_prefix))
    refused = unsupported_parameters(path or "/", request.args.keys())
    if refused:
        raise BadParameter(f"{', '.join(refused)}: not supported by this API at {path or '/'}"
                           "; its OpenAPI description lists the parameters it answers")


@oruk_api.after_request
def open_to_other_sites(response):
    # Open data, no cookies needed: any site may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _integer(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}")
    return value


def _number(name: str, low: float = 0, high: float = 150) -> float | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadParameter(f"{name} must be between {low:g} and {high:g}")
    return value


def _paging() -> tuple[int, int]:
    return (_integer("page", 1, 1, 1_000_000),
            _integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def _id_parameter(name: str, entity: str) -> str | None:
    """A filter naming a record by its ORUK id: ours, or a sentinel that matches nothing."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not is_uuid(raw):
        raise BadParameter(f"{name} must be a UUID")
    return queries.our_id(entity, raw) or ""


def _moment(name: str) -> datetime | None:
    """An ISO 8601 date and time (a date alone is its midnight), in UTC when no offset."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw[:40].upper().replace("Z", "+00:00"))
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadParameter(f"{name} must be a date and time, like 2025-01-31T09:00:00Z"
                           ) from None


def _day(name: str) -> str | None:
    raw = request.args.get(name, "").strip().upper()
    if not raw:
        return None
    day = DAY_NAMES.get(raw, raw)
    if day not in DAY_NAMES.values():
        raise BadParameter(f"{name} must be a day of the week: MO, TU, WE, TH, FR, SA or SU "
                           "(or its name, like Monday)")
    return day


def _clock(name: str) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not CLOCK.fullmatch(raw):
        raise BadParameter(f"{name} must be a time of day, like 09:30")
    return raw[:5]


def _filters() -> queries.Filters:
    words = tuple(w for w in request.args.get("search", "")[:200].split() if len(w) > 1)
    minimum, maximum = _number("minimum_age"), _number("maximum_age")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise BadParameter("minimum_age must not be more than maximum_age")
    start, end = _clock("start_time"), _clock("end_time")
    if start is not None and end is not None and start > end:
        raise BadParameter("start_time must not be after end_time")
    return queries.Filters(
        words=words,
        taxonomy_term_id=_id_parameter("taxonomy_term_id", "taxonomy_term"),
        taxonomy_id=_id_parameter("taxonomy_id", "taxonomy"),
        minimum_age=minimum, maximum_age=maximum,
        organization_id=_id_parameter("organization_id", "organization"),
        modified_after=_moment("modified_after"), day=_day("day"),
        start_time=start, end_time=end)


def _page(page: queries.Page, number: int, per_page: int, contents: list) -> dict:
    total_pages = math.ceil(page.total / per_page)
    return {"total_items": page.total, "total_pages": total_pages, "page_number": number,
            "size": len(contents), "first_page": number == 1,
            "last_page": number >= total_pages, "empty": not contents, "contents": contents}


def _found(entity: str, published_id: str) -> str:
    found = queries.our_id(entity, published_id)
    if found is None:
        abort(404, description=f"No {entity} has the id {published_id[:80]!r}")
    return found


@oruk_api.get("/")
@public_access
def meta():
    return jsonify(version="3.0", profile=PROFILE_URL,
                   openapi_url=_public_address(url_for("oruk_api.openapi")))


@oruk_api.get("/services")
@public_access
def services():
    number, per_page = _paging()
    place, in_area = _place()
    page = queries.services(_filters(), number, per_page, place, in_area)
    return jsonify(_page(page, number, per_page,
                         [serialise.service_summary(s) for s in page.rows]))


@oruk_api.get("/services/<service_id>")
@public_access
def service(service_id: str):
    service = queries.published_service(_found("service", service_id))
    if service is None:
        abort(404, description=f"No service has the id {service_id!r}")
    return jsonify(serialise.service_full(service))


def _place() -> tuple[queries.Place | None, bool]:
    """(where the postcode is, whether it is in the area) from postcode and proximity."""
    raw = request.args.get("postcode", "")[:20]
    proximity = _number("proximity", 1, MAX_PROXIMITY_M)
    if not raw:
        if proximity is not None:
            raise BadParameter("proximity needs a postcode to measure from")
        return None, True
    try:
        postcode = normalise_postcode(raw)
    except InvalidPostcode:
        raise BadParameter("postcode is not a UK postcode") from None
    found = find_place(postcode)
    if found.centroid is None:
        if proximity is not None:
            raise BadParameter("postcode is outside the area this directory covers, so no "
                               "distance can be measured from it")
        return None, False
    return queries.Place(found.centroid[0], found.centroid[1], found.locality, proximity), True


@oruk_api.get("/service_at_locations")
@public_access
def service_at_locations():
    number, per_page = _paging()
    place, in_area = _place()
    page = queries.service_at_locations(_filters(), place, in_area, number, per_page)
    contents = []
    for sal, service_row, distance in page.rows:
        item = serialise.service_at_location(sal, with_schedules=False)
        item["service"] = serialise.service_summary(service_row)
        if distance is not None:
            item["distance"] = distance  # metres from the postcode's centroid
        contents.append(item)
    return jsonify(_page(page, number, per_page, contents))


@oruk_api.get("/service_at_locations/<sal_id>")
@public_access
def service_at_location(sal_id: str):
    found = queries.published_service_at_location(sal_id) if is_uuid(sal_id) else None
    if found is None:
        abort(404, description=f"No service at location has the id {sal_id[:80]!r}")
    item = serialise.service_at_location(found)
    item["service"] = serialise.service_full(queries.published_service(found.service_id))
    return jsonify(item)


@oruk_api.get("/taxonomies")
@public_access
def taxonomies():
    number, per_page = _paging()
    page = queries.taxonomies(number, per_page)
    return jsonify(_page(page, number, per_page, [serialise.taxonomy(t) for t in page.rows]))


@oruk_api.get("/taxonomies/<taxonomy_id>")
@public_access
def taxonomy(taxonomy_id: str):
    return jsonify(serialise.taxonomy(queries.taxonomy(_found("taxonomy", taxonomy_id))))


@oruk_api.get("/taxonomy_terms")
@public_access
def taxonomy_terms():
    number, per_page = _paging()
    page = queries.taxonomy_terms(_id_parameter("taxonomy_id", "taxonomy"), number, per_page)
    return jsonify(_page(page, number, per_page,
                         [serialise.taxonomy_term(t) for t in page.rows]))


@oruk_api.get("/taxonomy_terms/<term_id>")
@public_access
def taxonomy_term(term_id: str):
    return jsonify(serialise.taxonomy_term(
        queries.taxonomy_term(_found("taxonomy_term", term_id))))


@oruk_api.get("/openapi.json")
@public_access
def openapi():
    return jsonify(describe_api(_public_address(url_for("oruk_api.meta")).rstrip("/")))


def _public_address(path: str) -> str:
    """The service's public address for a path: from MLE_BASE_URL, never the Host header."""
    return current_app.config["MLE_BASE_URL"].rstrip("/") + path
