"""Manage staff accounts and teams. Every change is in the audit trail."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from mle.accounts import service
from mle.extensions import db
from mle.forms.staff import ButtonForm, NewTeamForm, TeamForm, UserForm
from mle.models import StaffUser, Team
from mle.referrals.outbox import queue_email
from mle.security.audit import audit
from mle.security.roles import requires_role
from mle.site import site
from mle.web.admin import admin


def _team_choices() -> list[SelectChoice]:
    teams = db.session.scalars(select(Team).order_by(Team.name))
    return [SelectChoice("", _("No team"))] + [SelectChoice(t.id, t.name) for t in teams]


def _send_link(user: StaffUser, token: str) -> None:
    """Email the one-time link to the person themselves: the administrator never sees it."""
    link = current_app.config["MLE_BASE_URL"].rstrip("/") + url_for("staff.set_password",
                                                                    token=token)
    name = site().area.service_name
    queue_email(user.email, f"Set your password for {name}",
                f"Hello {user.name},\n\nUse this link to set your password. It works once, "
                f"for 48 hours:\n{link}\n\nIf you did not expect this, tell your manager.\n")


@admin.get("/users")
@requires_role("administrator")
def users():
    people = db.session.scalars(select(StaffUser).order_by(StaffUser.name))
    return render_template("admin/users.html", users=list(people))


@admin.route("/users/new", methods=["GET", "POST"])
@requires_role("administrator")
def new_user():
    form = UserForm()
    form.team.choices = _team_choices()
    if form.validate_on_submit():
        try:
            user = service.create_user(form.email.data, form.name.data, form.roles.data,
                                       form.team.data)
        except service.AccountError as error:
            form.email.errors.append(str(error))
        else:
            _send_link(user, service.issue_link(user))
            db.session.commit()
            return render_template("admin/link_sent.html", user=user)
    return render_template("admin/user_form.html", form=form, user=None)


@admin.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires_role("administrator")
def edit_user(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = UserForm(obj=user, data={"team": user.team_id or "", "roles": user.roles})
    form.team.choices = _team_choices()
    del form.email  # the email address identifies the account; make a new one to change it
    if form.validate_on_submit():
        service.update_user(user, form.roles.data, form.team.data, form.active.data)
        user.name = form.name.data.strip()
        db.session.commit()
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user,
                           reset_form=ButtonForm())


@admin.post("/users/<int:user_id>/reset")
@requires_role("administrator")
def reset_user(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    _send_link(user, service.issue_link(user))
    db.session.commit()
    return render_template("admin/link_sent.html", user=user)


@admin.get("/teams")
@requires_role("administrator")
def teams():
    rows = db.session.scalars(select(Team).order_by(Team.name))
    return render_template("admin/teams.html", teams=list(rows))


def _locality_choices() -> list[SelectChoice]:
    return [SelectChoice(x.id, x.name) for x in site().area.localities.values()]


@admin.route("/teams/new", methods=["GET", "POST"])
@requires_role("administrator")
def new_team():
    form = NewTeamForm(data={"target_days": 10})
    form.localities.choices = _locality_choices()
    if form.validate_on_submit():
        if db.session.get(Team, form.id.data):
            form.id.errors.append(_("A team with that id already exists"))
        else:
            team = Team(id=form.id.data, kind=form.kind.data.strip())
            _apply_team(form, team)
            db.session.add(team)
            audit("team.created", "team", team.id)
            db.session.commit()
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=None)


@admin.route("/teams/<team_id>", methods=["GET", "POST"])
@requires_role("administrator")
def edit_team(team_id: str):
    team = db.session.get(Team, team_id) or abort(404)
    form = TeamForm(obj=team)
    form.localities.choices = _locality_choices()
    if form.validate_on_submit():
        _apply_team(form, team)
        audit("team.changed", "team", team.id)
        db.session.commit()
        return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=team)


def _apply_team(form, team: Team) -> None:
    team.name = form.name.data.strip()
    team.localities = list(form.localities.data or [])
    team.target_days = form.target_days.data
    team.inbox_email = (form.inbox_email.data or "").strip().lower() or None
