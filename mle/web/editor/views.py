"""The problem report queue: residents' reports of wrong entries, for editors to resolve."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from mle.directory.problems import open_reports, resolve
from mle.extensions import db
from mle.forms.staff import ButtonForm
from mle.models import ProblemReport
from mle.security.encryption import decrypt_json
from mle.security.roles import requires_role
from mle.web.editor import editor

KIND_LABELS = {
    "wrong_details": "Contact details or opening times are wrong",
    "closed": "No longer exists",
    "not_my_area": "Does not serve the person's area",
    "other": "Something else",
}


@editor.get("/problems")
@requires_role("editor")
def problems():
    reports = [(r, decrypt_json(r.details) if r.details else "") for r in open_reports()]
    return render_template("editor/problems.html", reports=reports, kinds=KIND_LABELS,
                           form=ButtonForm())


@editor.post("/problems/<int:report_id>/resolve")
@requires_role("editor")
def resolve_problem(report_id: int):
    report = db.session.get(ProblemReport, report_id)
    if report is None or report.resolved_at is not None:
        abort(404)
    if ButtonForm().validate_on_submit():
        resolve(report, current_user.id)
        db.session.commit()
    return redirect(url_for("editor.problems"))
