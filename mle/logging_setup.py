"""The logging configuration that keeps secrets out of request logs.

create_app() puts the redacting filter on werkzeug's request log (development), gunicorn's
access and error logs and the app's own logger, so every instance redacts whichever way it is
run. gunicorn.conf.py also configures gunicorn's handlers with it (GUNICORN_LOGGING), so the
lines are redacted even before the app is loaded.
"""

from __future__ import annotations

import logging

from mle.log_redaction import redact_line

# Loggers that write request paths: werkzeug's request log, gunicorn's access log and its
# "Error handling request /path" lines.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


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


def install_log_redaction(app_logger_name: str) -> None:
    """Put the filter on every logger that writes request paths (once, however many apps)."""
    for name in (*REQUEST_LOGGERS, app_logger_name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactRequestLines) for f in logger.filters):
            logger.addFilter(RedactRequestLines())


_FILTER = {"redact": {"()": RedactRequestLines}}

# gunicorn's logconfig_dict: its usual console output, every handler redacting.
GUNICORN_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": _FILTER,
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
                    "datefmt": "[%Y-%m-%d %H:%M:%S %z]"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "generic",
                          "stream": "ext://sys.stderr", "filters": ["redact"]},
        "access_console": {"class": "logging.StreamHandler", "formatter": "access",
                           "stream": "ext://sys.stdout", "filters": ["redact"]},
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"],
                            "propagate": False},
    },
}
