"""Frozen content objects, built once per process."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mle.rules import RuleSet

if TYPE_CHECKING:
    from mle.content.policy import ReferralPolicy


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None
    label_for_someone_else: str | None = None
    hint_for_someone_else: str | None = None
    age_band: str | None = None  # the age band this answer means, for an answerer-age question

    def for_someone_else(self) -> Option:
        return replace(self, label=self.label_for_someone_else or self.label,
                       hint=self.hint_for_someone_else or self.hint)


@dataclass(frozen=True)
class Measurement:
    guidance: str
    diagram: str
    diagram_alt: str | None = None
    guidance_for_someone_else: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # single_choice, multiple_choice, yes_no, number, text
    text: str
    hint: str | None = None
    options: tuple[Option, ...] = ()
    none_option: Option | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    decimals: int = 0
    measurement: Measurement | None = None
    max_length: int | None = None
    optional: bool = False
    show_when: str | None = None
    text_for_someone_else: str | None = None
    hint_for_someone_else: str | None = None

    def worded_for(self, someone_else: bool) -> Question:
        """The question as asked of someone answering for another person ("they", "their")."""
        if not someone_else:
            return self
        measurement = self.measurement
        if measurement and measurement.guidance_for_someone_else:
            measurement = replace(measurement, guidance=measurement.guidance_for_someone_else)
        return replace(
            self, text=self.text_for_someone_else or self.text,
            hint=self.hint_for_someone_else or self.hint,
            options=tuple(o.for_someone_else() for o in self.options),
            none_option=self.none_option.for_someone_else() if self.none_option else None,
            measurement=measurement)

    def label_for(self, value: Any, translate: Callable[[str], str] = str) -> str:
        """The label a person chose, for check-your-answers and summaries.

        translate turns English text into the reader's language (the web layer passes its
        content look-up); the default keeps the English, as staff records do.
        """
        if self.type == "yes_no":
            return translate("Yes" if value else "No")
        choices = {o.value: o.label for o in self.all_options}
        if self.type == "multiple_choice":
            return ", ".join(translate(choices[v]) if v in choices else v for v in value)
        if self.type == "single_choice":
            return translate(choices[value]) if value in choices else value
        if self.type == "number":
            number = f"{value:.{self.decimals}f}"
            return f"{number} {translate(self.unit) if self.unit else ''}".rstrip()
        return str(value)

    @property
    def all_options(self) -> tuple[Option, ...]:
        return self.options + ((self.none_option,) if self.none_option else ())


@dataclass(frozen=True)
class AdviceItem:
    id: str
    title: str
    body: tuple[str, ...]
    title_for_someone_else: str | None = None
    body_for_someone_else: tuple[str, ...] = ()  # line for line the body

    def worded_for(self, someone_else: bool) -> AdviceItem:
        """The advice as the person answering reads it: "they" when it is about another."""
        if not someone_else:
            return self
        return replace(self, title=self.title_for_someone_else or self.title,
                       body=self.body_for_someone_else or self.body)


@dataclass(frozen=True)
class TestCase:
    id: str
    about: Mapping[str, Any]
    answers: Mapping[str, Any]
    expect: Mapping[str, Any]


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    description: str
    owner: str
    version: int
    reviewed_on: datetime.date
    review_due: datetime.date
    questions: tuple[Question, ...]
    advice: Mapping[str, AdviceItem]
    rules: RuleSet
    tests: tuple[TestCase, ...]
    source: str
    about_the_answerer: bool = False  # see RuleSet.about_the_answerer
    answerer_age: str | None = None  # the question asking the answerer's own age
    # Whoever answers this module looks after someone: services for unpaid carers are theirs.
    answerer_is_carer: bool = False

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def for_someone_else(self, answering_for: str | None) -> bool:
        """Are this module's questions asked about another person than the one answering?"""
        return answering_for == "someone_else" and not self.about_the_answerer

    def answerer_age_band(self, answers: Mapping[str, Any]) -> str | None:
        """The age band of the person answering, from their answer to the module's own age
        question; None when not asked, not answered, or the answer gives no band."""
        question = self.question(self.answerer_age) if self.answerer_age else None
        if question is None:
            return None
        chosen = answers.get(question.id)
        return next((o.age_band for o in question.options if o.value == chosen), None)

    def question_for(self, question_id: str, answering_for: str | None) -> Question | None:
        """The question worded for the person answering."""
        question = self.question(question_id)
        return question.worded_for(self.for_someone_else(answering_for)) if question else None


@dataclass(frozen=True)
class EquipmentItem:
    id: str
    name: str
    description: str
    criteria: str
    measurements: tuple[str, ...]
    fits_because: str
    how_to_get: str  # buy, equipment_service, occupational_therapist
    not_without_advice: tuple[str, ...]
    max_user_weight_kg: int | None = None
    price_gbp: tuple[float, float] | None = None
    description_for_someone_else: str | None = None
    fits_because_for_someone_else: str | None = None
    not_without_advice_for_someone_else: tuple[str, ...] = ()  # line for line

    def worded_for(self, someone_else: bool) -> EquipmentItem:
        """The item as the person answering reads it: "they" when it is for another."""
        if not someone_else:
            return self
        return replace(
            self, description=self.description_for_someone_else or self.description,
            fits_because=self.fits_because_for_someone_else or self.fits_because,
            not_without_advice=self.not_without_advice_for_someone_else
            or self.not_without_advice)


@dataclass(frozen=True)
class Content:
    modules: Mapping[str, Module]  # in topic order
    equipment: Mapping[str, EquipmentItem]
    version: str  # identifies this release of content, e.g. for outcome records
    policies: Mapping[str, ReferralPolicy] = field(default_factory=dict)

    def module(self, module_id: str) -> Module | None:
        return self.modules.get(module_id)
