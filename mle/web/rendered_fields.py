"""Choice fields and buttons, rendered once and kept for reuse.

A GOV.UK radios or checkboxes macro is one of the dearest things on a page, yet such a field has
only as many forms as it has choices: its HTML depends on nothing but the field (name, choices,
current choice), the parameters passed to the macro and the language. So the HTML is kept by
exactly those, per worker, at most _MAX_RENDERED entries. Anything a person types (text and
number fields) and any field showing an error is rendered every time, and never kept.
"""

from __future__ import annotations

from markupsafe import Markup
from wtforms import RadioField, SelectMultipleField, SubmitField

_REUSABLE = (RadioField, SelectMultipleField, SubmitField)
_rendered: dict[tuple, Markup] = {}
_MAX_RENDERED = 4096


def _frozen(value):
    """A hashable copy of macro parameters; lazy strings become their text in this language."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def reusable_field(field, params: dict | None = None) -> Markup:
    """field(params=params), as the field itself renders it; the same HTML, reused."""
    kwargs = {} if params is None else {"params": params}
    if not isinstance(field, _REUSABLE) or field.errors:
        return field(**kwargs)
    from mle.i18n.runtime import current_language

    key = (type(field), field.name, field.id, current_language().code, _frozen(field.data),
           _frozen(getattr(field, "choices", None)), _frozen(field.render_kw),
           _frozen(field.label.text), _frozen(field.description), _frozen(params))
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= _MAX_RENDERED:
            _rendered.clear()
        html = _rendered[key] = Markup(field(**kwargs))  # noqa: S704 (the field's own HTML)
    return html
