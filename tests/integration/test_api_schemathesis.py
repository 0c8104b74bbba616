"""The Open Referral UK read API against its own OpenAPI description, with Schemathesis:
generated requests (valid and invalid) to every operation; never a server error, and every
response has a status code, content type and body the description allows.

The schema is read from the running app at /api/oruk/openapi.json; a missing or broken
description fails the test.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

OPENAPI = "/api/oruk/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def oruk_schema(app):
    return schemathesis.openapi.from_wsgi(OPENAPI, app)


# Schemathesis' own pytest integration (from_fixture) does not work with pytest 9.2, so the
# schema's cases are drawn with Hypothesis directly: the same generation, the same checks.
@pytest.mark.parametrize(("mode", "checks"), [
    (GenerationMode.POSITIVE, CHECKS),
    # Invalid requests: a 4xx the description may not list is fine, a server error never.
    (GenerationMode.NEGATIVE, [not_a_server_error]),
])
def test_the_open_referral_api_keeps_to_its_description(app, mode, checks):
    schema = oruk_schema(app)

    statuses = []

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=schema.as_strategy(mode))
    def check(case):
        statuses.append(case.call_and_validate(checks=checks).status_code)

    check()
    assert statuses and max(statuses) < 500
