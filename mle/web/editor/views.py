"""Directory editors' pages: the list of entries, create and edit, preview, publish, archive,
"still correct" review, field-level history, and the problem report queue. Every change is in
the audit trail and, field by field, in the entry's history."""

from __future__ import annotations

from datetime import date
from math import ceil

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from mle.directory import editing
from mle.directory.problems import open_reports, resolve
from mle.directory.taxonomy import NEEDS_TAXONOMY
from mle.extensions import db
from mle.forms.editor import DAY_LABELS, DAYS, PHONES, EntryForm, FilterForm
from mle.forms.staff import ButtonForm
from mle.models import ProblemReport, Service, StaffUser, TaxonomyTerm
from mle.security.encryption import decrypt_json
from mle.security.roles import requires_role
from mle.site import site
from mle.web.directory.views import service_page
from mle.web.editor import editor

EDITOR = "editor"

KIND_LABELS = {
    "wrong_details": _l("Contact details or opening times are wrong"),
    "closed": _l("No longer exists"),
    "not_my_area": _l("Does not serve the person's area"),
    "other": _l("Something else"),
}

TAG_CLASSES = {"draft": "govuk-tag--grey", "published": "govuk-tag--green",
               "archived": "govuk-tag--red"}
STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "archived": _l("Archived")}

FIELD_LABELS = {
    "organization": _l("Organisation"),
    "name": _l("Service name"),
    "description": _l("What it does"),
    "topics": _l("Topics"),
    "coverage": _l("Where it is available"),
    "localities": _l("Local areas"),
    "minimum_age": _l("Youngest age"),
    "maximum_age": _l("Oldest age"),
    "eligibility": _l("Other conditions"),
    "phones": _l("Phone numbers"),
    "email": _l("Email address"),
    "url": _l("Website"),
    "opening_hours": _l("Opening hours"),
    "fees": _l("Cost"),
    "languages": _l("Languages"),
    "location": _l("Address"),
    "accessibility": _l("Accessibility"),
    "needs_editor": _l("Details missing"),
    "publication_status": _l("Status"),
    "last_reviewed": _l("Last checked")
}


def _entry(service_id: str) -> Service:
    return db.session.get(Service, service_id[:80]) or abort(404)


def _locality_choices() -> list[SelectChoice]:
    return [SelectChoice(x.id, x.name) for x in site().area.localities.values()]


def _topic_choices() -> list[SelectChoice]:
    needs = site().area.needs
    known = set(db.session.scalars(select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy_id == NEEDS_TAXONOMY)))
    return [SelectChoice(n.id, n.label) for n in needs.values() if n.id in known]


def _entry_form(data: dict | None = None) -> EntryForm:
    form = EntryForm(data=data)
    form.topics.choices = _topic_choices()
    form.localities.choices = _locality_choices()
    form.eligibility.choices = [SelectChoice(t.id, t.name) for t in editing.eligibility_terms()]
    return form


def _render_form(form: EntryForm, service: Service | None):
    more_phones = max(0, len(service.phones) - PHONES) if service else 0
    return render_template("editor/entry_form.html", form=form, service=service, days=DAYS,
                           day_labels=DAY_LABELS, phones=range(1, PHONES + 1),
                           more_phones=more_phones)


# The list ----------------------------------------------------------------------------------

@editor.get("/")
@requires_role(EDITOR)
def entries():
    form = FilterForm(request.args)
    form.locality.choices = [SelectChoice("", _("Any local area")), *_locality_choices()]
    form.topic.choices = [SelectChoice("", _("Any topic")), *_topic_choices()]
    valid = form.validate()
    filters = editing.Filters(
        q=(form.q.data or "").strip(), status=form.status.data or "",
        review=form.review.data or "", locality=form.locality.data or "",
        topic=form.topic.data or "") if valid else editing.Filters()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10000 else 1
    rows, total = editing.list_entries(filters, page)
    pages = max(1, ceil(total / editing.PAGE_SIZE))
    if page > pages:
        page = pages
        rows, total = editing.list_entries(filters, page)
    arguments = {k: v for k, v in request.args.items() if k not in ("page", "csrf_token") and v}
    return render_template("editor/entries.html", filter_form=form, rows=rows, total=total,
                           page=page, pages=pages, arguments=arguments,
                           statuses=STATUS_LABELS, tag_classes=TAG_CLASSES,
                           open_reports=_open_report_count())


def _open_report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProblemReport).where(
        ProblemReport.resolved_at.is_(None)))


# Create and edit ---------------------------------------------------------------------------

@editor.route("/new", methods=["GET", "POST"])
@requires_role(EDITOR)
def new_entry():
    form = _entry_form({"coverage": "locality"} if request.method == "GET" else None)
    if form.validate_on_submit():
        service = editing.create_entry(form, current_user.id)
        db.session.commit()
        return redirect(url_for("editor.entry", service_id=service.id, saved=1))
    return _render_form(form, None)


@editor.route("/<service_id>/edit", methods=["GET", "POST"])
@requires_role(EDITOR)
def edit_entry(service_id: str):
    service = _entry(service_id)
    form = _entry_form(editing.form_data(service) if request.method == "GET" else None)
    if form.validate_on_submit():
        editing.update_entry(service, form, current_user.id)
        db.session.commit()
        return redirect(url_for("editor.entry", service_id=service.id, saved=1))
    return _render_form(form, service)


# One entry and its workflow -----------------------------------------------------------------

@editor.get("/<service_id>")
@requires_role(EDITOR)
def entry(service_id: str):
    service = _entry(service_id)
    reports = [(r, decrypt_json(r.details) if r.details else "")
               for r in service_reports(service.id)]
    reviewer = db.session.get(StaffUser, service.reviewed_by_id) if service.reviewed_by_id \
        else None
    return render_template("editor/entry.html", service=service, reports=reports,
                           kinds=KIND_LABELS, statuses=STATUS_LABELS, reviewer=reviewer,
                           saved=request.args.get("saved"), today=date.today())


def service_reports(service_id: str) -> list[ProblemReport]:
    return list(db.session.scalars(select(ProblemReport).where(
        ProblemReport.service_id == service_id, ProblemReport.resolved_at.is_(None))
        .order_by(ProblemReport.created_at)))


@editor.get("/<service_id>/preview")
@requires_role(EDITOR)
def preview(service_id: str):
    service = _entry(service_id)
    return render_template("editor/preview.html", statuses=STATUS_LABELS,
                           **service_page(service))


def _workflow(service_id: str, change) -> object:
    service = _entry(service_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    change(service)
    db.session.commit()
    return redirect(url_for("editor.entry", service_id=service.id))


@editor.post("/<service_id>/publish")
@requires_role(EDITOR)
def publish(service_id: str):
    return _workflow(service_id, lambda s: editing.set_publication(s, "published",
                                                                   current_user.id))


@editor.post("/<service_id>/archive")
@requires_role(EDITOR)
def archive(service_id: str):
    return _workflow(service_id, lambda s: editing.set_publication(s, "archived",
                                                                   current_user.id))


@editor.post("/<service_id>/draft")
@requires_role(EDITOR)
def unpublish(service_id: str):
    return _workflow(service_id, lambda s: editing.set_publication(s, "draft",
                                                                   current_user.id))


@editor.post("/<service_id>/review")
@requires_role(EDITOR)
def review(service_id: str):
    return _workflow(service_id, lambda s: editing.mark_reviewed(s, current_user.id))


@editor.get("/<service_id>/history")
@requires_role(EDITOR)
def history(service_id: str):
    service = _entry(service_id)
    return render_template("editor/history.html", service=service,
                           changes=editing.history(service.id), labels=FIELD_LABELS)


# Problem reports ---------------------------------------------------------------------------

@editor.get("/problems")
@requires_role(EDITOR)
def problems():
    reports = [(r, decrypt_json(r.details) if r.details else "") for r in open_reports()]
    return render_template("editor/problems.html", reports=reports, kinds=KIND_LABELS,
                           form=ButtonForm())


def _close_report(report_id: int, dismissed: bool):
    report = db.session.get(ProblemReport, report_id)
    if report is None or report.resolved_at is not None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    resolve(report, current_user.id, "dismissed" if dismissed else "resolved")
    db.session.commit()
    if request.form.get("back") == "entry":
        return redirect(url_for("editor.entry", service_id=report.service_id))
    return redirect(url_for("editor.problems"))


@editor.post("/problems/<int:report_id>/resolve")
@requires_role(EDITOR)
def resolve_problem(report_id: int):
    return _close_report(report_id, dismissed=False)


@editor.post("/problems/<int:report_id>/dismiss")
@requires_role(EDITOR)
def dismiss_problem(report_id: int):
    return _close_report(report_id, dismissed=True)
