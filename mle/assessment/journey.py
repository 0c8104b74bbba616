"""The order of pages: which question comes next, which came before, and when we are done."""

from __future__ import annotations

from collections.abc import Iterator

from mle.assessment.state import AssessmentState
from mle.content import Content, Module
from mle.rules.routing import visible_questions

Page = tuple[str, str]  # (module id, question id)


def _module_path(module: Module, state: AssessmentState) -> list[str]:
    return visible_questions(module.rules.visibility, state.answers.get(module.id, {}),
                             base=state.about.for_rules())


def path(content: Content, state: AssessmentState) -> Iterator[Page]:
    """Every question this person is asked, in order, given the answers so far."""
    for module_id in state.modules:
        module = content.module(module_id)
        if module is not None:
            for question_id in _module_path(module, state):
                yield module_id, question_id


def is_answered(content: Content, state: AssessmentState, page: Page) -> bool:
    module_id, question_id = page
    question = content.module(module_id).question(question_id)
    if question.optional:
        return question_id in state.answers.get(module_id, {})
    return state.answer(module_id, question_id) is not None


def next_page(content: Content, state: AssessmentState) -> Page | None:
    """The first question on the path not yet answered; None when every one is."""
    return next((p for p in path(content, state) if not is_answered(content, state, p)), None)


def previous_page(content: Content, state: AssessmentState, page: Page) -> Page | None:
    previous = None
    for candidate in path(content, state):
        if candidate == page:
            return previous
        previous = candidate
    return None


def is_on_path(content: Content, state: AssessmentState, page: Page) -> bool:
    return page in set(path(content, state))


def answered_pages(content: Content, state: AssessmentState) -> list[Page]:
    return [p for p in path(content, state) if is_answered(content, state, p)]
