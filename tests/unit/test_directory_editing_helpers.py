"""Sanitised descriptions, dates of review and times of day, without the app."""

from __future__ import annotations

from datetime import date

import pytest

from mle.directory.reviews import add_months
from mle.directory.richtext import description_html, description_text, sanitise_html
from mle.web.editor.forms import normal_time


@pytest.mark.parametrize(("dirty", "clean"), [
    ("<script>alert(1)</script>Hello", "Hello"),
    ('<p onclick="x()">Hi</p>', "<p>Hi</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="https://example.org" target="_blank">x</a>',
     '<a href="https://example.org" rel="noopener noreferrer">x</a>'),
    ('<img src=x onerror="alert(1)">', ""),
    ("<style>p{}</style><p style='color:red'>Hi</p>", "<p>Hi</p>"),
    ("<ul><li><strong>One</strong></li></ul>", "<ul><li><strong>One</strong></li></ul>"),
    ("<iframe src='https://example.org'></iframe>", ""),
    ("Tea & cake < 5", "Tea &amp; cake &lt; 5"),
])
def test_descriptions_keep_simple_formatting_and_lose_everything_else(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_plain_text_becomes_paragraphs_and_cards_show_no_markup():
    assert str(description_html("One.\n\nTwo & three.")) == "<p>One.</p><p>Two &amp; three.</p>"
    assert str(description_html("<p>Kept</p>")) == "<p>Kept</p>"
    assert str(description_text("<p>Tea &amp; <b>cake</b></p><script>x</script>")) == \
        "Tea &amp; cake"


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 12, 2), 12, date(2027, 12, 2)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2026, 1, 15), -12, date(2025, 1, 15)),
])
def test_review_dates_move_by_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("9:00", "09:00"), ("09.30", "09:30"), (" 17:05 ", "17:05"), ("23:59", "23:59"),
    ("24:00", None), ("9am", None), ("0900", None), ("12:60", None), ("", None),
])
def test_times_of_day(text, expected):
    assert normal_time(text) == expected
