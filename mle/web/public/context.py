"""Load the current assessment for a view, or send the person to a friendly page."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, url_for

from mle.assessment import store
from mle.site import site


def with_assessment(view):
    """Give the view g.assessment and g.state; without them, explain the session has ended."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        found = store.current()
        if found is None:
            return redirect(url_for("public.session_ended"))
        g.assessment, g.state = found
        return view(*args, **kwargs)

    return wrapper


def open_assessment(view):
    """As with_assessment, but a completed assessment goes to its result instead."""

    @wraps(view)
    @with_assessment
    def wrapper(*args, **kwargs):
        if g.assessment.completed_at is not None:
            return redirect(url_for("public.result"))
        return view(*args, **kwargs)

    return wrapper


def module_or_404(module_id: str):
    module = site().content.module(module_id)
    if module is None:
        abort(404)
    return module
