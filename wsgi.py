"""Entry point for gunicorn and `flask --app wsgi`."""

import sys

from mle import create_app
from mle.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:
    # One line naming what is missing: a traceback would bury it.
    sys.exit(f"The service cannot start: {error}")
