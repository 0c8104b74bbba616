"""Local information: the public face of the resource directory."""

from flask import Blueprint

directory = Blueprint("directory", __name__, url_prefix="/local-information")

from mle.web.directory import views  # noqa: E402,F401
