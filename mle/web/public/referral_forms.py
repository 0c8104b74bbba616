"""The resident's consent and contact details for a referral or equipment request."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

# UK numbers: 10 or 11 digits starting 0, or +44 and 9 or 10 digits; spaces, brackets, dashes ok.
_UK_PHONE = re.compile(r"^(?:0\d{9,10}|\+44\d{9,10})$")


def _uk_phone(form, field) -> None:
    digits = re.sub(r"[\s()\-]", "", field.data or "")
    if digits and not _UK_PHONE.match(digits):
        raise ValidationError(_l("Enter a UK phone number, like 01698 123456 or 07700 900982"))


class ContactForm(FlaskForm):
    consent = BooleanField(
        _l("I agree that my answers and these contact details can be shared with this team"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l(
            "Tick the box to agree to share your details, or go back to your results"))])
    name = StringField(_l("Full name"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter the full name of the person "
                                                            "the request is for")),
                                   Length(max=120)])
    phone = StringField(_l("Phone number"), widget=GovTextInput(),
                        validators=[Optional(), Length(max=30), _uk_phone])
    email = EmailField(_l("Email address (optional)"), widget=GovTextInput(),
                       description=_l("We will send your reference number to this address."),
                       validators=[Optional(), Length(max=200), Email(message=_l(
                           "Enter an email address in the correct format, like "
                           "name@example.com"))])
    address = TextAreaField(_l("Address"), widget=GovTextArea(),
                            validators=[InputRequired(message=_l("Enter the address")),
                                        Length(max=300)])
    best_time = StringField(_l("Best time to contact you (optional)"), widget=GovTextInput(),
                            description=_l("For example, weekday mornings"),
                            validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Send my request"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.phone.data or "").strip() and not (self.email.data or "").strip():
            # A form-level rule: Optional() on each field would otherwise clear this error.
            self.phone.errors = [*self.phone.errors, _l(
                "Enter a phone number or an email address, so the team can contact you")]
            return False
        return valid


class EquipmentRequestForm(ContactForm):
    measurements_right = BooleanField(
        _l("The measurements shown are right"), widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l(
            "Tick the box to confirm the measurements, or go back and change them"))])
    address = TextAreaField(_l("Delivery address"), widget=GovTextArea(),
                            validators=[InputRequired(message=_l("Enter the delivery address")),
                                        Length(max=300)])
