"""This API's own OpenAPI description: the ORUK 3.0 OpenAPI cut down to the paths and
parameters the API answers, with our server address, and which of the ORUK parameters a path
does not answer (a request naming one is refused, never answered as if it were not there)."""

from __future__ import annotations

import json
from copy import deepcopy
from functools import cache

from mle.oruk.schemas import SCHEMA_DIR
from mle.site import site

# The parameters of the ORUK OpenAPI that this API answers; the others are left out of our
# description of it.
FILTERS = ("search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "minimum_age",
           "maximum_age", "organization_id", "modified_after", "day", "start_time",
           "end_time", "postcode", "proximity")
SERVED = {
    "/": (), "/services/{id}": (), "/taxonomies/{id}": (), "/taxonomy_terms/{id}": (),
    "/service_at_locations/{id}": (),
    "/services": FILTERS,
    "/service_at_locations": FILTERS,
    "/taxonomies": ("page", "per_page"),
    "/taxonomy_terms": ("page", "per_page", "taxonomy_id"),
}
# Parameters the ORUK OpenAPI types loosely ("time", "datetime"), described exactly as we
# read them.
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU", "Monday", "Tuesday", "Wednesday",
        "Thursday", "Friday", "Saturday", "Sunday"]
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"}
PARAMETERS = {
    "modified_after": ({"type": "string", "format": "date-time"},
                       "Return services whose last_modified is at or after this date and time "
                       "(ISO 8601; UTC when no offset is given)."),
    "day": ({"type": "string", "enum": DAYS},
            "Return services with a schedule open on this day of the week."),
    "start_time": (CLOCK, "Return services with a schedule opening at or after this time "
                          "(HH:MM); with day, on that day."),
    "end_time": (CLOCK, "Return services with a schedule closing at or before this time "
                        "(HH:MM); with day and start_time, the same schedule."),
    "postcode": ({"type": "string"},
                 "A UK postcode: only services that serve it (by their service area); with "
                 "proximity, only those with a location within that many metres of its "
                 "centroid."),
    "proximity": ({"type": "number", "minimum": 1, "maximum": 200000},
                  "Metres from the postcode's centroid (needs postcode)."),
}
ERROR = {"description": "A bad parameter (400) or nothing with that id (404).",
         "content": {"application/json": {"schema": {"type": "object", "properties": {
             "code": {"type": "integer"}, "message": {"type": "string"}}}}}}


@cache
def _upstream() -> dict:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text("utf-8"))


def unsupported_parameters(path: str, names) -> list[str]:
    """The parameters among `names` that the ORUK OpenAPI defines but `path` does not answer."""
    if path not in SERVED:
        return []
    defined, served = _upstream()["components"]["parameters"].keys(), SERVED[path]
    return sorted({name for name in names if name in defined and name not in served})


def describe_api(server: str) -> dict:
    """The ORUK 3.0 OpenAPI, cut down to what we serve, with our server address."""
    spec = deepcopy(_upstream())
    for name, (schema, description) in PARAMETERS.items():
        spec["components"]["parameters"][name] |= {"schema": schema,
                                                   "description": description}
    spec["servers"] = [{"url": server, "description": site().area.service_name}]
    spec["info"]["description"] += (
        ". Served for this directory: only published services are listed; proximity is in "
        "metres from the centroid of a postcode in the area's postcode data.")
    paths = {}
    for path, operations in spec["paths"].items():
        if path not in SERVED:
            continue
        get = operations["get"]
        if "parameters" in get:
            get["parameters"] = [p for p in get["parameters"]
                                 if p["$ref"].rsplit("/", 1)[-1] in SERVED[path]]
            have = {p["$ref"].rsplit("/", 1)[-1] for p in get["parameters"]}
            get["parameters"] += [{"$ref": f"#/components/parameters/{name}"}
                                  for name in SERVED[path] if name not in have]
        get["responses"]["400"] = ERROR
        get["responses"]["404"] = ERROR
        paths[path] = operations
    spec["paths"] = paths
    return spec
