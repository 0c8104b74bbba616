"""Error reports to Sentry (or a compatible service), only when MLE_SENTRY_DSN is set.

A report says where the code failed, never who was using it: no personal data by default,
and before anything is sent the request's body, cookies, query, headers that identify a
person and the user are dropped, and the address is redacted as log lines are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sentry_sdk.types import Event

from mle.log_redaction import redact_line

# Headers worth keeping in a report: none of them names or tracks a person.
KEPT_HEADERS = frozenset({"accept", "accept-language", "content-length", "content-type",
                          "host", "user-agent", "x-request-id"})


def init_error_reporting(dsn: str, environment: str) -> None:
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False,
                    before_send=_before_send, traces_sample_rate=0.0,
                    max_request_body_size="never", include_local_variables=False)


def _before_send(event: Event, hint: dict[str, Any]) -> Event:
    return cast("Event", scrub_event(cast(dict[str, Any], event)))


def scrub_event(event: dict[str, Any], hint: object = None) -> dict[str, Any]:
    """The event with nothing personal left in it (sentry_sdk's before_send)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: value for name, value in headers.items()
                                  if name.lower() in KEPT_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = redact_line(request["url"].split("?", 1)[0])
    event.pop("user", None)
    return event
