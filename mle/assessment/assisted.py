"""Assisted assessments: a member of staff completes the questionnaire with a person, after
recording that the person agreed, and keeps notes that go with any request made from it."""

from __future__ import annotations

from mle.assessment import store
from mle.assessment.state import AssessmentState
from mle.database import db
from mle.models import Assessment
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


def add_staff_note(assessment: Assessment, state: AssessmentState, note: str) -> None:
    state.staff_notes.append(note.strip())
    audit("assessment.note_added", "assessment", assessment.id)
    store.save(assessment, state)  # commits the note and its audit event together
