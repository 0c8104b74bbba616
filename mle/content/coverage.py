"""Which rules, flags, equipment items, questions and outcome levels a module's test cases
exercise. Content only lands when its tests exercise every part of it."""

from __future__ import annotations

from dataclasses import dataclass

from mle.content.errors import ContentError
from mle.content.model import Content, Module
from mle.content.safety import safety_gaps
from mle.content.wording import wording_gaps
from mle.rules import LEVELS, evaluate_module
from mle.rules.routing import visible_questions


@dataclass(frozen=True)
class ModuleCoverage:
    module: Module
    rules: dict[str, bool]  # outcome rule id -> fired in some test case
    urgent: dict[str, bool]  # urgent flag id -> fired in some test case
    equipment: dict[str, bool]  # candidate item id -> suggested (its criteria met) in some case
    questions: dict[str, bool]  # question id -> asked in some test case
    levels: dict[str, bool]  # level the rules can reach -> some test case expects it

    @property
    def gaps(self) -> list[str]:
        found = []
        for kind, table in (("outcome rule", self.rules), ("urgent flag", self.urgent),
                            ("equipment criteria of", self.equipment),
                            ("question (never asked)", self.questions),
                            ("outcome level", self.levels)):
            found += [f"{kind} '{name}' is not exercised by any test case"
                      for name, covered in table.items() if not covered]
        return found


def _reachable_levels(module: Module) -> list[str]:
    levels = {o.level for o in module.rules.outcomes}
    levels |= {"urgent"} if module.rules.urgent else set()
    return [level for level in LEVELS if level in levels]


def module_coverage(module: Module) -> ModuleCoverage:
    rules = dict.fromkeys((o.id for o in module.rules.outcomes), False)
    urgent = dict.fromkeys((f.id for f in module.rules.urgent), False)
    equipment = dict.fromkeys(module.rules.equipment, False)
    questions = dict.fromkeys((q.id for q in module.questions), False)
    levels = dict.fromkeys(_reachable_levels(module), False)
    for case in module.tests:
        result = evaluate_module(module.rules, case.answers, case.about)
        rules.update(dict.fromkeys(result.fired_ids, True))
        urgent.update(dict.fromkeys(result.urgent, True))
        equipment.update(dict.fromkeys((e.item_id for e in result.equipment), True))
        asked = visible_questions(module.rules.visibility, case.answers, base=dict(case.about))
        questions.update(dict.fromkeys(asked, True))
        if case.expect["level"] in levels:
            levels[case.expect["level"]] = True
    return ModuleCoverage(module, rules, urgent, equipment, questions, levels)


def unused_content(content: Content) -> list[ContentError]:
    """Advice no rule gives, and equipment no module offers."""
    errors = []
    for module in content.modules.values():
        given = {a for o in module.rules.outcomes for a in o.advice}
        errors += [ContentError(module.source, f"advice {a}", "is not given by any outcome rule")
                   for a in module.advice if a not in given]
    offered = {i for m in content.modules.values() for i in m.rules.equipment}
    errors += [ContentError("equipment.yaml", item, "is not offered by any module")
               for item in content.equipment if item not in offered]
    return errors


def coverage_errors(content: Content) -> list[ContentError]:
    errors = unused_content(content) + safety_gaps(content) + wording_gaps(content)
    for module in content.modules.values():
        errors += [ContentError(module.source, "coverage", gap)
                   for gap in module_coverage(module).gaps]
    return errors


def _count(table: dict[str, bool]) -> str:
    return f"{sum(table.values())}/{len(table)}" if table else "-"


def coverage_table(content: Content) -> str:
    """A Markdown table of coverage per module, for docs/content.md."""
    rows = ["| module | version | owner | review due | questions asked | outcome rules | "
            "urgent flags | equipment criteria | levels with a test case |",
            "|---|---|---|---|---|---|---|---|---|"]
    for module in content.modules.values():
        c = module_coverage(module)
        levels = ", ".join(level for level, covered in c.levels.items() if covered)
        rows.append(f"| {module.title} (`{module.id}`) | {module.version} | {module.owner} | "
                    f"{module.review_due:%Y-%m-%d} | {_count(c.questions)} | {_count(c.rules)} | "
                    f"{_count(c.urgent)} | {_count(c.equipment)} | {levels} |")
    return "\n".join(rows) + "\n"
