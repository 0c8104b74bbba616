"""The journey's own forms: about you, topics, resume, feedback, an email address, and the
button-only confirmations. A question's form is built from its content (mle/forms/questions.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import Email, InputRequired, Length, ValidationError

from mle.directory.postcodes import InvalidPostcode, is_scottish, normalise_postcode
from mle.vocabulary import labels


def _scottish_postcode(form, field) -> None:
    if not (field.data or "").strip():
        return
    try:
        postcode = normalise_postcode(field.data)
    except InvalidPostcode:
        raise ValidationError(_l("Enter a real postcode, like ML1 1AB")) from None
    if not is_scottish(postcode):
        raise ValidationError(_l(
            "Enter a postcode in Scotland. This service is for people living in Scotland"))
    field.normalised = postcode


class AboutYouForm(FlaskForm):
    answering_for = RadioField(
        _l("Who are you answering for?"),
        choices=[SelectChoice(code, label) for code, label in labels.choices("answering_for")],
        validators=[InputRequired(message=_l("Select who you are answering for"))],
        widget=GovRadioInput(),
    )
    age_band = RadioField(
        _l("What age group is the person the answers are about in?"),
        description=_l("If you are answering for yourself, that is you."),
        choices=[SelectChoice(code, label) for code, label in labels.choices("age_band")],
        validators=[InputRequired(message=_l("Select an age group"))],
        widget=GovRadioInput(),
    )
    postcode = StringField(
        _l("Postcode (optional)"),
        description=_l("We use it only to find services near where the person lives. "
                       "We do not keep the postcode."),
        validators=[Length(max=12, message=_l("Enter a real postcode, like ML1 1AB")),
                    _scottish_postcode],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def topics_form_class(choices: list[SelectChoice]) -> type[FlaskForm]:
    class TopicsForm(FlaskForm):
        topics = SelectMultipleField(
            _l("Which things do you want help with?"),
            choices=choices,
            validators=[InputRequired(message=_l("Select at least one topic"))],
            widget=GovCheckboxesInput(),
        )
        submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    return TopicsForm


class ResumeForm(FlaskForm):
    code = StringField(
        _l("Your code"),
        description=_l("For example, K7QF2-M9XZP. Capital letters, spaces and dashes do "
                       "not matter."),
        validators=[InputRequired(message=_l("Enter your code")),
                    Length(max=40, message=_l("Enter the code you were given, like K7QF2-M9XZP"))],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button-only form: the CSRF token is what it carries."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class FeedbackForm(FlaskForm):
    """Optional feedback at the end of the result; the values are fixed codes for reporting."""

    helpful = RadioField(
        _l("Was this helpful?"), widget=GovRadioInput(),
        choices=[SelectChoice(c, label) for c, label in labels.choices("feedback_helpful")],
        validators=[InputRequired(message=_l("Select whether this was helpful"))])
    next_steps = SelectMultipleField(
        _l("What will you do next?"), widget=GovCheckboxesInput(),
        choices=[SelectChoice(code, label) for code, label in labels.choices("feedback_next")],
        description=_l("Select all that apply (optional)."))
    submit = SubmitField(_l("Send feedback"), widget=GovSubmitInput())


class EmailAddressForm(FlaskForm):
    """One email address, used once to send something and then erased. Nothing is sent until
    the person confirms the address on the next page (SendEmailForm)."""

    email = EmailField(
        _l("Email address"),
        description=_l("We use it only to send this email. We delete it once it has gone."),
        validators=[InputRequired(message=_l("Enter your email address")),
                    Length(max=200, message=_l("Email address must be 200 characters or "
                                               "fewer")),
                    Email(message=_l("Enter an email address in the correct format, like "
                                     "name@example.com"))],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SendEmailForm(FlaskForm):
    """The button that sends an email to the address shown above it: the CSRF token is what
    it carries."""

    submit = SubmitField(_l("Send email"), widget=GovSubmitInput())
