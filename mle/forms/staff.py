"""Forms for staff: sign-in, passwords, second factor, accounts and teams."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from mle.security.passwords import MIN_LENGTH
from mle.vocabulary import ROLES
from mle.vocabulary.labels import ROLE_LABELS


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter your email address")),
                                   Length(max=200)])
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[InputRequired(message=_l("Enter your password")),
                                         Length(max=200)])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter the 6-digit code")),
                                   Length(max=12)])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), widget=GovPasswordInput(),
        description=_l("At least %(n)d characters. A few unrelated words is a good choice.",
                       n=MIN_LENGTH),
        validators=[InputRequired(message=_l("Enter a new password")),
                    Length(min=MIN_LENGTH, max=200,
                           message=_l("Password must be at least %(n)d characters", n=MIN_LENGTH))])
    confirm = PasswordField(
        _l("Confirm new password"), widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter the new password again")),
                    EqualTo("password", message=_l("The passwords do not match"))])
    submit = SubmitField(_l("Set password"), widget=GovSubmitInput())


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


class ButtonForm(FlaskForm):
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class AssistedStartForm(FlaskForm):
    how = RadioField(
        _l("How are you doing this assessment?"), widget=GovRadioInput(),
        choices=[SelectChoice("phone", _l("By phone with the person")),
                 SelectChoice("in_person", _l("In person with the person")),
                 SelectChoice("on_behalf", _l("On behalf of the person, at their request"))],
        validators=[InputRequired(message=_l("Select how you are doing the assessment"))])
    agreed = BooleanField(
        _l("The person agreed to do this assessment with me, and knows their answers are "
           "kept for 90 days"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l(
            "Confirm the person agreed before you start the assessment"))])
    submit = SubmitField(_l("Start the assessment"), widget=GovSubmitInput())


class StaffNoteForm(FlaskForm):
    note = TextAreaField(_l("Add a note to this assessment"), widget=GovTextArea(),
                         description=_l("Notes go with any request you make from the result."),
                         validators=[InputRequired(message=_l("Enter a note")),
                                     Length(max=2000)])
    submit = SubmitField(_l("Add note"), widget=GovSubmitInput())
