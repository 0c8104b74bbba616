"""Directory editors' pages: the list of entries, create and edit, preview, publish, archive,
"still correct" review, field-level history, and the problem report queue. Every change is in
the audit trail and, field by field, in the entry's history."""

from __future__ import annotations

from datetime import date
from math import ceil

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from mle.directory import editor_lists, workflow
from mle.directory.entry_values import read_entry
from mle.directory.history import changes_to
from mle.directory.problems import find_open_report, open_report_count, open_reports, resolve
from mle.models import Service
from mle.security.roles import requires_role
from mle.site import site
from mle.vocabulary.labels import PUBLICATION_STATUS_LABELS
from mle.web.directory.views import service_page
from mle.web.editor import editor
from mle.web.editor.forms import DAY_LABELS, DAYS, PHONES, EntryForm, FilterForm, entry_form_data
from mle.web.editor.labels import FIELD_LABELS, KIND_LABELS, TAG_CLASSES
from mle.web.staff.forms import ButtonForm

EDITOR = "editor"


def _entry(service_id: str) -> Service:
    return editor_lists.find_entry(service_id) or abort(404)


def _locality_choices() -> list[SelectChoice]:
    return [SelectChoice(x.id, x.name) for x in site().area.localities.values()]


def _topic_choices() -> list[SelectChoice]:
    needs = site().area.needs
    known = editor_lists.need_term_ids()
    return [SelectChoice(n.id, n.label) for n in needs.values() if n.id in known]


def _entry_form(data: dict | None = None) -> EntryForm:
    form = EntryForm(data=data)
    form.topics.choices = _topic_choices()
    form.localities.choices = _locality_choices()
    form.eligibility.choices = [SelectChoice(t.id, t.name)
                                for t in editor_lists.eligibility_terms()]
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
    filters = editor_lists.Filters(
        q=(form.q.data or "").strip(), status=form.status.data or "",
        review=form.review.data or "", locality=form.locality.data or "",
        topic=form.topic.data or "") if valid else editor_lists.Filters()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10000 else 1
    rows, total = editor_lists.list_entries(filters, page)
    pages = max(1, ceil(total / editor_lists.PAGE_SIZE))
    if page > pages:
        page = pages
        rows, total = editor_lists.list_entries(filters, page)
    arguments = {k: v for k, v in request.args.items() if k not in ("page", "csrf_token") and v}
    return render_template("editor/entries.html", filter_form=form, rows=rows, total=total,
                           page=page, pages=pages, arguments=arguments,
                           statuses=PUBLICATION_STATUS_LABELS, tag_classes=TAG_CLASSES,
                           open_reports=open_report_count())


# Create and edit ---------------------------------------------------------------------------

@editor.route("/new", methods=["GET", "POST"])
@requires_role(EDITOR)
def new_entry():
    form = _entry_form({"coverage": "locality"} if request.method == "GET" else None)
    if form.validate_on_submit():
        service = workflow.create_entry(form.values(), current_user.id)
        return redirect(url_for("editor.entry", service_id=service.id, saved=1))
    return _render_form(form, None)


@editor.route("/<service_id>/edit", methods=["GET", "POST"])
@requires_role(EDITOR)
def edit_entry(service_id: str):
    service = _entry(service_id)
    form = _entry_form(entry_form_data(read_entry(service)) if request.method == "GET"
                       else None)
    if form.validate_on_submit():
        workflow.update_entry(service, form.values(), current_user.id)
        return redirect(url_for("editor.entry", service_id=service.id, saved=1))
    return _render_form(form, service)


# One entry and its workflow -----------------------------------------------------------------

@editor.get("/<service_id>")
@requires_role(EDITOR)
def entry(service_id: str):
    service = _entry(service_id)
    return render_template("editor/entry.html", service=service,
                           reports=open_reports(service.id), kinds=KIND_LABELS,
                           statuses=PUBLICATION_STATUS_LABELS,
                           reviewer=editor_lists.reviewer_of(service),
                           saved=request.args.get("saved"), today=date.today())


@editor.get("/<service_id>/preview")
@requires_role(EDITOR)
def preview(service_id: str):
    service = _entry(service_id)
    return render_template("editor/preview.html", statuses=PUBLICATION_STATUS_LABELS,
                           **service_page(service))


def _workflow(service_id: str, change) -> object:
    service = _entry(service_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    change(service)
    return redirect(url_for("editor.entry", service_id=service.id))


@editor.post("/<service_id>/publish")
@requires_role(EDITOR)
def publish(service_id: str):
    return _workflow(service_id, lambda s: workflow.set_publication(s, "published",
                                                                    current_user.id))


@editor.post("/<service_id>/archive")
@requires_role(EDITOR)
def archive(service_id: str):
    return _workflow(service_id, lambda s: workflow.set_publication(s, "archived",
                                                                    current_user.id))


@editor.post("/<service_id>/draft")
@requires_role(EDITOR)
def unpublish(service_id: str):
    return _workflow(service_id, lambda s: workflow.set_publication(s, "draft",
                                                                    current_user.id))


@editor.post("/<service_id>/review")
@requires_role(EDITOR)
def review(service_id: str):
    return _workflow(service_id, lambda s: workflow.mark_reviewed(s, current_user.id))


@editor.get("/<service_id>/history")
@requires_role(EDITOR)
def history(service_id: str):
    service = _entry(service_id)
    return render_template("editor/history.html", service=service,
                           changes=changes_to(service.id), labels=FIELD_LABELS)


# Problem reports ---------------------------------------------------------------------------

@editor.get("/problems")
@requires_role(EDITOR)
def problems():
    return render_template("editor/problems.html", reports=open_reports(), kinds=KIND_LABELS,
                           form=ButtonForm())


def _close_report(report_id: int, dismissed: bool):
    report = find_open_report(report_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    resolve(report, current_user.id, "dismissed" if dismissed else "resolved")
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
