"""Assisted assessments: a member of staff completes the questionnaire with a person, after
recording that the person agreed, and keeps notes that go with any request made from it.

An assisted assessment belongs to the team of the assessor who started it: other staff are
refused it as if it did not exist. Someone not signed in (the person, with their resume code
or link) still opens it, and sees no staff notes."""

from __future__ import annotations

from mle.assessment import store
from mle.assessment.state import AssessmentState
from mle.database import db
from mle.models import Assessment, StaffUser
from mle.security.audit import audit
from mle.vocabulary import CHANNEL_OF_ASSISTED_HOW


class AgreementNotRecorded(ValueError):
    pass


def start_assisted(how: str, assessor_id: int, person_agreed: bool) -> Assessment:
    """Start an assessment for this browser, counted in the channel that `how` belongs to."""
    if not person_agreed:
        raise AgreementNotRecorded("the person's agreement is recorded before starting")
    assessment = store.start(channel=CHANNEL_OF_ASSISTED_HOW[how], assisted_by_id=assessor_id)
    audit("assessment.assisted_started", "assessment", assessment.id, how=how,
          agreement_recorded=True)
    db.session.commit()
    return assessment


def current_assisted() -> tuple[Assessment, AssessmentState] | None:
    """The assessment this browser is working on, when it is an assisted one."""
    found = store.current()
    if found is None or found[0].assisted_by_id is None:
        return None
    return found


def staff_may_open(assessment: Assessment, staff_id: int | None,
                   staff_team_id: str | None) -> bool:
    """May this viewer open the assessment? Staff (staff_id set) open an assisted one only when
    they started it or share a team with whoever did; an assessor without a team, only their
    own. A refusal is recorded in the audit trail."""
    starter_id = assessment.assisted_by_id
    if starter_id is None or staff_id is None or staff_id == starter_id:
        return True
    starter = db.session.get(StaffUser, starter_id)
    if staff_team_id is not None and starter is not None and starter.team_id == staff_team_id:
        return True
    audit("assessment.access_refused", "assessment", assessment.id, actor_id=staff_id)
    db.session.commit()
    return False


def add_staff_note(assessment: Assessment, state: AssessmentState, note: str) -> None:
    state.staff_notes.append(note.strip())
    audit("assessment.note_added", "assessment", assessment.id)
    store.save(assessment, state)  # commits the note and its audit event together
