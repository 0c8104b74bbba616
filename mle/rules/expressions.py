"""Compile content expressions once, with types, and evaluate them null-safely.

Expressions use the `rule-engine` language. Every name an expression uses must be declared with a
type, so a typo or a comparison of a number with a string fails when content loads, not when a
resident asks for a result.

Null rule: an unanswered question is None. rule-engine raises on an ordered comparison or a
containment test with None; here such a test is simply false, so a skipped answer never counts
and never breaks a result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rule_engine
from rule_engine.ast import (
    ArithmeticComparisonExpression,
    BooleanExpression,
    ComparisonExpression,
    ContainsExpression,
    LogicExpression,
    NullExpression,
    SymbolExpression,
)
from rule_engine.types import coerce_value

DataType = rule_engine.DataType


class ExpressionError(ValueError):
    """An expression that does not compile: bad syntax, an unknown name or mismatched types."""

    def __init__(self, expression: str, problem: str, suggestion: str | None = None):
        self.expression = expression
        self.problem = problem
        self.suggestion = suggestion
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        super().__init__(f"{problem}{hint} in: {expression}")


# rule-engine ships no type information, so mypy sees its node classes as Any.
class _NullSafeOrderedComparison(ArithmeticComparisonExpression):  # type: ignore[misc]
    __slots__ = ()

    def evaluate(self, thing: Any) -> Any:
        if self.left.evaluate(thing) is None or self.right.evaluate(thing) is None:
            return False
        return super().evaluate(thing)


class _NullSafeContains(ContainsExpression):  # type: ignore[misc]
    __slots__ = ()

    def evaluate(self, thing: Any) -> bool:
        # Types were checked when the expression compiled, so no per-call type inference.
        container = self.container.evaluate(thing)
        member = self.member.evaluate(thing)
        if container is None or member is None:
            return False
        if isinstance(container, str) and not isinstance(member, str):
            raise rule_engine.EvaluationError("data type mismatch")
        return member in container


class _PreparedSymbol(SymbolExpression):  # type: ignore[misc]
    """Reads a name from values coerced once by prepare(), instead of coercing and
    type-checking the value again at every use: that repeated work was most of the cost of
    evaluating a module. Types are fixed when content loads and answers are checked by the
    forms, so nothing is lost."""

    __slots__ = ()

    def evaluate(self, thing: Any) -> Any:
        return thing.get(self.name)


class Values(dict[str, Any]):
    """Answers coerced to rule-engine's types (tuples, Decimals), ready for evaluation."""


def prepare(values: Mapping[str, Any]) -> Values:
    if isinstance(values, Values):
        return values
    return Values({k: None if v is None else coerce_value(v) for k, v in values.items()})


_FAST = {
    ArithmeticComparisonExpression: _NullSafeOrderedComparison,
    ContainsExpression: _NullSafeContains,
    SymbolExpression: _PreparedSymbol,
}
_CHILD_SLOTS = ("left", "right", "expression", "container", "member", "object", "condition",
                "case_true", "case_false")


def _make_null_safe(node: Any) -> None:
    """Swap the null-sensitive node classes for null-safe subclasses, and symbols for
    prepared-value reads, in place."""
    replacement = _FAST.get(type(node))
    if replacement is not None:
        node.__class__ = replacement
    for slot in _CHILD_SLOTS:
        child = getattr(node, slot, None)
        if child is not None and hasattr(child, "evaluate"):
            _make_null_safe(child)
    items = getattr(node, "value", None)
    for child in items if isinstance(items, tuple) else ():
        if hasattr(child, "evaluate"):
            _make_null_safe(child)


def typed_context(types: Mapping[str, Any]) -> rule_engine.Context:
    """A rule-engine context that knows every name and its type, and nothing else."""
    return rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(dict(types)))


@dataclass(frozen=True)
class Expression:
    """A compiled, read-only boolean expression."""

    text: str
    _rule: rule_engine.Rule

    def __call__(self, values: Mapping[str, Any]) -> bool:
        try:
            return bool(self._rule.evaluate(prepare(values)))
        except (rule_engine.EvaluationError, TypeError, ArithmeticError):
            # Arithmetic on a missing answer (for example `width - 10 > 50` with no width)
            # cannot be decided, so the condition does not hold.
            return False

    @property
    def holds_for_everyone_who_answered(self) -> bool:
        """True for `true`, or for `x != null` tests joined by and/or: the condition says
        nothing about what the answers were, only that they were given."""
        return _presence_only(self._rule.statement.expression)


def _presence_only(node: Any) -> bool:
    if isinstance(node, BooleanExpression):
        return bool(node.value)
    if isinstance(node, LogicExpression):
        return _presence_only(node.left) and _presence_only(node.right)
    if isinstance(node, ComparisonExpression) and node.type == "ne":
        return isinstance(node.left, NullExpression) or isinstance(node.right, NullExpression)
    return False


def compile_expression(text: str, context: rule_engine.Context) -> Expression:
    try:
        rule = rule_engine.Rule(text, context=context)
    except rule_engine.SymbolResolutionError as error:
        problem = f"unknown name '{error.symbol_name}'"
        raise ExpressionError(text, problem, error.suggestion) from None
    except rule_engine.RuleSyntaxError as error:
        raise ExpressionError(text, f"syntax error: {error.message}") from None
    except rule_engine.EngineError as error:
        raise ExpressionError(text, error.message) from None
    if rule.statement.expression.result_type not in (DataType.BOOLEAN, DataType.UNDEFINED):
        raise ExpressionError(text, "the expression must be true or false")
    _make_null_safe(rule.statement.expression)
    return Expression(text, rule)
