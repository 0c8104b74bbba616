"""Requests naming a host other than the service's own are refused before the app sees them.

Nothing the service builds comes from the Host header (links use MLE_BASE_URL), and refusing
foreign names as well means a forged Host can reach no page, cache or log as if it were ours.
The refusal is a plain 400 made here: the app's error pages need a request it has accepted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from werkzeug.exceptions import BadRequest
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wrappers import Response


class RefuseForeignHosts:
    """WSGI middleware: 400 unless the Host header names one of the trusted host names."""

    def __init__(self, wsgi_app: Callable, trusted: Iterable[str]):
        self.wsgi_app = wsgi_app
        self.trusted = [host.lower() for host in trusted]

    def __call__(self, environ: dict, start_response: Callable):
        # Host names are the same in any case; the port is not compared.
        host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "").lower()
        if not host_is_trusted(host, self.trusted):
            return _refusal(environ)(environ, start_response)
        return self.wsgi_app(environ, start_response)


def _refusal(environ: dict) -> Response:
    message = "This service does not answer to that host name."
    if environ.get("PATH_INFO", "").startswith("/api/"):  # the APIs answer in JSON
        response = Response(json.dumps({"code": 400, "message": message}), 400,
                            mimetype="application/json")
    else:
        response = BadRequest(message).get_response(environ)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
