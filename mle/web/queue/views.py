"""The queue: a team sees only its own requests. Contact details are shown only on a request's
page; the referrals service audits every showing and saves every change."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from mle.accounts.teams import get_team
from mle.models import Referral
from mle.referrals import queue as team_requests
from mle.referrals.queue import OutcomeNeeded, QueueFilters
from mle.security.roles import requires_role
from mle.vocabulary import labels
from mle.vocabulary.labels import PRIORITY_LABELS, REFERRAL_STATUS_LABELS
from mle.web.queue import queue
from mle.web.queue.forms import NoteForm, ReassignForm, StatusForm


def _own_request(referral_id: int) -> Referral:
    referral = team_requests.request_for_team(referral_id, current_user.team_id)
    if referral is None:
        abort(404)
    return referral


@queue.get("/")
@requires_role("assessor")
def requests():
    filters = QueueFilters.from_query(request.args)
    rows = team_requests.requests_for_team(current_user.team_id, filters)
    team = get_team(current_user.team_id) if current_user.team_id else None
    priority_items = [{"value": code, "text": str(label), "selected": filters.priority == code}
                      for code, label in reversed(labels.choices("priority"))]
    return render_template("queue/requests.html", rows=rows, team=team, filters=filters,
                           age_days=team_requests.age_days, statuses=REFERRAL_STATUS_LABELS,
                           priorities=PRIORITY_LABELS, priority_items=priority_items)


@queue.get("/<int:referral_id>")
@requires_role("assessor")
def request_detail(referral_id: int):
    return _detail_page(_own_request(referral_id))


def _detail_page(referral: Referral, status_form=None, note_form=None, reassign_form=None):
    """The request's page, also when a form on it comes back with an error."""
    opened = team_requests.open_request(referral)
    status_form = status_form or StatusForm(data={"version": referral.version})
    status_form.for_status(referral.status)
    reassign_form = reassign_form or ReassignForm(data={"version": referral.version})
    reassign_form.team.choices = [SelectChoice("", _("Select a team"))] + _team_choices(referral)
    return render_template("queue/request.html", referral=referral, contact=opened.contact,
                           summary=opened.summary, outcome=opened.outcome,
                           notes=opened.notes, team=opened.team,
                           age_days=team_requests.age_days(referral),
                           is_open=team_requests.is_open(referral),
                           status_form=status_form, note_form=note_form or NoteForm(),
                           reassign_form=reassign_form, statuses=REFERRAL_STATUS_LABELS)


def _team_choices(referral: Referral) -> list[SelectChoice]:
    return [SelectChoice(t.id, t.name) for t in team_requests.teams_to_pass_to(referral)]


def _stale_message() -> str:
    return _("Someone else changed this request while you had it open. Check it now and try "
             "again.")


@queue.post("/<int:referral_id>/status")
@requires_role("assessor")
def change_status(referral_id: int):
    referral = _own_request(referral_id)
    form = StatusForm().for_status(referral.status)
    # Checked first: after someone else's change the choices themselves may differ.
    if not team_requests.is_current(referral, form.version.data):
        form.status.errors = [_stale_message()]
    elif form.validate_on_submit():
        try:
            team_requests.change_status(referral, form.status.data, form.outcome.data,
                                           seen_version=form.version.data)
        except OutcomeNeeded:
            form.outcome.errors.append(_("Enter the outcome, or the reason for declining"))
        else:
            return redirect(url_for("queue.request_detail", referral_id=referral.id))
    return _detail_page(referral, status_form=form)


@queue.post("/<int:referral_id>/notes")
@requires_role("assessor")
def add_note(referral_id: int):
    referral = _own_request(referral_id)
    form = NoteForm()
    if form.validate_on_submit():
        team_requests.add_note(referral, form.note.data, author_id=current_user.id)
        return redirect(url_for("queue.request_detail", referral_id=referral.id))
    return _detail_page(referral, note_form=form)


@queue.post("/<int:referral_id>/reassign")
@requires_role("assessor")
def reassign(referral_id: int):
    referral = _own_request(referral_id)
    form = ReassignForm()
    form.team.choices = _team_choices(referral)
    if not team_requests.is_current(referral, form.version.data):
        form.team.errors = [_stale_message()]
    elif form.validate_on_submit():
        team_requests.reassign(referral, form.team.data, seen_version=form.version.data)
        return redirect(url_for("queue.requests"))
    return _detail_page(referral, reassign_form=form)
