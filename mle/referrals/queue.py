"""What a team does with its requests: list them, open one, change its status, add notes, pass
it to another team. A team reaches only its own requests, every showing of contact details is
audited, and each change is committed here with its audit event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mle.database import db
from mle.models import Referral, ReferralNote, Team
from mle.referrals.sealed import outcome_of, seal, summary_of
from mle.reporting.outcomes import referral_changed
from mle.security.audit import audit
from mle.security.encryption import decrypt_json, encrypt_json
from mle.vocabulary import OPEN_REFERRAL_STATUSES, PRIORITIES, REFERRAL_STATUSES, may_follow

# Most urgent first; a priority the rules no longer use goes last.
PRIORITY_ORDER = {priority: rank for rank, priority in enumerate(reversed(PRIORITIES))}
# The longest wait a filter may ask about, so a typed number cannot overflow a date.
MAX_WAIT_DAYS = 3650


class RequestChanged(Exception):
    """Someone else changed the request after the form was shown: nothing was saved."""


class StatusNotAllowed(ValueError):
    """The status may not follow the request's current one."""


class OutcomeNeeded(ValueError):
    """A request is closed or declined only with its outcome or the reason."""


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters as typed in the query string; a value it does not know is ignored.
    `status` is one status, "all", or empty for the open requests."""

    status: str = ""
    priority: str = ""
    locality: str = ""
    older_than: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> QueueFilters:
        return cls(**{f.name: query.get(f.name, "") for f in fields(cls)})


def requests_for_team(team_id: str | None, filters: QueueFilters,
                      now: datetime | None = None) -> list[Referral]:
    """The team's requests that pass the filters, most urgent first, then oldest first."""
    if team_id is None:
        return []
    query = select(Referral).where(Referral.team_id == team_id)
    if filters.status in REFERRAL_STATUSES:
        query = query.where(Referral.status == filters.status)
    elif filters.status != "all":
        query = query.where(Referral.status.in_(OPEN_REFERRAL_STATUSES))
    if filters.priority in PRIORITIES:
        query = query.where(Referral.priority == filters.priority)
    if filters.locality:
        query = query.where(Referral.locality == filters.locality)
    if filters.older_than.isdigit() and int(filters.older_than) <= MAX_WAIT_DAYS:
        cutoff = (now or datetime.now(UTC)) - timedelta(days=int(filters.older_than))
        query = query.where(Referral.created_at < cutoff)
    return sorted(db.session.scalars(query.order_by(Referral.created_at)),
                  key=lambda r: (PRIORITY_ORDER.get(r.priority, len(PRIORITY_ORDER)),
                                 r.created_at))


def age_days(referral: Referral, now: datetime | None = None) -> int:
    """Whole days since the request was made."""
    created = referral.created_at
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
    return ((now or datetime.now(UTC)) - created).days


def is_open(referral: Referral) -> bool:
    return referral.status in OPEN_REFERRAL_STATUSES


def teams_to_pass_to(referral: Referral) -> list[Team]:
    """Every team but the one that has the request, by name."""
    return list(db.session.scalars(select(Team).where(Team.id != referral.team_id)
                                   .order_by(Team.name)))


def request_for_team(referral_id: int, team_id: str | None) -> Referral | None:
    """The request, if it belongs to the team. Another team's request is indistinguishable
    from one that does not exist."""
    referral = db.session.get(Referral, referral_id)
    if referral is None or team_id is None or referral.team_id != team_id:
        return None
    return referral


@dataclass(frozen=True)
class OpenedRequest:
    """A request as its team reads it, with the contact details, answers, outcome and notes
    decrypted."""

    referral: Referral
    contact: dict | None  # None once the retention schedule has deleted them
    summary: dict | None  # likewise
    outcome: str | None
    notes: list[tuple[ReferralNote, str]]
    team: Team


def open_request(referral: Referral) -> OpenedRequest:
    """Decrypt the request for its team, and record that it was seen: every showing of the
    contact details is audited, including when a form on the page comes back with an error."""
    contact = decrypt_json(referral.contact) if referral.contact else None
    audit("referral.contact_viewed" if contact else "referral.viewed", "referral", referral.id)
    db.session.commit()
    return OpenedRequest(referral=referral, contact=contact, summary=summary_of(referral),
                         outcome=outcome_of(referral),
                         notes=[(n, decrypt_json(n.text)) for n in referral.notes],
                         team=db.session.get(Team, referral.team_id))


def is_current(referral: Referral, seen_version: str | None) -> bool:
    """Whether the request is still as it was when its form was shown (the form carries the
    version it was shown at)."""
    return str(referral.version) == (seen_version or "")


def change_status(referral: Referral, status: str, outcome: str | None,
                  seen_version: str | None) -> None:
    """Move the request to `status`. Ending it (closed or declined) needs the outcome or the
    reason; the outcome given replaces the one kept."""
    if not is_current(referral, seen_version):
        raise RequestChanged(referral.id)
    if not may_follow(referral.status, status):
        raise StatusNotAllowed(f"{status} may not follow {referral.status}")
    outcome = (outcome or "").strip()
    if status not in OPEN_REFERRAL_STATUSES and not outcome:
        raise OutcomeNeeded(status)
    before = referral.status
    referral.status = status
    referral.status_changed_at = datetime.now(UTC)
    if outcome:
        referral.outcome = seal(outcome)
    _mark_first_action(referral)
    audit("referral.status_changed", "referral", referral.id, status=[before, status])
    db.session.commit()


def add_note(referral: Referral, text: str, author_id: int | None) -> None:
    """Add a note, encrypted: notes are personal data, deleted with the contact details."""
    referral.notes.append(ReferralNote(author_id=author_id, text=encrypt_json(text.strip())))
    _mark_first_action(referral)
    audit("referral.note_added", "referral", referral.id)
    db.session.commit()


def reassign(referral: Referral, team_id: str, seen_version: str | None) -> None:
    """Pass the request to another team; from then on only that team sees it."""
    if not is_current(referral, seen_version):
        raise RequestChanged(referral.id)
    if team_id == referral.team_id or db.session.get(Team, team_id) is None:
        raise LookupError(f"team {team_id} cannot take this request")
    before = referral.team_id
    referral.team_id = team_id
    audit("referral.reassigned", "referral", referral.id, team=[before, team_id])
    db.session.commit()


def _mark_first_action(referral: Referral) -> None:
    """Staff acted on the request (a status change or a note): the anonymised outcome record
    follows its status and the time to the first action."""
    if referral.first_action_at is None:
        referral.first_action_at = datetime.now(UTC)
    referral_changed(referral)
