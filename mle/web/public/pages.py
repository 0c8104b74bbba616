"""Pages that need no assessment: start, privacy, session ended."""

from flask import redirect, render_template, session, url_for

from mle.assessment import store
from mle.extensions import limiter
from mle.security.roles import public_access
from mle.site import site
from mle.web.public import public
from mle.web.public.forms import ConfirmForm


@public.get("/")
@public_access
def start():
    return render_template("public/start.html", form=ConfirmForm(),
                           modules=site().content.modules.values())


@public.post("/start")
@limiter.limit("30 per minute")
@public_access
def begin():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("public.start"))
    store.start(channel="self")
    return redirect(url_for("public.about_you"))


@public.get("/privacy")
@public_access
def privacy():
    return render_template("public/privacy.html")


@public.get("/accessibility")
@public_access
def accessibility():
    return render_template("public/accessibility.html")


@public.post("/session/extend")
@limiter.limit("60 per hour")
@public_access
def extend_session():
    """Called by the timeout warning's Continue button: any request renews the session."""
    session.modified = True
    return "", 204


@public.get("/session-ended")
@public_access
def session_ended():
    return render_template("errors/session_ended.html")
