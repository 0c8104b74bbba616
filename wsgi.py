"""Entry point for gunicorn and `flask --app wsgi`."""

from mle import create_app

app = create_app()
