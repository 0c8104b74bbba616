"""Load the current assessment for a view, or send the person to a friendly page."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, url_for
from flask_login import current_user

from mle.assessment import store
from mle.assessment.assisted import staff_may_open
from mle.site import site


def viewer_may_open(assessment) -> bool:
    """Staff from another team are refused an assisted assessment; anyone else may open it."""
    if not current_user.is_authenticated:
        return staff_may_open(assessment, None, None)
    return staff_may_open(assessment, current_user.id, current_user.team_id)


def with_assessment(view):
    """Give the view g.assessment and g.state; without them, explain the session has ended.
    An assisted assessment of another team is not found (404), as if it did not exist."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        found = store.current()
        if found is None:
            return redirect(url_for("public.session_ended"))
        if not viewer_may_open(found[0]):
            abort(404)
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
