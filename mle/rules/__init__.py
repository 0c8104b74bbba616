"""The rules engine: typed expressions, scores and bands, outcome rules, equipment criteria.

Pure by design: nothing here imports Flask or the database, so the heart of the service can be
tested and benchmarked on its own.
"""

from mle.rules.engine import evaluate_assessment, evaluate_module, urgent_flags
from mle.rules.expressions import Expression, ExpressionError, compile_expression, typed_context
from mle.rules.model import (
    LEVELS,
    PRIORITIES,
    WITHHELD_RULE,
    AssessmentResult,
    Band,
    EquipmentRule,
    ModuleResult,
    NotFor,
    Outcome,
    Referral,
    ReferralOffer,
    RuleSet,
    Score,
    UrgentFlag,
    WithheldEquipment,
)
from mle.rules.routing import effective_answers

__all__ = [
    "LEVELS",
    "PRIORITIES",
    "WITHHELD_RULE",
    "AssessmentResult",
    "Band",
    "EquipmentRule",
    "Expression",
    "ExpressionError",
    "ModuleResult",
    "NotFor",
    "Outcome",
    "Referral",
    "ReferralOffer",
    "RuleSet",
    "Score",
    "UrgentFlag",
    "WithheldEquipment",
    "compile_expression",
    "effective_answers",
    "evaluate_assessment",
    "evaluate_module",
    "typed_context",
    "urgent_flags",
]
