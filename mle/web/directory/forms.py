"""The public form to report a problem with a directory entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mle.directory.problems import PROBLEM_KINDS

# Each kind of problem as a resident would put it (editors read them in their own words).
KIND_CHOICES = {
    "wrong_details": _l("The contact details or opening times are wrong"),
    "closed": _l("The service no longer exists"),
    "not_my_area": _l("It does not serve my area"),
    "other": _l("Something else"),
}


class ProblemForm(FlaskForm):
    kind = RadioField(
        _l("What is wrong with this entry?"), widget=GovRadioInput(),
        choices=[SelectChoice(kind, KIND_CHOICES[kind]) for kind in PROBLEM_KINDS],
        validators=[InputRequired(message=_l("Select what is wrong with this entry"))])
    details = TextAreaField(
        _l("Tell us more (optional)"), widget=GovCharacterCount(),
        description=_l("Do not include your name or any personal details."),
        validators=[Optional(), Length(max=500, message=_l(
            "Tell us in 500 characters or fewer"))])
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())
