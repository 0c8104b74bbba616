"""Which questions a person is asked, given their answers so far."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mle.rules.expressions import Expression, Values, prepare

Visibility = Iterable[tuple[str, Expression | None]]


def visible_questions(
    visibility: Visibility, answers: Mapping[str, Any], base: Mapping[str, Any] | None = None
) -> list[str]:
    """The ids of the questions this person is asked, in order.

    Questions are walked in order; a `show_when` sees only the answers to questions shown before
    it, so an answer left over from an earlier route can never switch a later question on.
    """
    visibility = tuple(visibility)
    values = prepare({**(base or {}), **{question_id: None for question_id, _ in visibility}})
    answers = prepare(answers)
    shown = []
    for question_id, show_when in visibility:
        if show_when is None or show_when(values):
            shown.append(question_id)
            values[question_id] = answers.get(question_id)
    return shown


def effective_answers(
    visibility: Visibility, answers: Mapping[str, Any], base: Mapping[str, Any] | None = None
) -> Values:
    """Answers with every question the person was routed past set to None."""
    visibility = tuple(visibility)
    answers = prepare(answers)
    shown = set(visible_questions(visibility, answers, base))
    values = prepare(base or {})
    values.update({qid: answers.get(qid) if qid in shown else None for qid, _ in visibility})
    return values
