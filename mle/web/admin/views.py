"""Manage staff accounts and teams. Every change is in the audit trail."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from mle.accounts import service
from mle.accounts.teams import (
    TeamDetails,
    TeamIdTaken,
    all_teams,
    change_team,
    create_team,
    get_team,
)
from mle.security.roles import requires_role
from mle.site import site
from mle.web.admin import admin
from mle.web.admin.forms import NewTeamForm, TeamForm, UserForm
from mle.web.staff.forms import ButtonForm


def _team_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("No team"))] + [SelectChoice(t.id, t.name) for t in all_teams()]


@admin.get("/users")
@requires_role("administrator")
def users():
    return render_template("admin/users.html", users=service.all_users())


@admin.route("/users/new", methods=["GET", "POST"])
@requires_role("administrator")
def new_user():
    form = UserForm()
    form.team.choices = _team_choices()
    if form.validate_on_submit():
        try:
            user = service.invite_user(form.email.data, form.name.data, form.roles.data,
                                       form.team.data)
        except service.AccountError as error:
            form.email.errors.append(str(error))
        else:
            return render_template("admin/link_sent.html", user=user)
    return render_template("admin/user_form.html", form=form, user=None)


@admin.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires_role("administrator")
def edit_user(user_id: int):
    user = service.get_user(user_id) or abort(404)
    form = UserForm(obj=user, data={"team": user.team_id or "", "roles": user.roles})
    form.team.choices = _team_choices()
    del form.email  # the email address identifies the account; make a new one to change it
    if form.validate_on_submit():
        service.change_user(user, form.name.data, form.roles.data, form.team.data,
                            form.active.data)
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user,
                           paused=service.is_paused(user))


@admin.post("/users/<int:user_id>/reset")
@requires_role("administrator")
def reset_user(user_id: int):
    user = service.get_user(user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    service.email_new_link(user)
    return render_template("admin/link_sent.html", user=user)


@admin.post("/users/<int:user_id>/unlock")
@requires_role("administrator")
def unlock_user(user_id: int):
    """Lift a pause on signing in after failed passwords or codes."""
    user = service.get_user(user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    service.unlock(user)
    return redirect(url_for("admin.edit_user", user_id=user.id))


@admin.post("/users/<int:user_id>/end-sessions")
@requires_role("administrator")
def end_user_sessions(user_id: int):
    """Sign the account out on every device (a lost laptop, a session someone else took)."""
    user = service.get_user(user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    service.end_sessions_by_administrator(user)
    return redirect(url_for("admin.edit_user", user_id=user.id))


@admin.get("/teams")
@requires_role("administrator")
def teams():
    return render_template("admin/teams.html", teams=all_teams())


def _locality_choices() -> list[SelectChoice]:
    return [SelectChoice(x.id, x.name) for x in site().area.localities.values()]


def _team_details(form: TeamForm) -> TeamDetails:
    return TeamDetails(name=form.name.data, localities=tuple(form.localities.data or ()),
                       target_days=form.target_days.data, inbox_email=form.inbox_email.data)


@admin.route("/teams/new", methods=["GET", "POST"])
@requires_role("administrator")
def new_team():
    form = NewTeamForm(data={"target_days": 10})
    form.localities.choices = _locality_choices()
    if form.validate_on_submit():
        try:
            create_team(form.id.data, form.kind.data, _team_details(form))
        except TeamIdTaken:
            form.id.errors.append(_("A team with that id already exists"))
        else:
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=None)


@admin.route("/teams/<team_id>", methods=["GET", "POST"])
@requires_role("administrator")
def edit_team(team_id: str):
    team = get_team(team_id) or abort(404)
    form = TeamForm(obj=team)
    form.localities.choices = _locality_choices()
    if form.validate_on_submit():
        change_team(team, _team_details(form))
        return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=team)
