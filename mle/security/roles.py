"""Access rules for views. Every view declares one, and a test checks that none is missing."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

PUBLIC = "public"


def public_access(view):
    """Open to anyone: the resident journey, health check, sign-in pages."""
    view.access = PUBLIC
    return view


def requires_role(*roles: str):
    """Signed-in staff with at least one of these roles; others get 403, never data."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.access = frozenset(roles)
        return wrapper

    return decorate


def signed_in(view):
    """Any signed-in staff member, whatever their role (their own account pages)."""
    wrapped = login_required(view)
    wrapped.access = "signed-in"
    return wrapped
