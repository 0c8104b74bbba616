"""SQLAlchemy 2.0 models, one module per domain."""

from mle.models.account import AccountLink, SignInThrottle, StaffUser, Team
from mle.models.assessment import Assessment
from mle.models.audit import AuditEvent
from mle.models.directory import (
    DirectoryView,
    Postcode,
    ProblemReport,
)
from mle.models.history import ServiceChange
from mle.models.match_keys import MatchKey, MatchLocation
from mle.models.oruk import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mle.models.outcome import OutcomeModule, OutcomeRecord
from mle.models.referral import OutboxMessage, Referral, ReferralNote
from mle.models.result_link import ResultLink
from mle.models.rollup import OutcomeRollup, OutcomeTally

__all__ = [
    "Accessibility",
    "AccountLink",
    "Address",
    "Assessment",
    "Attribute",
    "Contact",
    "CostOption",
    "AuditEvent",
    "DirectoryView",
    "Language",
    "Location",
    "MatchKey",
    "MatchLocation",
    "Organization",
    "OutcomeModule",
    "OutboxMessage",
    "OutcomeRecord",
    "OutcomeRollup",
    "OutcomeTally",
    "Phone",
    "Postcode",
    "ProblemReport",
    "Referral",
    "ReferralNote",
    "ResultLink",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "SignInThrottle",
    "ServiceChange",
    "Taxonomy",
    "TaxonomyTerm",
    "StaffUser",
    "Team",
]
