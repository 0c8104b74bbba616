"""Truth tables for every operator the content uses, including the null case."""

import pytest

from mle.rules import ExpressionError, compile_expression, typed_context
from mle.rules.expressions import DataType

TYPES = {
    "width": DataType.FLOAT,
    "place": DataType.STRING,
    "can_step": DataType.BOOLEAN,
    "problems": DataType.ARRAY(DataType.STRING),
}
CONTEXT = typed_context(TYPES)


def evaluate(text: str, **values) -> bool:
    return compile_expression(text, CONTEXT)({**dict.fromkeys(TYPES), **values})


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("width >= 58", 58, True), ("width >= 58", 57.9, False), ("width >= 58", None, False),
    ("width > 58", 58, False), ("width > 58", 59, True), ("width > 58", None, False),
    ("width <= 58", 58, True), ("width <= 58", 59, False), ("width <= 58", None, False),
    ("width < 58", 57, True), ("width < 58", 58, False), ("width < 58", None, False),
    ("width == 58", 58, True), ("width == 58", 57, False), ("width == 58", None, False),
    ("width != 58", 57, True), ("width != 58", 58, False), ("width != 58", None, True),
    ("width == null", None, True), ("width == null", 3, False),
    ("width != null", None, False), ("width != null", 3, True),
])
def test_number_comparisons(text, width, expected):
    assert evaluate(text, width=width) is expected


@pytest.mark.parametrize(("text", "place", "expected"), [
    ('place == "bath"', "bath", True), ('place == "bath"', "shower", False),
    ('place == "bath"', None, False), ('place != "bath"', "shower", True),
    ('place != "bath"', None, True), ('place in ["bath", "shower"]', "bath", True),
    ('place in ["bath", "shower"]', "sink", False), ('place in ["bath", "shower"]', None, False),
])
def test_choice_comparisons(text, place, expected):
    assert evaluate(text, place=place) is expected


@pytest.mark.parametrize(("text", "problems", "expected"), [
    ('"standing" in problems', ("standing", "getting_in"), True),
    ('"standing" in problems', ("getting_in",), False),
    ('"standing" in problems', (), False),
    ('"standing" in problems', None, False),
    ('"standing" not in problems', ("getting_in",), True),
])
def test_multiple_choice_contains(text, problems, expected):
    assert evaluate(text, problems=problems) is expected


@pytest.mark.parametrize(("text", "can_step", "width", "expected"), [
    ("can_step == false and width >= 56", False, 60, True),
    ("can_step == false and width >= 56", True, 60, False),
    ("can_step == false and width >= 56", False, None, False),
    ("can_step == false and width >= 56", None, 60, False),
    ("can_step == false or width >= 56", None, 60, True),
    ("can_step == false or width >= 56", None, None, False),
    ("not can_step", False, None, True),
    ("not can_step", True, None, False),
    ("can_step == true", None, None, False),
    ("not (width >= 56)", None, None, True),  # documented: write conditions positively
])
def test_logic_with_nulls(text, can_step, width, expected):
    assert evaluate(text, can_step=can_step, width=width) is expected


def test_arithmetic_on_a_missing_answer_is_false_not_an_error():
    assert evaluate("width - 10 > 40", width=None) is False
    assert evaluate("width - 10 > 40", width=60) is True


def test_unknown_name_fails_at_compile_time_with_a_suggestion():
    with pytest.raises(ExpressionError) as caught:
        compile_expression("widht >= 3", CONTEXT)
    assert "unknown name 'widht'" in caught.value.problem
    assert caught.value.suggestion == "width"


@pytest.mark.parametrize("text", [
    'width >= "wide"',      # number compared with text
    "place > 3",            # text ordered against a number
    "can_step >= 3",        # yes/no ordered against a number
])
def test_type_mismatch_fails_at_compile_time(text):
    with pytest.raises(ExpressionError):
        compile_expression(text, CONTEXT)


@pytest.mark.parametrize("text", ["width >=", "and place", '"unterminated'])
def test_syntax_errors_fail_at_compile_time(text):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text, CONTEXT)
    assert "syntax error" in caught.value.problem


def test_an_expression_that_is_not_true_or_false_is_refused():
    with pytest.raises(ExpressionError, match="true or false"):
        compile_expression("width + 1", CONTEXT)


def test_evaluation_does_not_change_the_answers():
    values = {**dict.fromkeys(TYPES), "width": 60.0}
    before = dict(values)
    compile_expression("width >= 56", CONTEXT)(values)
    assert values == before
