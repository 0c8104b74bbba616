"""This API's own OpenAPI description: the ORUK 3.0 OpenAPI cut down to the paths and
parameters the API answers, with our server address."""

from __future__ import annotations

import json
from copy import deepcopy
from functools import cache

from mle.oruk.schemas import SCHEMA_DIR
from mle.site import site

# The parameters of the ORUK OpenAPI that this API answers; the others are left out of our
# description of it.
SERVED = {
    "/": (), "/services/{id}": (), "/taxonomies/{id}": (), "/taxonomy_terms/{id}": (),
    "/service_at_locations/{id}": (),
    "/services": ("search", "page", "per_page", "taxonomy_term_id", "taxonomy_id",
                  "minimum_age", "maximum_age", "organization_id"),
    "/service_at_locations": ("search", "page", "per_page", "taxonomy_term_id", "taxonomy_id",
                              "minimum_age", "maximum_age", "organization_id", "postcode",
                              "proximity"),
    "/taxonomies": ("page", "per_page"),
    "/taxonomy_terms": ("page", "per_page", "taxonomy_id"),
}
ERROR = {"description": "A bad parameter (400) or nothing with that id (404).",
         "content": {"application/json": {"schema": {"type": "object", "properties": {
             "code": {"type": "integer"}, "message": {"type": "string"}}}}}}


@cache
def _upstream() -> dict:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text("utf-8"))


def describe_api(server: str) -> dict:
    """The ORUK 3.0 OpenAPI, cut down to what we serve, with our server address."""
    spec = deepcopy(_upstream())
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
