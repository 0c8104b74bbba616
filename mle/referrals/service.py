"""Make a request the person asked for, route it to the right team, and tell people."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select

from mle.assessment.state import AssessmentState
from mle.content import Module
from mle.database import db
from mle.mail.outbox import queue_email
from mle.models import Assessment, Referral, ReferralNote, Team
from mle.referrals.sealed import seal
from mle.reporting.outcomes import referral_made
from mle.rules import ModuleResult, ReferralOffer
from mle.rules.routing import visible_questions
from mle.security.audit import audit
from mle.security.encryption import encrypt_json, keyed_hash

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
# The team that takes requests for the equipment it lends.
EQUIPMENT_SERVICE = "equipment-service"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str
    address: str
    best_time: str

    def as_json(self) -> dict:
        return {"name": self.name, "phone": self.phone, "email": self.email,
                "address": self.address, "best_time": self.best_time}


def new_reference() -> str:
    while True:
        reference = "MLE-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if db.session.scalar(select(Referral.id).where(Referral.reference == reference)) is None:
            return reference


def route_team(team_id: str, locality: str | None) -> Team:
    """The rules name a team; a team of the same kind that serves the person's locality takes
    precedence, so a partnership can split a service into locality teams without new content."""
    named = db.session.get(Team, team_id)
    if named is None:
        raise LookupError(f"team {team_id} is not set up")
    if locality:
        for team in db.session.scalars(select(Team).where(Team.kind == named.kind)
                                       .order_by(Team.id)):
            if locality in (team.localities or []):
                return team
    return named


def answers_summary(module: Module, state: AssessmentState) -> list[dict]:
    """The module's answers as question and label, for the receiving team."""
    answers = state.answers.get(module.id, {})
    rows = []
    for question_id in visible_questions(module.rules.visibility, answers,
                                         base=state.about.for_rules()):
        question = module.question_for(question_id, state.about.answering_for)
        value = answers.get(question_id)
        if question.type == "text":
            continue  # free text stays with the resident's own answers
        rows.append({"question": question.text,
                     "answer": question.label_for(value) if value is not None else "Not answered"})
    return rows


@dataclass(frozen=True)
class Request:
    """What the person asked for: a referral offered by the rules, or a piece of equipment."""

    team_id: str
    priority: str
    rule_id: str | None
    kind: str = "referral"
    items: tuple[str, ...] = ()

    @classmethod
    def for_offer(cls, offer: ReferralOffer) -> Request:
        return cls(offer.team, offer.priority, offer.rule_ids[0])

    @classmethod
    def for_equipment(cls, item_id: str, rule_id: str | None) -> Request:
        """An item the equipment service lends: a routine request to that service."""
        return cls(EQUIPMENT_SERVICE, "routine", rule_id, kind="equipment", items=(item_id,))


def withheld_summary(result: ModuleResult) -> list[dict]:
    """Equipment the answers ruled out, with why, for the team (staff read English)."""
    return [{"id": w.item_id,
             "because": [r.because_for(result.for_someone_else)
                         or f"Weight over the item's limit of {r.weight_limit_kg} kg"
                         for r in w.reasons]}
            for w in result.withheld]


def create_referral(assessment: Assessment, state: AssessmentState, module: Module,
                    result: ModuleResult, contact: Contact, request: Request) -> Referral:
    """Make the request, with its outcome record, audit event and emails, in one commit."""
    team = route_team(request.team_id, state.about.locality)
    referral = Referral(
        reference=new_reference(),
        kind=request.kind,
        team_id=team.id,
        locality=state.about.locality,
        priority=request.priority,
        channel=assessment.channel,
        module=module.id,
        rule_id=request.rule_id,
        summary=seal({
            "age_band": state.about.age_band,
            "answering_for": state.about.answering_for,
            "answers": answers_summary(module, state),
            "rules": [{"id": f.id, "because": f.because} for f in result.fired],
            "urgent": list(result.urgent),
            "withheld": withheld_summary(result),
            "equipment": list(request.items),
        }),
        contact=encrypt_json(contact.as_json()),
        assessment_ref=keyed_hash("outcome", assessment.id),
    )
    # An assessor's notes from an assisted assessment go with the request to the team.
    referral.notes = [ReferralNote(author_id=assessment.assisted_by_id, text=encrypt_json(note))
                      for note in state.staff_notes]
    db.session.add(referral)
    db.session.flush()
    referral_made(referral, equipment=request.items)
    audit("referral.created", "referral", referral.id, kind=request.kind, team=team.id)
    _notify(referral, team, contact)
    db.session.commit()
    return referral


def _notify(referral: Referral, team: Team, contact: Contact) -> None:
    """A link only to the team (no personal data in email); a confirmation to the resident."""
    link = current_app.config["MLE_BASE_URL"].rstrip("/") + url_for(
        "queue.request_detail", referral_id=referral.id)
    if team.inbox_email:
        queue_email(team.inbox_email, f"New {referral.kind} request {referral.reference}",
                    f"A new {referral.kind} request ({referral.priority} priority) is waiting "
                    f"for {team.name}.\n\nOpen it here (sign-in needed):\n{link}\n")
    if contact.email:
        site_name = current_app.extensions["mle_site"].area.service_name
        queue_email(contact.email, f"Your request {referral.reference}",
                    f"Thank you. We have passed your request to {team.name}.\n\n"
                    f"Your reference is {referral.reference}.\n\n"
                    f"What happens next: someone from the team will contact you, usually "
                    f"within {team.target_days} working days. If things get worse before then, "
                    f"contact your GP practice, or call NHS 24 on 111.\n\n{site_name}\n")


def referral_by_reference(reference: str) -> Referral | None:
    return db.session.scalar(select(Referral).where(Referral.reference == reference))
