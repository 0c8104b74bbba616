"""Build the form for one question from its content, and turn the answer into a value.

Option values are what rules compare; labels are what people read.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from mle.content import Question
from mle.i18n.runtime import lazy_content_text


class NumberAnswer(StringField):
    """A number typed as text, so a wrong entry comes back to the person as they typed it."""

    widget = GovTextInput()

    def __init__(self, *args, minimum: float, maximum: float, decimals: int, unit: str,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum, self.decimals, self.unit = minimum, maximum, decimals, unit

    def number(self) -> float | None:
        text = (self.data or "").strip().replace(",", "")
        text = text.removesuffix(self.unit).strip() if self.unit else text
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_l("Enter a number, like %(example)s",
                                     example=int(self.minimum + self.maximum) // 2)) from None
        if not value.is_finite():
            raise ValidationError(_l("Enter a number"))
        if self.decimals == 0 and value != value.to_integral_value():
            raise ValidationError(_l("Enter a whole number"))
        if not Decimal(str(self.minimum)) <= value <= Decimal(str(self.maximum)):
            raise ValidationError(_l("Enter a number from %(min)s to %(max)s %(unit)s",
                                     min=_plain(self.minimum), max=_plain(self.maximum),
                                     unit=lazy_content_text(self.unit)))
        return round(float(value), self.decimals)

    def pre_validate(self, form) -> None:
        self.number()


def _plain(number: float) -> str:
    return f"{number:g}"


def _exclusive_none(question: Question):
    def check(form, field: Field) -> None:
        none = question.none_option
        if none and none.value in (field.data or []) and len(field.data) > 1:
            raise ValidationError(
                _l("Select the options that apply, or select ‘%(none)s’",
                   none=lazy_content_text(none.label)))
    return check


def _required(question: Question, message) -> list:
    return [Optional()] if question.optional else [InputRequired(message=message)]


def _answer_field(question: Question) -> Field:
    kind = question.type
    # Labels are looked up when shown; values never change with the language.
    choices = [SelectChoice(o.value, lazy_content_text(o.label)) for o in question.all_options]
    text, hint = lazy_content_text(question.text), lazy_content_text(question.hint) or ""
    if kind == "single_choice":
        return RadioField(text, choices=choices, widget=GovRadioInput(),
                          validators=_required(question, _l("Select an answer")),
                          description=hint)
    if kind == "multiple_choice":
        message = (_l("Select all that apply, or ‘%(none)s’",
                      none=lazy_content_text(question.none_option.label))
                   if question.none_option else _l("Select all that apply"))
        return SelectMultipleField(text, choices=choices, widget=GovCheckboxesInput(),
                                   validators=[*_required(question, message),
                                               _exclusive_none(question)],
                                   description=hint)
    if kind == "yes_no":
        return RadioField(text,
                          choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                          widget=GovRadioInput(),
                          validators=_required(question, _l("Select yes or no")),
                          description=hint)
    if kind == "number":
        required = [] if question.optional else [InputRequired(
            message=_l("Enter a number from %(min)s to %(max)s %(unit)s",
                       min=_plain(question.min), max=_plain(question.max),
                       unit=lazy_content_text(question.unit)))]
        return NumberAnswer(text, validators=required, minimum=question.min,
                            maximum=question.max, decimals=question.decimals,
                            unit=question.unit, description=hint)
    return StringField(text, widget=GovCharacterCount(),
                       validators=[*_required(question, _l("Enter an answer")),
                                   Length(max=question.max_length, message=_l(
                                       "Answer must be %(max)d characters or fewer",
                                       max=question.max_length))],
                       description=hint)


@lru_cache(maxsize=512)
def question_form_class(question: Question) -> type[FlaskForm]:
    class QuestionForm(FlaskForm):
        answer = _answer_field(question)
        submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    return QuestionForm


def form_value(question: Question, form: FlaskForm) -> Any:
    """The answer as rules see it: option value, list of values, bool, float or text."""
    field = form.answer
    if question.type == "yes_no":
        return None if field.data in (None, "None", "") else field.data == "yes"
    if question.type == "number":
        return field.number()
    if question.type == "multiple_choice":
        return list(field.data or []) or None
    if question.type == "text":
        return (field.data or "").strip() or None
    return field.data or None


def form_data(question: Question, value: Any) -> Any:
    """An answer already given, as the form shows it again."""
    if value is None:
        return None
    if question.type == "yes_no":
        return "yes" if value else "no"
    if question.type == "number":
        return f"{value:.{question.decimals}f}"
    return value
