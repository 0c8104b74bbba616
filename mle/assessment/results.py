"""Turn the rules engine's result into what the results page shows, with matched services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mle.assessment.state import AssessmentState
from mle.content import AdviceItem, Content, EquipmentItem, Module
from mle.directory.area import Area, Team, UrgentContact
from mle.directory.matching import MatchedService, match_services
from mle.rules import AssessmentResult, ModuleResult, evaluate_assessment, urgent_flags


@dataclass(frozen=True)
class UrgentNotice:
    message: str
    because: str


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
    referral_team: Team | None

    @property
    def because(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.because for f in self.result.fired))


@dataclass(frozen=True)
class ResultPage:
    urgent: tuple[UrgentNotice, ...]
    urgent_contacts: tuple[UrgentContact, ...]
    sections: tuple[ModuleSection, ...]
    result: AssessmentResult

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


def _urgent_from(content: Content, area: Area, raised: Iterable[tuple[str, tuple[str, ...]]]):
    """Notices and contacts for the urgent flags raised, as (module id, flag ids) pairs."""
    notices, contact_ids = [], []
    for module_id, flag_ids in raised:
        module = content.module(module_id)
        for flag in module.rules.urgent:
            if flag.id in flag_ids:
                notices.append(UrgentNotice(flag.message, flag.because))
                contact_ids += flag.contacts
    contacts = tuple(area.urgent_contacts[c] for c in dict.fromkeys(contact_ids))
    return tuple(notices), contacts


def urgent_so_far(content: Content, area: Area, state: AssessmentState):
    """Urgent notices and contacts from the answers given so far, for the very next page.

    Only the urgent flags are evaluated (not outcomes or equipment), and only in modules that
    have any: the same notices as the result page would show, for much less work."""
    about = state.about.for_rules()
    modules = [content.module(m) for m in state.modules if content.module(m)]
    raised = [(m.id, urgent_flags(m.rules, state.answers.get(m.id, {}), about))
              for m in modules if m.rules.urgent]
    return _urgent_from(content, area, raised)


def build_result_page(content: Content, area: Area, state: AssessmentState) -> ResultPage:
    result = evaluate(content, state)
    about = state.about
    is_carer = about.answering_for == "someone_else" or "carer" in state.modules
    urgent, contacts = _urgent_from(content, area,
                                    ((m.module_id, m.urgent) for m in result.modules))
    sections = []
    for module_result in result.modules:
        module = content.module(module_result.module_id)
        services = match_services(list(module_result.needs), about.locality,
                                  bool(about.in_area), about.age_band, is_carer,
                                  with_phones=True)  # the result shows them
        referral = module_result.referral
        sections.append(ModuleSection(
            module=module,
            result=module_result,
            advice=tuple(module.advice[a] for a in module_result.advice),
            equipment=tuple(EquipmentSuggestion(content.equipment[e.item_id], e.because)
                            for e in module_result.equipment),
            services=tuple(services),
            referral_team=area.teams.get(referral.team) if referral else None,
        ))
    return ResultPage(urgent, contacts, tuple(sections), result)
