"""Save and come back later with a code."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _

from mle.assessment import resume, store
from mle.extensions import limiter
from mle.security.roles import public_access
from mle.web.public import public
from mle.web.public.context import viewer_may_open, with_assessment
from mle.web.public.forms import ConfirmForm, ResumeForm


@public.route("/save", methods=["GET", "POST"])
@with_assessment
@public_access
def save():
    form = ConfirmForm()
    if form.validate_on_submit():
        code = resume.issue_code(g.assessment)
        return render_template("public/saved.html", code=code,
                               assessment=g.assessment)
    return render_template("public/save.html", form=form)


@public.route("/resume", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public_access
def resume_with_code():
    form = ResumeForm()
    if form.validate_on_submit():
        assessment = resume.find_by_code(form.code.data)
        # Staff of another team learn nothing, not even that the code is real.
        if assessment is not None and viewer_may_open(assessment):
            store.attach(assessment)
            if assessment.completed_at is not None:
                return redirect(url_for("public.result"))
            return redirect(url_for("public.check_answers"))
        form.code.errors.append(
            _("That code is not right or has expired. Check it, or start again."))
    return render_template("public/resume.html", form=form)
