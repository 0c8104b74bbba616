"""Turn the rules engine's result into what the results page shows, with matched services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from mle.area import Area, Team, UrgentContact
from mle.assessment.plan import Plan, make_plan
from mle.assessment.state import AssessmentState
from mle.content import AdviceItem, Content, EquipmentItem, Module
from mle.directory.matching import MatchedService, match_services
from mle.rules import (
    AssessmentResult,
    ModuleResult,
    NotFor,
    ReferralOffer,
    evaluate_assessment,
    urgent_flags,
)


@dataclass(frozen=True)
class UrgentNotice:
    message: str
    because: str
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class WithheldNotice:
    """Equipment a rule would have suggested, left out because of what the person told us."""

    item: EquipmentItem
    reasons: tuple[NotFor, ...]
    assessment_team: Team | None = None  # who can say what is safe instead


@dataclass(frozen=True)
class ReferralRoute:
    """A referral offered, with the team it goes to."""

    team: Team
    offer: ReferralOffer


@dataclass(frozen=True)
class EquipmentSuggestion:
    item: EquipmentItem
    because: str


@dataclass(frozen=True)
class ModuleSection:
    module: Module
    result: ModuleResult
    advice: tuple[AdviceItem, ...]
    equipment: tuple[EquipmentSuggestion, ...]
    services: tuple[MatchedService, ...]
    referrals: tuple[ReferralRoute, ...] = ()
    withheld: tuple[WithheldNotice, ...] = ()
    topics: tuple[Module, ...] = ()  # other modules the answers suggest answering too
    not_fitting: tuple[EquipmentItem, ...] = ()  # usual items the measurements rule out

    @property
    def because(self) -> tuple[str, ...]:
        """What the person told us, from the rules their answers made fire: a rule that fires
        for everyone who answered at all ("Everyone can make washing a little safer") says
        nothing about them, so it is left out."""
        general = {o.id for o in self.module.rules.outcomes
                   if o.when.holds_for_everyone_who_answered}
        return tuple(dict.fromkeys(f.because for f in self.result.fired if f.id not in general))

    def referral_to(self, team_id: str) -> ReferralRoute | None:
        return next((r for r in self.referrals if r.team.id == team_id), None)


@dataclass(frozen=True)
class ResultPage:
    urgent: tuple[UrgentNotice, ...]
    urgent_contacts: tuple[UrgentContact, ...]
    sections: tuple[ModuleSection, ...]
    result: AssessmentResult
    plan: Plan = Plan(steps=())

    def section(self, module_id: str) -> ModuleSection | None:
        return next((s for s in self.sections if s.module.id == module_id), None)

    def modules_named(self, module_ids: Iterable[str]) -> list[Module]:
        """The topics with these ids, in the order of the result."""
        wanted = set(module_ids)
        return [s.module for s in self.sections if s.module.id in wanted]

    @property
    def service_ids(self) -> list[str]:
        return sorted({m.service.id for s in self.sections for m in s.services})

    @property
    def unmet_needs(self) -> list[str]:
        """Needs that none of the services shown covers locally (in the person's locality or
        across the area): the service gap report counts these."""
        unmet = set()
        for section in self.sections:
            local = {term for m in section.services if m.reason in ("locality", "area")
                     for term in m.service.term_ids}
            unmet |= set(section.result.needs) - local
        return sorted(unmet)


def evaluate(content: Content, state: AssessmentState) -> AssessmentResult:
    modules = [content.module(m) for m in state.modules if content.module(m)]
    return evaluate_assessment([m.rules for m in modules], state.answers,
                               state.about.for_rules())


def reachable_contacts(area: Area, contact_ids: Iterable[str]) -> tuple[UrgentContact, ...]:
    """The contacts to show, in order: one without a verified way to reach it is left out, and
    the contacts it falls back on (always right ones, such as 999) are shown instead."""
    shown: list[str] = []
    for contact_id in contact_ids:
        contact = area.urgent_contacts[contact_id]
        shown += [contact_id] if contact.reachable else list(contact.fallback)
    return tuple(area.urgent_contacts[c] for c in dict.fromkeys(shown)
                 if area.urgent_contacts[c].reachable)


def _urgent_from(content: Content, area: Area, raised: Iterable[tuple[str, tuple[str, ...]]],
                 answering_for: str | None):
    """Notices and contacts for the urgent flags raised, as (module id, flag ids) pairs."""
    notices, contact_ids, for_another = [], [], False
    for module_id, flag_ids in raised:
        module = content.module(module_id)
        someone_else = module.for_someone_else(answering_for)
        for flag in module.rules.urgent:
            if flag.id in flag_ids:
                notices.append(UrgentNotice(*flag.worded_for(someone_else)))
                contact_ids += flag.contacts
                for_another |= someone_else
    contacts = reachable_contacts(area, contact_ids)
    return tuple(notices), tuple(c.worded_for(for_another) for c in contacts)


def urgent_so_far(content: Content, area: Area, state: AssessmentState):
    """Urgent notices and contacts from the answers given so far, for the very next page.

    Only the urgent flags are evaluated (not outcomes or equipment), and only in modules that
    have any: the same notices as the result page would show, for much less work."""
    about = state.about.for_rules()
    modules = [content.module(m) for m in state.modules if content.module(m)]
    raised = [(m.id, urgent_flags(m.rules, state.answers.get(m.id, {}), about))
              for m in modules if m.rules.urgent]
    return _urgent_from(content, area, raised, about["answering_for"])


def _age_band_of(module: Module, state: AssessmentState) -> str | None:
    """The age of the person a module's answers are about, for services' age limits: the
    answerer's own age in a module about them (a carer), not that of the person cared for."""
    if not module.about_the_answerer:
        return state.about.age_band
    own = module.answerer_age_band(state.answers.get(module.id, {}))
    if own is not None:
        return own
    return state.about.age_band if state.about.answering_for == "self" else None


def counts_as_carer(content: Content, state: AssessmentState) -> bool:
    """Whether services for unpaid carers are for this person: they answer for someone else,
    or chose a module whose content says that whoever answers it looks after someone."""
    chosen = (content.module(m) for m in state.modules)
    return (state.about.answering_for == "someone_else"
            or any(module.answerer_is_carer for module in chosen if module))


def _worded_item(content: Content, someone_else: bool, item_id: str) -> EquipmentItem:
    return content.equipment[item_id].worded_for(someone_else)


def build_result_page(content: Content, area: Area, state: AssessmentState) -> ResultPage:
    result = evaluate(content, state)
    about = state.about
    is_carer = counts_as_carer(content, state)
    urgent, contacts = _urgent_from(content, area,
                                    ((m.module_id, m.urgent) for m in result.modules),
                                    about.answering_for)
    sections = []
    for module_result in result.modules:
        module = content.module(module_result.module_id)
        someone_else = module.for_someone_else(about.answering_for)
        item = partial(_worded_item, content, someone_else)
        services = match_services(list(module_result.needs), about.locality,
                                  bool(about.in_area), _age_band_of(module, state), is_carer,
                                  with_phones=True)  # the result shows them
        sections.append(ModuleSection(
            module=module,
            result=module_result,
            advice=tuple(module.advice[a].worded_for(someone_else)
                         for a in module_result.advice),
            equipment=tuple(EquipmentSuggestion(item(e.item_id), e.because)
                            for e in module_result.equipment),
            services=tuple(services),
            referrals=tuple(ReferralRoute(area.teams[r.team].worded_for(someone_else), r)
                            for r in module_result.referrals),
            withheld=tuple(WithheldNotice(item(w.item_id), w.reasons,
                                          area.teams[w.assessments[0].team]
                                          .worded_for(someone_else)
                                          if w.assessments else None)
                           for w in module_result.withheld),
            not_fitting=tuple(item(i) for i in module_result.not_fitting),
            topics=tuple(content.module(t) for t in module_result.topics
                         if content.module(t) and t not in state.modules),
        ))
    return ResultPage(urgent, contacts, tuple(sections), result, make_plan(sections))
