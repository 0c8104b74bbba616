"""Import runs for editors: take in a source's file, read what each run did (added, changed,
unchanged, archived and rejected entries by name, repairs, likely duplicates), confirm the
topics it suggested and publish its drafts in bulk."""

from __future__ import annotations

import tempfile
from math import ceil
from pathlib import Path

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from mle.imports import review
from mle.imports.readers import read_source
from mle.imports.sync import sync
from mle.oruk.import_result import ImportFailed
from mle.security.roles import requires_role
from mle.vocabulary.labels import COVERAGE_LABELS, IMPORT_OUTCOME_LABELS, IMPORT_SOURCE_LABELS
from mle.web.editor import editor
from mle.web.editor.import_forms import LARGEST_UPLOAD, BulkForm, ImportForm
from mle.web.editor.labels import FIELD_LABELS, GROUP_LABELS

EDITOR = "editor"


def _run(import_id: int):
    return review.find_run(import_id) or abort(404)


@editor.get("/imports/")
@requires_role(EDITOR)
def imports():
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10000 else 1
    runs, total = review.list_runs(page)
    pages = max(1, ceil(total / review.PAGE_SIZE))
    return render_template("editor/imports.html", runs=runs, total=total, page=page,
                           pages=pages, sources=IMPORT_SOURCE_LABELS)


@editor.route("/imports/new", methods=["GET", "POST"])
@requires_role(EDITOR)
def new_import():
    request.max_content_length = LARGEST_UPLOAD
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        suffix = Path(upload.filename or "").suffix.lower()[:6]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            upload.save(path)
            try:
                found = read_source(form.source.data, path)
                found.file_name = Path(upload.filename or path.name).name[:200]
                result = sync(found, dry_run=form.dry_run.data, run_by_id=current_user.id)
            except ImportFailed as error:
                form.file.errors.append(_("The file could not be taken in: %(reason)s. "
                                          "Nothing was changed.", reason=str(error)))
        if result is not None and not result.dry_run:
            return redirect(url_for("editor.import_run", import_id=result.import_id))
    return render_template("editor/import_new.html", form=form, result=result,
                           outcomes=IMPORT_OUTCOME_LABELS)


@editor.get("/imports/<int:import_id>")
@requires_role(EDITOR)
def import_run(import_id: int):
    run = _run(import_id)
    return render_template(
        "editor/import_run.html", run=run, sources=IMPORT_SOURCE_LABELS,
        field_labels=FIELD_LABELS, group_labels=GROUP_LABELS, coverages=COVERAGE_LABELS,
        outcomes=IMPORT_OUTCOME_LABELS,
        entries={o: review.entries_of(run, o) for o in IMPORT_OUTCOME_LABELS},
        pending=review.pending_suggestions(run), drafts=review.drafts_of(run),
        suggestion_form=BulkForm(prefix="suggestions"), publish_form=BulkForm(prefix="drafts"),
        done={k: request.args.get(k, "") for k in ("confirmed", "dismissed", "published",
                                                    "refused", "problem")})


@editor.post("/imports/<int:import_id>/suggestions")
@requires_role(EDITOR)
def import_suggestions(import_id: int):
    run = _run(import_id)
    form = BulkForm(prefix="suggestions")
    form.chosen.choices = [SelectChoice(str(s.id), str(s.id))
                           for entry in review.pending_suggestions(run)
                           for s, _name in entry.suggestions]
    if not form.validate_on_submit() or form.action.data not in ("confirm", "dismiss"):
        return _back(run, "suggestions", problem="none-chosen")
    ids = [int(x) for x in form.chosen.data]
    if form.action.data == "confirm":
        return _back(run, "suggestions", confirmed=review.confirm_suggestions(
            run, ids, current_user.id))
    return _back(run, "suggestions", dismissed=review.dismiss_suggestions(
        run, ids, current_user.id))


@editor.post("/imports/<int:import_id>/publish")
@requires_role(EDITOR)
def import_publish(import_id: int):
    run = _run(import_id)
    form = BulkForm(prefix="drafts")
    form.chosen.choices = [SelectChoice(s.id, s.id) for s in review.drafts_of(run)]
    if not form.validate_on_submit() or form.action.data != "publish":
        return _back(run, "drafts", problem="none-chosen")
    published, refused = review.publish_drafts(run, form.chosen.data, current_user.id)
    return _back(run, "drafts", published=len(published), refused=len(refused))


def _back(run, anchor: str, **outcome):
    """Back to the run, saying what was done (a plain redirect: no JavaScript needed)."""
    return redirect(url_for("editor.import_run", import_id=run.id, _anchor=anchor,
                            **{k: v for k, v in outcome.items()}))
