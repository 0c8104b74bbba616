"""Reused renderings of choice fields are exactly what the field renders itself, for the
current choice and language, and a field with an error is never reused."""

from werkzeug.datastructures import MultiDict

from mle.web.public.forms import AboutYouForm, FeedbackForm
from mle.web.rendered_fields import _rendered, reusable_field

PARAMS = {"fieldset": {"legend": {"text": "Was this helpful?"}}, "classes": "govuk-radios--inline"}


def test_a_reused_field_is_the_fields_own_html_for_each_choice_and_language(app):
    _rendered.clear()
    with app.test_request_context("/result"):
        for data in (None, "yes", "no"):
            form = FeedbackForm(data={"helpful": data}, meta={"csrf": False})
            own = form.helpful(params=PARAMS)
            assert reusable_field(form.helpful, PARAMS) == own
            assert reusable_field(form.helpful, PARAMS) == own  # now from the kept copy
        checked = [html for html in _rendered.values() if 'value="no" checked' in html]
        assert len(checked) == 1 and len(_rendered) == 3
        english = reusable_field(FeedbackForm(meta={"csrf": False}).submit)
    with app.test_request_context("/result?lang=pl"):
        app.preprocess_request()
        polish = FeedbackForm(meta={"csrf": False}).submit
        assert reusable_field(polish) == polish() != english


def test_a_field_with_an_error_is_rendered_each_time_and_never_kept(app):
    _rendered.clear()
    with app.test_request_context("/about-you", method="POST"):
        form = AboutYouForm(formdata=MultiDict({"answering_for": "nobody"}), meta={"csrf": False})
        assert not form.validate() and form.answering_for.errors
        html = reusable_field(form.answering_for)
        assert html == form.answering_for() and "govuk-error-message" in html
        assert not _rendered


def test_typed_answers_are_never_kept(app):
    _rendered.clear()
    with app.test_request_context("/about-you"):
        form = AboutYouForm(data={"postcode": "ML5 2QT"}, meta={"csrf": False})
        assert reusable_field(form.postcode) == form.postcode()
        assert not _rendered
