"""SQLAlchemy 2.0 models, one module per domain."""

from mle.models.account import ROLES, AccountLink, StaffUser, Team
from mle.models.assessment import Assessment
from mle.models.audit import AuditEvent
from mle.models.directory import Postcode, Service, ServiceLocality, ServiceNeed
from mle.models.outcome import OutcomeModule, OutcomeRecord

__all__ = [
    "ROLES",
    "AccountLink",
    "Assessment",
    "AuditEvent",
    "OutcomeModule",
    "OutcomeRecord",
    "Postcode",
    "Service",
    "ServiceLocality",
    "ServiceNeed",
    "StaffUser",
    "Team",
]
