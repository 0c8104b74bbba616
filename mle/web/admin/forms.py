"""Forms for administrators: staff accounts and teams."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from mle.vocabulary import ROLES
from mle.vocabulary.labels import ROLE_LABELS


class UserForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter an email address")),
                                   Email(message=_l("Enter an email address in the correct "
                                                    "format, like name@example.org")),
                                   Length(max=200)])
    name = StringField(_l("Full name"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter a name")), Length(max=120)])
    roles = SelectMultipleField(_l("Roles"), widget=GovCheckboxesInput(),
                                choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                                validators=[InputRequired(message=_l("Select at least one role"))])
    team = SelectField(_l("Team"), widget=GovSelect(), validators=[Optional()])
    active = BooleanField(_l("Account is active"), widget=GovCheckboxInput(), default=True)
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter a team name")),
                                   Length(max=120)])
    localities = SelectMultipleField(_l("Localities served"), widget=GovCheckboxesInput(),
                                     description=_l("Leave all unticked if the team serves the "
                                                    "whole area."),
                                     validators=[Optional()])
    target_days = IntegerField(_l("Target days to first action"), widget=GovTextInput(),
                               validators=[InputRequired(message=_l("Enter a number of days")),
                                           NumberRange(min=1, max=365, message=_l(
                                               "Enter a number of days from 1 to 365"))])
    inbox_email = EmailField(_l("Team inbox email address (optional)"), widget=GovTextInput(),
                             validators=[Optional(), Email(message=_l(
                                 "Enter an email address in the correct format, like "
                                 "team@example.org")), Length(max=200)])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NewTeamForm(TeamForm):
    id = StringField(_l("Team id"), widget=GovTextInput(),
                     description=_l("Lower-case letters, numbers and dashes, like "
                                    "ot-north. It cannot be changed later."),
                     validators=[InputRequired(message=_l("Enter a team id")), Length(max=60),
                                 Regexp(r"^[a-z][a-z0-9-]*$", message=_l(
                                     "Use lower-case letters, numbers and dashes only"))])
    kind = StringField(_l("Kind of team"), widget=GovTextInput(),
                       description=_l("For example occupational_therapy, social_work, "
                                      "equipment_service, carers_centre"),
                       validators=[InputRequired(message=_l("Enter the kind of team")),
                                   Length(max=40)])
