"""Forms for signing in and for a member of staff's own account, and the plain button that
every staff page posts with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from mle.security.common_passwords import is_common_password
from mle.security.passwords import MIN_LENGTH


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


def not_common(form, field) -> None:
    """Refuse a password on the list of common and breached passwords (only once it is long
    enough, so a short one gets one message, not two)."""
    if len(field.data or "") >= MIN_LENGTH and is_common_password(field.data):
        raise ValidationError(_l("This password is too common. Choose another one"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), widget=GovPasswordInput(),
        description=_l("At least %(n)d characters. A few unrelated words is a good choice.",
                       n=MIN_LENGTH),
        validators=[InputRequired(message=_l("Enter a new password")),
                    Length(min=MIN_LENGTH, max=200,
                           message=_l("Password must be at least %(n)d characters", n=MIN_LENGTH)),
                    not_common])
    confirm = PasswordField(
        _l("Confirm new password"), widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter the new password again")),
                    EqualTo("password", message=_l("The passwords do not match"))])
    submit = SubmitField(_l("Set password"), widget=GovSubmitInput())


def current_password_field() -> PasswordField:
    return PasswordField(_l("Current password"), widget=GovPasswordInput(),
                         validators=[InputRequired(message=_l("Enter your current password")),
                                     Length(max=200)])


class ChangePasswordForm(SetPasswordForm):
    """Changing one's own password while signed in: the current one is asked for again."""

    current_password = current_password_field()
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class TurnOffTwoFactorForm(FlaskForm):
    """Turning off two-step sign-in asks for the password again."""

    current_password = current_password_field()


class ButtonForm(FlaskForm):
    """A form that is only a button (sign out, a new set-password link, an editor's workflow
    actions): the CSRF token is all it carries."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
