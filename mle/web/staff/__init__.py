"""Staff sign-in, their own account, and their home page."""

from flask import Blueprint

staff = Blueprint("staff", __name__, url_prefix="/staff")

from mle.web.staff import views  # noqa: E402,F401
