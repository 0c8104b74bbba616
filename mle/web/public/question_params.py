"""GOV.UK Frontend macro parameters for a question page: the question is the page's <h1>."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from mle.content import Question
from mle.i18n.runtime import content_text as t
from mle.web.rendered_fields import reusable_field


def _measurement_hint(question: Question) -> Markup:
    m = question.measurement
    parts = [Markup("<p class='govuk-body'>{}</p>").format(t(m.guidance))]
    if question.hint:
        parts.insert(0, Markup("<p class='govuk-body'>{}</p>").format(t(question.hint)))
    alt = t(m.diagram_alt or m.guidance)
    parts.append(Markup("<img class='mle-diagram' src='{}' alt='{}' width='480'>").format(
        url_for("static", filename=f"diagrams/{m.diagram}.svg"), alt))
    return Markup("").join(parts)


def question_params(question: Question, form) -> dict:
    heading = {"text": t(question.text), "isPageHeading": True, "classes": "govuk-label--l"}
    if question.type in ("single_choice", "multiple_choice", "yes_no"):
        params: dict = {"fieldset": {"legend": {**heading,
                                                "classes": "govuk-fieldset__legend--l"}}}
        items = [{"hint": {"text": t(o.hint)}} if o.hint else {} for o in question.options]
        if question.none_option:
            items.append({"behaviour": "exclusive"})
        if items and any(items):
            params["items"] = items
        if question.type == "yes_no":
            params["classes"] = "govuk-radios--inline"
        return params
    params = {"label": heading}
    if question.type == "number":
        params.update({
            "classes": "govuk-input--width-5",
            "inputmode": "decimal" if question.decimals else "numeric",
            "spellcheck": False,
            "suffix": {"text": t(question.unit)},
        })
        if question.measurement:
            params["hint"] = {"html": _measurement_hint(question)}
    else:
        params.update({"maxlength": question.max_length, "rows": 3})
    if question.hint and not question.measurement:
        params["hint"] = {"text": t(question.hint)}
    return params


def answer_field(question: Question, form, params: dict) -> Markup:
    """The question's answer field; choice fields are rendered once and reused
    (mle/web/rendered_fields.py), anything a person types is rendered each time."""
    return reusable_field(form.answer, params)
