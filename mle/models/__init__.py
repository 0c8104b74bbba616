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
from mle.models.imports import (
    DirectoryImport,
    DirectoryImportEntry,
    ServiceSource,
    TopicSuggestion,
)
from mle.models.match_keys import MatchKey, MatchLocation
from mle.models.oruk import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
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
from mle.models.reporting import ReleasedPeriod, ReportRelease
from mle.models.result_link import ResultLink
from mle.models.rollup import OutcomeRollup, OutcomeTally
from mle.models.search_index import SearchWord, ServiceSearch

__all__ = [
    "ServiceSource",
    "TopicSuggestion",
    "Accessibility",
    "AccountLink",
    "Address",
    "Assessment",
    "Attribute",
    "Contact",
    "CostOption",
    "AuditEvent",
    "DirectoryImport",
    "DirectoryImportEntry",
    "DirectoryView",
    "Funding",
    "Language",
    "Location",
    "MatchKey",
    "MatchLocation",
    "Organization",
    "OrganizationIdentifier",
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
    "ReleasedPeriod",
    "ReportRelease",
    "ResultLink",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "SearchWord",
    "ServiceSearch",
    "SignInThrottle",
    "ServiceChange",
    "Taxonomy",
    "TaxonomyTerm",
    "StaffUser",
    "Team",
]
