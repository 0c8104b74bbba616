"""Start an assisted assessment (with the person's agreement recorded), keep notes on it, and
act on the result through the same pages a resident uses."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from mle.assessment import store
from mle.extensions import db
from mle.forms.staff import AssistedStartForm, StaffNoteForm
from mle.security.audit import audit
from mle.security.roles import requires_role
from mle.web.assisted import assisted

CHANNELS = {"phone": "assisted", "in_person": "assisted", "on_behalf": "on_behalf"}


@assisted.route("/new", methods=["GET", "POST"])
@requires_role("assessor")
def start():
    form = AssistedStartForm()
    if form.validate_on_submit():
        assessment = store.start(channel=CHANNELS[form.how.data],
                                 assisted_by_id=current_user.id)
        audit("assessment.assisted_started", "assessment", assessment.id, how=form.how.data,
              agreement_recorded=True)
        db.session.commit()
        return redirect(url_for("public.about_you"))
    return render_template("assisted/start.html", form=form)


@assisted.post("/notes")
@requires_role("assessor")
def add_note():
    found = store.current()
    if found is None or found[0].assisted_by_id is None:
        return redirect(url_for("public.session_ended"))
    assessment, state = found
    form = StaffNoteForm()
    if form.validate_on_submit():
        state.staff_notes.append(form.note.data.strip())
        store.save(assessment, state)
        audit("assessment.note_added", "assessment", assessment.id)
        db.session.commit()
    target = "public.result" if assessment.completed_at else "public.check_answers"
    return redirect(url_for(target))
