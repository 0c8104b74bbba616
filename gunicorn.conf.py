"""gunicorn settings for the service: found by gunicorn in the working directory, or named with
`gunicorn --config gunicorn.conf.py wsgi:app`. Command-line options override these.

Access and error lines go through the redacting filter (mle.logging_setup), so link tokens and
postcodes never reach the logs; and the master checks the settings before starting any worker,
so a missing setting stops the start with one line instead of workers failing in a loop.
"""

import sys
from pathlib import Path

from mle.logging_setup import GUNICORN_LOGGING

logconfig_dict = GUNICORN_LOGGING  # also turns the access log on, to standard output


def on_starting(server):
    from mle.config import ConfigurationError, load_config

    try:
        load_config(Path(__file__).resolve().parent / "instance")
    except ConfigurationError as error:
        print(f"The service cannot start: {error}", file=sys.stderr)
        sys.exit(1)
