"""Start an assisted assessment (with the person's agreement recorded), keep notes on it, and
act on the result through the same pages a resident uses."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from mle.assessment.assisted import add_staff_note, current_assisted, start_assisted
from mle.security.roles import requires_role
from mle.web.assisted import assisted
from mle.web.assisted.forms import AssistedStartForm, StaffNoteForm
from mle.web.public.context import viewer_may_open


@assisted.route("/new", methods=["GET", "POST"])
@requires_role("assessor")
def start():
    form = AssistedStartForm()
    if form.validate_on_submit():
        start_assisted(form.how.data, assessor_id=current_user.id,
                       person_agreed=form.agreed.data)
        return redirect(url_for("public.about_you"))
    return render_template("assisted/start.html", form=form)


@assisted.post("/notes")
@requires_role("assessor")
def add_note():
    found = current_assisted()
    if found is None:
        return redirect(url_for("public.session_ended"))
    assessment, state = found
    if not viewer_may_open(assessment):
        abort(404)  # another team's assessment: as if it did not exist
    form = StaffNoteForm()
    if form.validate_on_submit():
        add_staff_note(assessment, state, form.note.data)
    target = "public.result" if assessment.completed_at else "public.check_answers"
    return redirect(url_for(target))
