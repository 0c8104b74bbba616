"""The logging configuration: redacted lines everywhere, JSON with a request id in production.

create_app() puts the redacting filter on werkzeug's request log (development), gunicorn's
access and error logs and the app's own logger, so every instance redacts whichever way it is
run. gunicorn.conf.py also configures gunicorn's handlers with it (GUNICORN_LOGGING), so the
lines are redacted even before the app is loaded.

In production every line is one JSON object at info level and above, carrying the request id
(mle.request_log); the app writes one line per request, so gunicorn's own access line is left
out. Elsewhere the lines stay plain text for people reading a terminal.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from mle.log_redaction import redact_line
from mle.request_log import LOGGER as REQUEST_LOGGER
from mle.request_log import RequestLog, current_request_id

if TYPE_CHECKING:
    from flask import Flask

# Loggers that write request paths: werkzeug's request log, gunicorn's access log and its
# "Error handling request /path" lines.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class RedactRequestLines(logging.Filter):
    """Rewrites a record's message with link tokens and postcodes taken out."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: let logging report it as it would
        redacted = redact_line(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class AddRequestId(logging.Filter):
    """Puts the id of the request being served (if any) on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMED)


def install_log_redaction(app_logger_name: str) -> None:
    """Put the filter on every logger that writes request paths (once, however many apps)."""
    for name in (*REQUEST_LOGGERS, app_logger_name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactRequestLines) for f in logger.filters):
            logger.addFilter(RedactRequestLines())


def init_logging(app: Flask) -> None:
    """The request line and id on every instance; in production, JSON at info level when no
    server (gunicorn) has configured logging already; error reporting when configured."""
    logging.getLogger(REQUEST_LOGGER).setLevel(logging.INFO)
    app.wsgi_app = RequestLog(app.wsgi_app)  # type: ignore[method-assign]
    root = logging.getLogger()
    if app.config["MLE_ENV"] == "production" and not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(json_formatter())
        handler.addFilter(RedactRequestLines())
        handler.addFilter(AddRequestId())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    if app.config.get("MLE_SENTRY_DSN"):
        from mle.error_reporting import init_error_reporting

        init_error_reporting(app.config["MLE_SENTRY_DSN"], app.config["MLE_ENV"])


_FILTERS = {"redact": {"()": RedactRequestLines}, "request_id": {"()": AddRequestId}}


def gunicorn_logging(env: str) -> dict[str, Any]:
    """gunicorn's logconfig_dict: every handler redacting; JSON and the app's request line in
    production, gunicorn's usual console output and access log elsewhere."""
    production = env == "production"
    text = {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]"}
    json = {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FIELDS,
            "rename_fields": JSON_RENAMED}
    filters = ["redact", "request_id"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": _FILTERS,
        "formatters": {
            "generic": json if production else text,
            "access": json if production else {"format": "%(message)s"},
        },
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "generic",
                              "stream": "ext://sys.stderr", "filters": filters},
            "access_console": {"class": "logging.StreamHandler", "formatter": "access",
                               "stream": "ext://sys.stdout", "filters": filters},
        },
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"],
                               "propagate": False},
            # In production the app's own line (mle.request) replaces gunicorn's.
            "gunicorn.access": {"level": "WARNING" if production else "INFO",
                                "handlers": ["access_console"], "propagate": False},
            REQUEST_LOGGER: {"level": "INFO",
                             "handlers": ["access_console"] if production else [],
                             "propagate": False},
        },
    }


GUNICORN_LOGGING = gunicorn_logging(os.environ.get("MLE_ENV", "production"))
