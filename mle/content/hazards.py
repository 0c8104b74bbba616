"""The clinical safety hazard log (docs/clinical-safety/hazards/*.yaml), in the shape of the NHS
DCB0129 standard, checked against the content it speaks of.

Each hazard names the controls that reduce its risk and the test cases that prove each control
works. `flask mle check-content` fails when a hazard names a test case that does not exist or does
not pass, so the log cannot claim a control the content no longer has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from mle.content.checks import run_case
from mle.content.errors import ContentError
from mle.content.model import Content

SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS = ("very_low", "low", "medium", "high", "very_high")
# DCB0129's risk matrix: rows by likelihood (very low first), columns by severity (minor first);
# 1 is acceptable, 5 unacceptable.
RISK_MATRIX = (
    (1, 1, 2, 2, 3),
    (1, 2, 2, 3, 4),
    (2, 2, 3, 3, 4),
    (2, 3, 3, 4, 5),
    (3, 4, 4, 5, 5),
)


def risk(rating: Mapping[str, str]) -> int:
    return RISK_MATRIX[LIKELIHOODS.index(rating["likelihood"])][
        SEVERITIES.index(rating["severity"])]


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    file: str
    initial_risk: int
    residual_risk: int
    raw: dict[str, Any]  # the hazard as written, checked against the schema


def _read(path: Path, errors: list[ContentError]) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        errors.append(ContentError(path.name, "file", f"cannot be read as YAML: {error}"))
        return []
    schema = json.loads(resources.files("mle.content")
                        .joinpath("hazard-log.schema.json").read_text("utf-8"))
    problems = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    for problem in problems:
        where = "/".join(str(p) for p in problem.absolute_path) or "file"
        errors.append(ContentError(path.name, where, f"schema: {problem.message}"))
    return [] if problems else data["hazards"]


def _content_test_problems(content: Content, reference: str) -> str | None:
    module_id, case_id = reference.split("/", 1)
    module = content.module(module_id)
    if module is None:
        return f"names test case '{reference}' of an unknown module"
    case = next((c for c in module.tests if c.id == case_id), None)
    if case is None:
        return f"names test case '{reference}', which does not exist"
    failures = run_case(module, case)
    return f"test case '{reference}' fails: {'; '.join(failures)}" if failures else None


def _pytest_problem(root: Path, reference: str) -> str | None:
    path, name = reference.split("::")
    try:
        source = (root / path).read_text("utf-8")
    except OSError:
        return f"names test '{reference}', whose file does not exist"
    if not re.search(rf"^\s*(async\s+)?def {re.escape(name)}\(", source, re.MULTILINE):
        return f"names test '{reference}', which is not in {path}"
    return None


def _hazard_problems(raw: Mapping[str, Any], content: Content, root: Path) -> list[str]:
    problems = []
    for control in raw["controls"]:
        problems += [_content_test_problems(content, ref) for ref in control.get("tests", ())]
        problems += [_pytest_problem(root, ref) for ref in control.get("pytest", ())]
    initial, residual = risk(raw["initial"]), risk(raw["residual"])
    if residual > initial:
        problems.append(f"residual risk {residual} is above the initial risk {initial}")
    return [p for p in problems if p]


def load_hazard_log(folder: Path, content: Content,
                    root: Path) -> tuple[list[Hazard], list[ContentError]]:
    """Every hazard in the folder, with every problem found: a missing or failing test case,
    a pytest test that is not there, a residual risk above the initial one."""
    errors: list[ContentError] = []
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        errors.append(ContentError(str(folder), "folder", "the hazard log has no hazards"))
    hazards: list[Hazard] = []
    for path in paths:
        for raw in _read(path, errors):
            if any(h.id == raw["id"] for h in hazards):
                errors.append(ContentError(path.name, raw["id"], "hazard id is used twice"))
            errors += [ContentError(path.name, raw["id"], problem)
                       for problem in _hazard_problems(raw, content, root)]
            hazards.append(Hazard(raw["id"], raw["title"], path.name, risk(raw["initial"]),
                                  risk(raw["residual"]), raw))
    return hazards, errors


def hazard_table(hazards: list[Hazard]) -> str:
    """The hazard log as a Markdown table, for docs/clinical-safety/hazard-log.md."""
    rows = ["| id | hazard | initial risk | controls | proven by | residual risk |",
            "|---|---|---|---|---|---|"]
    for h in sorted(hazards, key=lambda h: h.id):
        controls = "<br>".join(c["description"] for c in h.raw["controls"])
        proofs = "<br>".join(f"`{t}`" for c in h.raw["controls"]
                             for t in (*c.get("tests", ()), *c.get("pytest", ())))
        rows.append(f"| {h.id} | {h.title} | {h.initial_risk} | {controls} | {proofs} | "
                    f"{h.residual_risk} |")
    return "\n".join(rows) + "\n"
