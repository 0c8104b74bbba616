"""SQLAlchemy 2.0 models, one module per domain."""

from mle.models.account import ROLES, AccountLink, StaffUser, Team
from mle.models.assessment import Assessment
from mle.models.audit import AuditEvent
from mle.models.directory import (
    DirectoryView,
    Postcode,
    ProblemReport,
    Service,
    ServiceLocality,
    ServiceNeed,
)
from mle.models.outcome import OutcomeModule, OutcomeRecord
from mle.models.referral import STATUSES, OutboxMessage, Referral, ReferralNote
from mle.models.rollup import OutcomeRollup

__all__ = [
    "ROLES",
    "STATUSES",
    "AccountLink",
    "Assessment",
    "AuditEvent",
    "DirectoryView",
    "OutcomeModule",
    "OutboxMessage",
    "OutcomeRecord",
    "OutcomeRollup",
    "Postcode",
    "ProblemReport",
    "Referral",
    "ReferralNote",
    "Service",
    "ServiceLocality",
    "ServiceNeed",
    "StaffUser",
    "Team",
]
