"""Forms for assisted assessments: starting one, and a note on it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from mle.vocabulary import ASSISTED_HOW
from mle.vocabulary.labels import ASSISTED_HOW_LABELS


class AssistedStartForm(FlaskForm):
    how = RadioField(
        _l("How are you doing this assessment?"), widget=GovRadioInput(),
        choices=[SelectChoice(how, ASSISTED_HOW_LABELS[how]) for how in ASSISTED_HOW],
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
