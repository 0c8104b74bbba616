"""Read questionnaires/*.yaml and equipment.yaml, check everything, and freeze the result."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from mle.content import checks
from mle.content.checks import Raw
from mle.content.errors import ContentError, ContentErrors
from mle.content.model import (
    AdviceItem,
    Content,
    EquipmentItem,
    Measurement,
    Module,
    Option,
    Question,
    TestCase,
)
from mle.content.policy import POLICY_FILE, check_policies, load_policies
from mle.content.types import ABOUT_TYPES, QUESTION_TYPES, yes_no_key
from mle.rules import (
    Band,
    EquipmentRule,
    Expression,
    ExpressionError,
    NotFor,
    Outcome,
    Referral,
    RuleSet,
    Score,
    UrgentFlag,
    compile_expression,
    typed_context,
)

EQUIPMENT_FILE = "equipment.yaml"
NOT_MODULES = frozenset({EQUIPMENT_FILE, POLICY_FILE})
# The question a module must ask before it may offer an item with a weight limit.
WEIGHT_QUESTION = "weight_kg"

# The type of each name an expression may use, as rule-engine declares it.
Types = Mapping[str, Any]

# Stands in for an expression that failed to compile. The problem is reported, so the module
# is dropped and this is never evaluated; building goes on only to find further problems.
_NOT_COMPILED = compile_expression("false", typed_context({}))


@dataclass(frozen=True)
class References:
    """Ids defined outside questionnaires/ that content may refer to."""

    urgent_contacts: frozenset[str] = field(default_factory=frozenset)
    teams: frozenset[str] = field(default_factory=frozenset)
    needs: frozenset[str] = field(default_factory=frozenset)


def _schema(name: str) -> Raw:
    schema: Raw = json.loads(resources.files("mle.content").joinpath(name).read_text("utf-8"))
    return schema


def _read_yaml(path: Path, errors: list[ContentError]) -> Raw | None:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        errors.append(ContentError(path.name, "file", f"cannot be read as YAML: {error}"))
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(path.name, "file", "must be a mapping at the top level"))
        return None
    return data


def _validate(data: Raw, schema: Raw, file: str, errors: list[ContentError]) -> bool:
    # Dates load from YAML as date objects; the schema checks their text form.
    as_json = json.loads(json.dumps(data, default=str))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    found = sorted(validator.iter_errors(as_json), key=lambda e: list(e.absolute_path))
    for error in found:
        where = "/".join(str(p) for p in error.absolute_path) or "file"
        errors.append(ContentError(file, _name_path(as_json, error.absolute_path) or where,
                                   f"schema: {error.message}"))
    return not found


def _name_path(data: Any, path: Iterable[Any]) -> str:
    """A readable location such as 'outcomes/bath-board/when' instead of 'outcomes/3/when'."""
    parts, node = [], data
    for key in path:
        node = node[key] if isinstance(node, (dict, list)) else None
        if isinstance(key, int) and isinstance(node, dict) and "id" in node:
            parts.append(str(node["id"]))
        else:
            parts.append(str(key))
    return "/".join(parts)


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _points(table: Mapping[str, Mapping[Any, float]]) -> dict[str, dict[str, float]]:
    return {question: {yes_no_key(k): v for k, v in values.items()}
            for question, values in table.items()}


def _option(raw: Raw) -> Option:
    return Option(raw["value"], raw["label"], raw.get("hint"), raw.get("label_for_someone_else"),
                  raw.get("hint_for_someone_else"), raw.get("age_band"))


def _question(raw: Raw) -> Question:
    measurement = raw.get("measurement")
    none_option = raw.get("none_option")
    return Question(
        id=raw["id"],
        type=raw["type"],
        text=raw["text"],
        hint=raw.get("hint"),
        options=tuple(_option(o) for o in raw.get("options", ())),
        none_option=_option(none_option) if none_option else None,
        unit=raw.get("unit"),
        min=raw.get("min"),
        max=raw.get("max"),
        decimals=raw.get("decimals", 0),
        measurement=Measurement(**measurement) if measurement else None,
        max_length=raw.get("max_length"),
        optional=raw.get("optional", False),
        show_when=raw.get("show_when"),
        text_for_someone_else=raw.get("text_for_someone_else"),
        hint_for_someone_else=raw.get("hint_for_someone_else"),
    )


class _ModuleBuilder:
    """Builds one module, collecting every problem rather than stopping at the first."""

    def __init__(self, raw: Raw, file: str, equipment_raw: Mapping[str, Raw],
                 withheld_referral: Referral | None, refs: References,
                 errors: list[ContentError]):
        self.raw, self.file, self.refs, self.errors = raw, file, refs, errors
        self.equipment_raw = equipment_raw
        self.withheld_referral = withheld_referral
        self.questions = tuple(_question(q) for q in raw["questions"])

    def error(self, where: str, problem: str) -> None:
        self.errors.append(ContentError(self.file, where, problem))

    def compile(self, text: str, types: Types, where: str, needs: str | None = None) -> Expression:
        """`needs` names what uses the expression, for a clearer message about an unknown
        name: the module must ask every question that it needs."""
        try:
            return compile_expression(text, typed_context(types))
        except ExpressionError as error:
            hint = f" - did you mean '{error.suggestion}'?" if error.suggestion else ""
            problem = error.problem
            if needs and problem.startswith("unknown name"):
                problem = f"the module does not ask {problem[len('unknown name '):]}, " \
                          f"which {needs} needs"
            self.error(where, f"{problem}{hint}: {text}")
            return _NOT_COMPILED

    def question_types(self) -> Types:
        return {q.id: QUESTION_TYPES[q.type] for q in self.questions}

    def visibility(self) -> tuple[tuple[str, Expression | None], ...]:
        # A show_when may only use questions asked before it.
        earlier = dict(ABOUT_TYPES)
        visibility: list[tuple[str, Expression | None]] = []
        for q in self.questions:
            show_when = None if q.show_when is None else self.compile(q.show_when, earlier,
                                                                      f"{q.id}/show_when")
            visibility.append((q.id, show_when))
            earlier[q.id] = QUESTION_TYPES[q.type]
        return tuple(visibility)

    def scores(self) -> tuple[Score, ...]:
        return tuple(
            Score(s["id"], _points(s["points"]),
                  tuple(Band(b["id"], b.get("max")) for b in s["bands"]))
            for s in self.raw.get("scores", ())
        )

    def full_types(self, scores: tuple[Score, ...]) -> Types:
        types = {**ABOUT_TYPES, **self.question_types()}
        for score in scores:
            types[f"score_{score.id}"] = QUESTION_TYPES["number"]
            types[f"band_{score.id}"] = QUESTION_TYPES["single_choice"]
        return types

    def outcomes(self, types: Types) -> tuple[Outcome, ...]:
        outcomes = []
        for raw in self.raw["outcomes"]:
            referral = raw.get("referral")
            outcomes.append(Outcome(
                id=raw["id"],
                when=self.compile(raw["when"], types, f"{raw['id']}/when"),
                level=raw["level"],
                because=raw["because"],
                advice=tuple(raw.get("advice", ())),
                equipment=tuple(raw.get("equipment", ())),
                needs=tuple(raw.get("needs", ())),
                referral=Referral(referral["team"], referral["priority"]) if referral else None,
                policy=raw.get("policy"),
                topics=tuple(raw.get("topics", ())),
                because_for_someone_else=raw.get("because_for_someone_else"),
            ))
        return tuple(outcomes)

    def urgent(self, types: Types) -> tuple[UrgentFlag, ...]:
        return tuple(
            UrgentFlag(raw["id"], self.compile(raw["when"], types, f"{raw['id']}/when"),
                       raw["message"], raw["because"], tuple(raw["contacts"]),
                       tuple(raw["steps"]), raw.get("message_for_someone_else"),
                       raw.get("because_for_someone_else"),
                       tuple(raw.get("steps_for_someone_else", ())))
            for raw in self.raw.get("urgent", ())
        )

    def equipment_rules(self, outcomes: tuple[Outcome, ...],
                        types: Types) -> dict[str, EquipmentRule]:
        rules = {}
        for item_id in dict.fromkeys(i for o in outcomes for i in o.equipment):
            item = self.equipment_raw.get(item_id)
            if item is None:
                continue  # reported by the reference checks
            where = f"equipment {item_id}/%s (in module {self.raw['id']})"
            criteria = self.compile(item["criteria"], types, where % "criteria")
            item_assessment = self._assessment(item, self.withheld_referral,
                                               where % "assessment_when_withheld")
            not_for = [NotFor(self.compile(n["when"], types, where % "not_for",
                                           needs="the item's not_for"), n["because"],
                              because_for_someone_else=n.get("because_for_someone_else"),
                              assessment=self._assessment(n, item_assessment,
                                                          where % "not_for"))
                       for n in item["not_for"]]
            not_for += self._weight_limit(item, types, where % "max_user_weight_kg",
                                          item_assessment)
            rules[item_id] = EquipmentRule(item_id, criteria, tuple(item.get("measurements", ())),
                                           tuple(not_for))
        return rules

    def _assessment(self, raw: Raw, default: Referral | None, where: str) -> Referral | None:
        """The assessment offered when this is withheld: its own `assessment_when_withheld`
        (false for none), or the default from the level above (item, then catalogue)."""
        own = raw.get("assessment_when_withheld")
        if own is None:
            return default
        if own is False:
            return None
        if self.refs.teams and own["team"] not in self.refs.teams:
            self.error(where, f"unknown team '{own['team']}' (not in directory/area.yaml)")
        return Referral(own["team"], own["priority"])

    def _weight_limit(self, item: Raw, types: Types, where: str,
                      assessment: Referral | None) -> list[NotFor]:
        limit = item.get("max_user_weight_kg")
        if limit is None:
            return []
        if types.get(WEIGHT_QUESTION) != QUESTION_TYPES["number"]:
            self.error(where, f"the item is safe only up to {limit} kg, so the module must ask "
                              f"the person's weight (a number question '{WEIGHT_QUESTION}')")
            return []
        when = self.compile(f"{WEIGHT_QUESTION} > {limit}", types, where)
        return [NotFor(when, weight_limit_kg=limit, assessment=assessment)]

    def build(self) -> Module:
        scores = self.scores()
        types = self.full_types(scores)
        outcomes = self.outcomes(types)
        rules = RuleSet(
            module_id=self.raw["id"],
            visibility=self.visibility(),
            scores=scores,
            outcomes=outcomes,
            urgent=self.urgent(types),
            equipment=self.equipment_rules(outcomes, types),
            about_the_answerer=self.raw.get("about_the_answerer", False),
        )
        return Module(
            id=self.raw["id"],
            title=self.raw["title"],
            description=self.raw["description"],
            owner=self.raw["owner"],
            version=self.raw["version"],
            reviewed_on=_date(self.raw["reviewed_on"]),
            review_due=_date(self.raw["review_due"]),
            questions=self.questions,
            advice={a["id"]: _advice_item(a) for a in self.raw["advice"]},
            rules=rules,
            tests=tuple(TestCase(t["id"], t.get("about", {}), t["answers"], t["expect"])
                        for t in self.raw["tests"]),
            source=self.file,
            about_the_answerer=self.raw.get("about_the_answerer", False),
            answerer_age=self.raw.get("answerer_age"),
            answerer_is_carer=self.raw.get("answerer_is_carer", False),
        )


def _advice_item(raw: Raw) -> AdviceItem:
    return AdviceItem(raw["id"], raw["title"], tuple(raw["body"]),
                      raw.get("title_for_someone_else"),
                      tuple(raw.get("body_for_someone_else", ())))


def _equipment_item(raw: Raw) -> EquipmentItem:
    price = raw.get("price_gbp")
    return EquipmentItem(
        id=raw["id"],
        name=raw["name"],
        description=raw["description"],
        criteria=raw["criteria"],
        measurements=tuple(raw.get("measurements", ())),
        fits_because=raw["fits_because"],
        how_to_get=raw["how_to_get"],
        not_without_advice=tuple(raw["not_without_advice"]),
        max_user_weight_kg=raw.get("max_user_weight_kg"),
        price_gbp=(price["min"], price["max"]) if price else None,
        description_for_someone_else=raw.get("description_for_someone_else"),
        fits_because_for_someone_else=raw.get("fits_because_for_someone_else"),
        not_without_advice_for_someone_else=tuple(
            raw.get("not_without_advice_for_someone_else", ())),
    )


def _read_equipment(path: Path, errors: list[ContentError]) -> Raw | None:
    data = _read_yaml(path, errors) if path.exists() else None
    return None if data is None else _valid_equipment(data, errors)


def _valid_equipment(data: Raw, errors: list[ContentError]) -> Raw | None:
    """The catalogue with its invalid items left out (each reported), so one item's mistake
    stops only the modules that offer it; None when the catalogue itself is invalid."""
    schema = _schema("equipment.schema.json")
    if _validate(data, schema, EQUIPMENT_FILE, errors):
        return data
    items = data.get("items")
    if not isinstance(items, list):
        return None
    header = {k: v for k, v in data.items() if k != "items"}
    header_schema = {**schema, "required": [r for r in schema["required"] if r != "items"]}
    if not jsonschema.Draft202012Validator(header_schema).is_valid(
            json.loads(json.dumps(header, default=str))):
        return None
    item_validator = jsonschema.Draft202012Validator(schema["properties"]["items"]["items"])
    return {**header, "items": [i for i in items if item_validator.is_valid(i)]}


def _withheld_referral(equipment_data: Raw | None, refs: References,
                       errors: list[ContentError]) -> Referral | None:
    raw = (equipment_data or {}).get("assessment_when_withheld")
    if raw is None:
        return None
    if refs.teams and raw["team"] not in refs.teams:
        errors.append(ContentError(EQUIPMENT_FILE, "assessment_when_withheld",
                                   f"unknown team '{raw['team']}' (not in directory/area.yaml)"))
    return Referral(raw["team"], raw["priority"])


def _content_version(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _load_module(path: Path, schema: Raw, equipment_raw: Mapping[str, Raw],
                 withheld_referral: Referral | None, refs: References,
                 errors: list[ContentError]) -> Module | None:
    """The module in one file, or None (with the problems added to errors)."""
    raw = _read_yaml(path, errors)
    if raw is None or not _validate(raw, schema, path.name, errors):
        return None
    before = len(errors)
    checks.check_module_structure(raw, path, equipment_raw, refs, errors)
    if len(errors) > before:
        return None
    module = _ModuleBuilder(raw, path.name, equipment_raw, withheld_referral, refs,
                            errors).build()
    return module if len(errors) == before else None


def load_content(directory: Path | str, refs: References | None = None,
                 run_tests: bool = True) -> Content:
    """Load and check every module; raise ContentErrors listing every problem found."""
    directory = Path(directory)
    refs = refs or References()
    errors: list[ContentError] = []

    equipment_path = directory / EQUIPMENT_FILE
    equipment_data = _read_equipment(equipment_path, errors)
    equipment_raw = {i["id"]: i for i in (equipment_data or {}).get("items", ())}
    withheld_referral = _withheld_referral(equipment_data, refs, errors)
    policies = load_policies(directory, refs, errors)

    module_paths = sorted(p for p in directory.glob("*.yaml") if p.name not in NOT_MODULES)
    if not module_paths:
        errors.append(ContentError(str(directory), "folder", "no questionnaire modules found"))
    module_schema = _schema("module.schema.json")
    modules: dict[str, Module] = {}
    for path in module_paths:
        module = _load_module(path, module_schema, equipment_raw, withheld_referral, refs,
                              errors)
        if module is not None:
            modules[module.id] = module

    equipment = {item_id: _equipment_item(raw) for item_id, raw in equipment_raw.items()}
    errors += checks.check_equipment_duplicates(equipment_data or {}, EQUIPMENT_FILE)
    errors += checks.check_topics(modules)
    if policies is not None:
        errors += check_policies(policies, modules, {p.stem for p in module_paths})
    if run_tests:
        # Only modules that built are here, so one module's mistake hides no other's tests.
        for module in modules.values():
            errors += checks.run_module_tests(module)
    if errors:
        raise ContentErrors(errors)
    ordered = dict(sorted(modules.items(), key=lambda kv: kv[1].title))
    policy_path = directory / POLICY_FILE
    return Content(ordered, equipment, _content_version(
        module_paths + [p for p in (equipment_path, policy_path) if p.exists()]),
        policies=policies or {})
