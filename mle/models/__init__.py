"""SQLAlchemy 2.0 models, one module per domain."""

from mle.models.assessment import Assessment
from mle.models.directory import Postcode, Service, ServiceLocality, ServiceNeed
from mle.models.outcome import OutcomeModule, OutcomeRecord

__all__ = [
    "Assessment",
    "OutcomeModule",
    "OutcomeRecord",
    "Postcode",
    "Service",
    "ServiceLocality",
    "ServiceNeed",
]
