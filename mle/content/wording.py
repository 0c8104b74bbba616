"""Whose answers are they: every text that speaks to the person ("you", "I", "my") has a
version for someone answering for another person ("they", "their"), so a daughter answering for
her mother is never told "you told us you fell".

A module whose questions are about the person answering (the carer module) needs none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mle.content.errors import ContentError
from mle.content.model import Content, EquipmentItem, Module, Question

# Words that make a text about the reader: second person anywhere, first person in answers.
_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(me|my|mine|myself)\b", re.IGNORECASE)
_I = re.compile(r"\bI(\b|'m|'ve|'d|'ll)")  # capital I only: "i" is never the pronoun here


def _personal(text: str | None) -> bool:
    if not text:
        return False
    return any(p.search(text) for p in (_SECOND_PERSON, _FIRST_PERSON, _I))


def _question_texts(q: Question) -> Iterator[tuple[str, str, str | None, object]]:
    yield q.id, "text_for_someone_else", q.text, q.text_for_someone_else
    yield q.id, "hint_for_someone_else", q.hint, q.hint_for_someone_else
    for option in q.all_options:
        where = f"{q.id}/{option.value}"
        yield where, "label_for_someone_else", option.label, option.label_for_someone_else
        yield where, "hint_for_someone_else", option.hint, option.hint_for_someone_else
    if q.measurement:
        yield (f"{q.id}/measurement", "guidance_for_someone_else", q.measurement.guidance,
               q.measurement.guidance_for_someone_else)


def _texts(module: Module) -> Iterator[tuple[str, str, str | None, object]]:
    """(where, field for someone else, text, its version for someone else) for every text."""
    for q in module.questions:
        yield from _question_texts(q)
    for o in module.rules.outcomes:
        yield o.id, "because_for_someone_else", o.because, o.because_for_someone_else
    for f in module.rules.urgent:
        yield f.id, "message_for_someone_else", f.message, f.message_for_someone_else
        yield f.id, "because_for_someone_else", f.because, f.because_for_someone_else
        for step in f.steps:
            yield f.id, "steps_for_someone_else", step, f.steps_for_someone_else
    for a in module.advice.values():
        yield a.id, "title_for_someone_else", a.title, a.title_for_someone_else
        for line in a.body:
            yield a.id, "body_for_someone_else", line, a.body_for_someone_else


def _missing(module: Module) -> Iterator[tuple[str, str]]:
    """(where, field) for each personal text without a version for someone else."""
    yield from dict.fromkeys((where, field) for where, field, text, alternate in _texts(module)
                             if _personal(text) and not alternate)


def _item_texts(item: EquipmentItem) -> Iterator[tuple[str, str | None, object]]:
    yield "description_for_someone_else", item.description, item.description_for_someone_else
    yield ("fits_because_for_someone_else", item.fits_because,
           item.fits_because_for_someone_else)
    for line in item.not_without_advice:
        yield "not_without_advice_for_someone_else", line, item.not_without_advice_for_someone_else


def _line_for_line(content: Content) -> Iterator[ContentError]:
    """A version for someone else replaces its list whole, so it must keep every line."""
    for module in content.modules.values():
        for a in module.advice.values():
            if a.body_for_someone_else and len(a.body_for_someone_else) != len(a.body):
                yield ContentError(module.source, a.id, "body_for_someone_else must have one "
                                                        "line for each line of body")
    for item in content.equipment.values():
        if (item.not_without_advice_for_someone_else
                and len(item.not_without_advice_for_someone_else)
                != len(item.not_without_advice)):
            yield ContentError("equipment.yaml", item.id, "not_without_advice_for_someone_else "
                                                          "must have one line for each line of "
                                                          "not_without_advice")


def _equipment_missing(content: Content) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    offered = {item_id for module in content.modules.values()
               if not module.about_the_answerer for item_id in module.rules.equipment}
    for item_id in sorted(offered & set(content.equipment)):
        yield from dict.fromkeys(
            (f"equipment {item_id}", field)
            for field, text, alternate in _item_texts(content.equipment[item_id])
            if _personal(text) and not alternate)
    for module in content.modules.values():
        if module.about_the_answerer:
            continue
        for item_id, rule in module.rules.equipment.items():
            for index, entry in enumerate(rule.not_for):
                key = f"{item_id}/not_for/{index + 1}"
                if key in seen or entry.weight_limit_kg is not None:
                    continue
                seen.add(key)
                if _personal(entry.because) and not entry.because_for_someone_else:
                    yield f"equipment {key}", "because_for_someone_else"


def wording_gaps(content: Content) -> list[ContentError]:
    errors = []
    for module in content.modules.values():
        if module.about_the_answerer:
            continue
        errors += [ContentError(module.source, where, f"speaks to the person answering: add "
                                                      f"'{field}' for someone answering for "
                                                      f"another person")
                   for where, field in _missing(module)]
    errors += [ContentError("equipment.yaml", where, f"speaks to the person answering: add "
                                                     f"'{field}'")
               for where, field in _equipment_missing(content)]
    return errors + list(_line_for_line(content))
