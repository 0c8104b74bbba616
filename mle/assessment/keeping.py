"""What a person does to keep their result or come back to it later: the result or a resume link
by email, or the result as a PDF. Each is saved in one transaction with its email (delivered
from the outbox) and, when a member of staff does it for the person, its audit event.

An email goes only to an address the person has confirmed on the page (pending_address), and
only while that address has not had its share of email for the day (recipient_limit): both
functions raise TooManyEmailsToAddress, with nothing queued, when it has.
"""

from __future__ import annotations

from mle.assessment import links
from mle.database import db
from mle.mail.outbox import queue_email
from mle.mail.recipient_limit import TooManyEmailsToAddress, count_email_to
from mle.models import Assessment
from mle.security.audit import audit

__all__ = ["TooManyEmailsToAddress", "email_result", "email_resume_link", "result_pdf_taken"]


def email_result(assessment: Assessment, to: str, subject: str, body: str,
                 by_staff: bool) -> None:
    count_email_to(to)
    queue_email(to, subject, body)
    if by_staff:
        audit("assessment.result_emailed", "assessment", assessment.id)
    db.session.commit()


def email_resume_link(assessment: Assessment, token: str, to: str, subject: str, body: str,
                      by_staff: bool) -> None:
    """Send a link that opens the assessment again (`token`, from links.new_token, is in the
    body); it replaces any link sent before."""
    count_email_to(to)
    links.keep_resume_token(assessment, token)
    queue_email(to, subject, body)
    if by_staff:
        audit("assessment.resume_link_emailed", "assessment", assessment.id)
    db.session.commit()


def result_pdf_taken(assessment: Assessment, by_staff: bool) -> None:
    """Only a member of staff's PDF of someone's result is recorded; a resident's leaves no
    trace."""
    if by_staff:
        audit("assessment.result_pdf", "assessment", assessment.id)
        db.session.commit()
