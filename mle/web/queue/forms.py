"""Forms for acting on a request: its status, notes and reassignment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mle.vocabulary import next_referral_statuses
from mle.vocabulary.labels import REFERRAL_STATUS_LABELS


class _Prefixed(FlaskForm):
    """Several forms share the request page; a prefix keeps their field ids apart."""

    form_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.form_prefix)
        super().__init__(*args, **kwargs)


class StatusForm(_Prefixed):
    form_prefix = "status"
    version = HiddenField()
    status = RadioField(_l("Change the status"), widget=GovRadioInput(),
                        validators=[InputRequired(message=_l("Select a status"))])
    outcome = TextAreaField(_l("Outcome or reason"), widget=GovTextArea(),
                            description=_l("Needed when you close or decline a request. Do not "
                                           "include personal details."),
                            validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Update status"), widget=GovSubmitInput())

    def for_status(self, current: str) -> StatusForm:
        """Offer only the statuses that may follow `current`: none once a request has ended."""
        self.status.choices = [SelectChoice(s, REFERRAL_STATUS_LABELS[s])
                               for s in next_referral_statuses(current)]
        return self


class NoteForm(_Prefixed):
    form_prefix = "note"
    note = TextAreaField(_l("Add a note"), widget=GovTextArea(),
                         validators=[InputRequired(message=_l("Enter a note")),
                                     Length(max=2000)])
    submit = SubmitField(_l("Add note"), widget=GovSubmitInput())


class ReassignForm(_Prefixed):
    form_prefix = "reassign"
    version = HiddenField()
    team = SelectField(_l("Pass to another team"), widget=GovSelect(),
                       validators=[InputRequired(message=_l("Select a team"))])
    submit = SubmitField(_l("Reassign"), widget=GovSubmitInput())
