"""One log line per request, and the request id that ties it to the load balancer's lines.

The id comes from the load balancer's X-Request-ID header when it is short and made of safe
characters (anything else could forge or break log lines), or is made here; it goes back in
the response's X-Request-ID and onto every log record written while the request runs. The
line names the method, the path without its query (redacted), the status and the duration:
nothing about the person.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from mle.log_redaction import redact_target

HEADER = "X-Request-ID"
LOGGER = "mle.request"
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_current_id: ContextVar[str | None] = ContextVar("mle_request_id", default=None)

log = logging.getLogger(LOGGER)


def accepted_request_id(offered: str | None) -> str:
    """The load balancer's id when it is safe to log and repeat, otherwise a new one."""
    if offered and _SAFE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _current_id.get()


StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class RequestLog:
    """WSGI middleware, outermost, so every answer is counted, even one refused before Flask."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = accepted_request_id(environ.get("HTTP_X_REQUEST_ID"))
        environ["HTTP_X_REQUEST_ID"] = request_id
        token = _current_id.set(request_id)
        status: list[str] = []

        def start(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None
                  ) -> Any:
            status[:] = [status_line]
            headers = [(k, v) for k, v in headers if k.lower() != HEADER.lower()]
            return start_response(status_line, [*headers, (HEADER, request_id)], exc_info)

        def finish() -> None:
            code = int(status[0].split(" ", 1)[0]) if status else 500
            log.info("request", extra={
                "method": environ.get("REQUEST_METHOD", ""),
                "path": redact_target(environ.get("PATH_INFO", "") or "/"),
                "status": code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "request_id": request_id,
            })

        try:
            body = self.app(environ, start)
        except BaseException:
            finish()
            raise
        finally:
            # The id names the lines written while the app answers; a streamed body's later
            # lines go without it rather than risk it naming the next request's.
            _current_id.reset(token)
        return _Finished(body, finish)


class _Finished:
    """The response body, calling `done` once it is sent (or abandoned)."""

    def __init__(self, body: Iterable[bytes], done: Callable[[], None]) -> None:
        self.body, self.done = body, done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done()
