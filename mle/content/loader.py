"""Read questionnaires/*.yaml and equipment.yaml, check everything, and freeze the result."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from mle.content import checks
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
from mle.content.types import ABOUT_TYPES, QUESTION_TYPES, yes_no_key
from mle.rules import (
    Band,
    EquipmentRule,
    ExpressionError,
    Outcome,
    Referral,
    RuleSet,
    Score,
    UrgentFlag,
    compile_expression,
    typed_context,
)

EQUIPMENT_FILE = "equipment.yaml"


@dataclass(frozen=True)
class References:
    """Ids defined outside questionnaires/ that content may refer to."""

    urgent_contacts: frozenset[str] = field(default_factory=frozenset)
    teams: frozenset[str] = field(default_factory=frozenset)
    needs: frozenset[str] = field(default_factory=frozenset)


def _schema(name: str) -> dict:
    return json.loads(resources.files("mle.content").joinpath(name).read_text("utf-8"))


def _read_yaml(path: Path, errors: list[ContentError]) -> dict | None:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        errors.append(ContentError(path.name, "file", f"cannot be read as YAML: {error}"))
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(path.name, "file", "must be a mapping at the top level"))
        return None
    return data


def _validate(data: dict, schema: dict, file: str, errors: list[ContentError]) -> bool:
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


def _points(table: dict) -> dict[str, dict[str, float]]:
    return {question: {yes_no_key(k): v for k, v in values.items()}
            for question, values in table.items()}


def _option(raw: dict | None) -> Option | None:
    return Option(raw["value"], raw["label"], raw.get("hint")) if raw else None


def _question(raw: dict) -> Question:
    measurement = raw.get("measurement")
    return Question(
        id=raw["id"],
        type=raw["type"],
        text=raw["text"],
        hint=raw.get("hint"),
        options=tuple(_option(o) for o in raw.get("options", ())),
        none_option=_option(raw.get("none_option")),
        unit=raw.get("unit"),
        min=raw.get("min"),
        max=raw.get("max"),
        decimals=raw.get("decimals", 0),
        measurement=Measurement(**measurement) if measurement else None,
        max_length=raw.get("max_length"),
        optional=raw.get("optional", False),
        show_when=raw.get("show_when"),
    )


class _ModuleBuilder:
    """Builds one module, collecting every problem rather than stopping at the first."""

    def __init__(self, raw: dict, file: str, equipment_raw: dict[str, dict],
                 refs: References, errors: list[ContentError]):
        self.raw, self.file, self.refs, self.errors = raw, file, refs, errors
        self.equipment_raw = equipment_raw
        self.questions = tuple(_question(q) for q in raw["questions"])

    def error(self, where: str, problem: str) -> None:
        self.errors.append(ContentError(self.file, where, problem))

    def compile(self, text: str | None, types: dict, where: str):
        if text is None:
            return None
        try:
            return compile_expression(text, typed_context(types))
        except ExpressionError as error:
            hint = f" - did you mean '{error.suggestion}'?" if error.suggestion else ""
            self.error(where, f"{error.problem}{hint}: {text}")
            return None

    def question_types(self) -> dict:
        return {q.id: QUESTION_TYPES[q.type] for q in self.questions}

    def visibility(self):
        # A show_when may only use questions asked before it.
        earlier = dict(ABOUT_TYPES)
        visibility = []
        for q in self.questions:
            visibility.append((q.id, self.compile(q.show_when, earlier, f"{q.id}/show_when")))
            earlier[q.id] = QUESTION_TYPES[q.type]
        return tuple(visibility)

    def scores(self) -> tuple[Score, ...]:
        return tuple(
            Score(s["id"], _points(s["points"]),
                  tuple(Band(b["id"], b.get("max")) for b in s["bands"]))
            for s in self.raw.get("scores", ())
        )

    def full_types(self, scores: tuple[Score, ...]) -> dict:
        types = {**ABOUT_TYPES, **self.question_types()}
        for score in scores:
            types[f"score_{score.id}"] = QUESTION_TYPES["number"]
            types[f"band_{score.id}"] = QUESTION_TYPES["single_choice"]
        return types

    def outcomes(self, types: dict) -> tuple[Outcome, ...]:
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
            ))
        return tuple(outcomes)

    def urgent(self, types: dict) -> tuple[UrgentFlag, ...]:
        return tuple(
            UrgentFlag(raw["id"], self.compile(raw["when"], types, f"{raw['id']}/when"),
                       raw["message"], raw["because"], tuple(raw["contacts"]))
            for raw in self.raw.get("urgent", ())
        )

    def equipment_rules(self, outcomes: tuple[Outcome, ...], types: dict) -> dict:
        rules = {}
        for item_id in dict.fromkeys(i for o in outcomes for i in o.equipment):
            item = self.equipment_raw.get(item_id)
            if item is None:
                continue  # reported by the reference checks
            criteria = self.compile(item["criteria"], types,
                                    f"equipment {item_id}/criteria (in module {self.raw['id']})")
            rules[item_id] = EquipmentRule(item_id, criteria, tuple(item.get("measurements", ())))
        return rules

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
            advice={a["id"]: AdviceItem(a["id"], a["title"], tuple(a["body"]))
                    for a in self.raw["advice"]},
            rules=rules,
            tests=tuple(TestCase(t["id"], t.get("about", {}), t["answers"], t["expect"])
                        for t in self.raw["tests"]),
            source=self.file,
        )


def _equipment_item(raw: dict) -> EquipmentItem:
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
    )


def _content_version(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_content(directory: Path | str, refs: References | None = None,
                 run_tests: bool = True) -> Content:
    """Load and check every module; raise ContentErrors listing every problem found."""
    directory = Path(directory)
    refs = refs or References()
    errors: list[ContentError] = []

    equipment_path = directory / EQUIPMENT_FILE
    equipment_data = _read_yaml(equipment_path, errors) if equipment_path.exists() else None
    if equipment_path.exists() and equipment_data is not None and not _validate(
        equipment_data, _schema("equipment.schema.json"), EQUIPMENT_FILE, errors
    ):
        equipment_data = None
    equipment_raw = {i["id"]: i for i in (equipment_data or {}).get("items", ())}

    module_paths = sorted(p for p in directory.glob("*.yaml") if p.name != EQUIPMENT_FILE)
    if not module_paths:
        errors.append(ContentError(str(directory), "folder", "no questionnaire modules found"))
    module_schema = _schema("module.schema.json")
    modules: dict[str, Module] = {}
    for path in module_paths:
        raw = _read_yaml(path, errors)
        if raw is None or not _validate(raw, module_schema, path.name, errors):
            continue
        before = len(errors)
        checks.check_module_structure(raw, path, equipment_raw, refs, errors)
        if len(errors) > before:
            continue
        module = _ModuleBuilder(raw, path.name, equipment_raw, refs, errors).build()
        if len(errors) == before:
            modules[module.id] = module

    equipment = {item_id: _equipment_item(raw) for item_id, raw in equipment_raw.items()}
    errors += checks.check_equipment_duplicates(equipment_data or {}, EQUIPMENT_FILE)
    if run_tests and not errors:
        for module in modules.values():
            errors += checks.run_module_tests(module)
    if errors:
        raise ContentErrors(errors)
    ordered = dict(sorted(modules.items(), key=lambda kv: kv[1].title))
    return Content(ordered, equipment, _content_version(
        module_paths + ([equipment_path] if equipment_path.exists() else [])))
