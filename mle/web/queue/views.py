"""The queue: a team sees only its own requests. Contact details are shown only on a request's
page, and every view of them is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from mle.extensions import db
from mle.forms.queue import STATUS_LABELS, NoteForm, ReassignForm, StatusForm
from mle.models import Referral, ReferralNote, Team
from mle.referrals.service import mark_first_action
from mle.security.audit import audit
from mle.security.encryption import decrypt_json, encrypt_json
from mle.security.roles import requires_role
from mle.web.queue import queue

PRIORITY_ORDER = {"urgent": 0, "soon": 1, "routine": 2}


def _own_request(referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    # Another team's request is indistinguishable from one that does not exist.
    if referral is None or referral.team_id != current_user.team_id:
        abort(404)
    return referral


def _age_days(referral: Referral) -> int:
    created = referral.created_at
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
    return (datetime.now(UTC) - created).days


@queue.get("/")
@requires_role("assessor")
def requests():
    filters = {key: request.args.get(key, "")
               for key in ("status", "priority", "locality", "older_than")}
    query = select(Referral).where(Referral.team_id == current_user.team_id)
    if filters["status"] in STATUS_LABELS:
        query = query.where(Referral.status == filters["status"])
    elif filters["status"] != "all":
        query = query.where(Referral.status.in_(("new", "accepted", "in_progress")))
    if filters["priority"] in PRIORITY_ORDER:
        query = query.where(Referral.priority == filters["priority"])
    if filters["locality"]:
        query = query.where(Referral.locality == filters["locality"])
    if filters["older_than"].isdigit() and int(filters["older_than"]) <= 3650:
        cutoff = datetime.now(UTC) - timedelta(days=int(filters["older_than"]))
        query = query.where(Referral.created_at < cutoff)
    rows = sorted(db.session.scalars(query.order_by(Referral.created_at)),
                  key=lambda r: (PRIORITY_ORDER.get(r.priority, 3), r.created_at))
    team = db.session.get(Team, current_user.team_id) if current_user.team_id else None
    return render_template("queue/requests.html", rows=rows, team=team, filters=filters,
                           age_days=_age_days, statuses=STATUS_LABELS)


@queue.get("/<int:referral_id>")
@requires_role("assessor")
def request_detail(referral_id: int):
    return _detail_page(_own_request(referral_id))


def _detail_page(referral: Referral, status_form=None, note_form=None, reassign_form=None):
    """The request's page. Every showing of the contact details is audited, including when a
    form on the page comes back with an error."""
    contact = decrypt_json(referral.contact) if referral.contact else None
    audit("referral.contact_viewed" if contact else "referral.viewed", "referral", referral.id)
    db.session.commit()
    teams = db.session.scalars(select(Team).where(Team.id != referral.team_id).order_by(Team.name))
    status_form = status_form or StatusForm(data={"version": referral.version})
    status_form.for_status(referral.status)
    reassign_form = reassign_form or ReassignForm(data={"version": referral.version})
    reassign_form.team.choices = [SelectChoice("", _("Select a team"))] + [
        SelectChoice(t.id, t.name) for t in teams]
    notes = [(n, decrypt_json(n.text)) for n in referral.notes]
    team = db.session.get(Team, referral.team_id)
    return render_template("queue/request.html", referral=referral, contact=contact,
                           notes=notes, team=team, age_days=_age_days(referral),
                           status_form=status_form, note_form=note_form or NoteForm(),
                           reassign_form=reassign_form, statuses=STATUS_LABELS)


def _stale(referral: Referral, version: str) -> bool:
    return str(referral.version) != (version or "")


def _stale_message() -> str:
    return _("Someone else changed this request while you had it open. Check it now and try "
             "again.")


@queue.post("/<int:referral_id>/status")
@requires_role("assessor")
def change_status(referral_id: int):
    referral = _own_request(referral_id)
    form = StatusForm().for_status(referral.status)
    if _stale(referral, form.version.data):
        # Checked first: after someone else's change the choices themselves may differ.
        form.status.errors = [_stale_message()]
    elif form.validate_on_submit():
        if form.status.data in ("closed", "declined") and not (form.outcome.data or "").strip():
            form.outcome.errors.append(_("Enter the outcome, or the reason for declining"))
        else:
            before = referral.status
            referral.status = form.status.data
            referral.status_changed_at = datetime.now(UTC)
            referral.outcome = (form.outcome.data or "").strip() or referral.outcome
            mark_first_action(referral)
            audit("referral.status_changed", "referral", referral.id,
                  status=[before, referral.status])
            db.session.commit()
            return redirect(url_for("queue.request_detail", referral_id=referral.id))
    return _detail_page(referral, status_form=form)


@queue.post("/<int:referral_id>/notes")
@requires_role("assessor")
def add_note(referral_id: int):
    referral = _own_request(referral_id)
    form = NoteForm()
    if form.validate_on_submit():
        referral.notes.append(ReferralNote(author_id=current_user.id,
                                           text=encrypt_json(form.note.data.strip())))
        mark_first_action(referral)
        audit("referral.note_added", "referral", referral.id)
        db.session.commit()
        return redirect(url_for("queue.request_detail", referral_id=referral.id))
    return _detail_page(referral, note_form=form)


@queue.post("/<int:referral_id>/reassign")
@requires_role("assessor")
def reassign(referral_id: int):
    referral = _own_request(referral_id)
    form = ReassignForm()
    form.team.choices = [SelectChoice(t.id, t.name) for t in db.session.scalars(
        select(Team).where(Team.id != referral.team_id))]
    if _stale(referral, form.version.data):
        form.team.errors = [_stale_message()]
    elif form.validate_on_submit():
        before = referral.team_id
        referral.team_id = form.team.data
        audit("referral.reassigned", "referral", referral.id, team=[before, form.team.data])
        db.session.commit()
        return redirect(url_for("queue.requests"))
    return _detail_page(referral, reassign_form=form)
