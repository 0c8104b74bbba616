"""The referral policy: which answers must lead to which team, written once for every module
(questionnaires/referral-policy.yaml, explained in docs/referral-policy.md).

A module carries a policy out with an outcome rule that names it (`policy: <id>`). The checks here
make every module the policy lists do so, with a referral to one of the policy's teams at no
lower a priority than the policy asks, so the same need gets the same route in every module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import yaml

from mle.content.errors import ContentError
from mle.vocabulary import PRIORITIES

if TYPE_CHECKING:
    from mle.content.loader import References
    from mle.content.model import Module
    from mle.rules import Outcome

POLICY_FILE = "referral-policy.yaml"


@dataclass(frozen=True)
class ReferralPolicy:
    id: str
    title: str
    modules: tuple[str, ...]
    teams: tuple[str, ...]
    priority: str  # the lowest priority a rule carrying it out may give
    why: str


def load_policies(directory: Path, refs: References,
                  errors: list[ContentError]) -> dict[str, ReferralPolicy] | None:
    """The policies in the content folder, or None when it has no policy file."""
    path = directory / POLICY_FILE
    if not path.exists():
        return None
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        errors.append(ContentError(POLICY_FILE, "file", f"cannot be read as YAML: {error}"))
        return {}
    schema = json.loads(resources.files("mle.content")
                        .joinpath("referral-policy.schema.json").read_text("utf-8"))
    problems = list(jsonschema.Draft202012Validator(schema).iter_errors(
        json.loads(json.dumps(raw, default=str))))
    for problem in problems:
        where = "/".join(str(p) for p in problem.absolute_path) or "file"
        errors.append(ContentError(POLICY_FILE, where, f"schema: {problem.message}"))
    if problems:
        return {}
    policies: dict[str, ReferralPolicy] = {}
    for item in raw["policies"]:
        if item["id"] in policies:
            errors.append(ContentError(POLICY_FILE, item["id"], "policy id is used twice"))
        for team in item["teams"]:
            if refs.teams and team not in refs.teams:
                errors.append(ContentError(POLICY_FILE, item["id"],
                                           f"unknown team '{team}' (not in directory/area.yaml)"))
        policies[item["id"]] = ReferralPolicy(item["id"], item["title"], tuple(item["modules"]),
                                              tuple(item["teams"]), item["priority"],
                                              item["why"])
    return policies


def _rule_problems(policy: ReferralPolicy, outcome: Outcome) -> list[str]:
    problems = []
    if outcome.level != "referral" or outcome.referral is None:
        problems.append(f"carries out policy '{policy.id}' but offers no referral")
        return problems
    if outcome.referral.team not in policy.teams:
        problems.append(f"policy '{policy.id}' refers to {', '.join(policy.teams)}, "
                        f"not '{outcome.referral.team}'")
    if PRIORITIES.index(outcome.referral.priority) < PRIORITIES.index(policy.priority):
        problems.append(f"policy '{policy.id}' asks for priority '{policy.priority}' or more, "
                        f"not '{outcome.referral.priority}'")
    return problems


def _module_errors(module: Module, policies: Mapping[str, ReferralPolicy]) -> list[ContentError]:
    errors = []
    for outcome in module.rules.outcomes:
        if outcome.policy is None:
            continue
        policy = policies.get(outcome.policy)
        if policy is None:
            errors.append(ContentError(module.source, outcome.id, f"unknown policy "
                                       f"'{outcome.policy}' (not in {POLICY_FILE})"))
            continue
        if module.id not in policy.modules:
            errors.append(ContentError(module.source, outcome.id,
                                       f"policy '{policy.id}' does not list this module"))
        errors += [ContentError(module.source, outcome.id, problem)
                   for problem in _rule_problems(policy, outcome)]
    carried = {o.policy for o in module.rules.outcomes}
    errors += [ContentError(module.source, "outcomes", f"no outcome rule carries out policy "
                                                       f"'{policy.id}' ({policy.title})")
               for policy in policies.values()
               if module.id in policy.modules and policy.id not in carried]
    return errors


def check_policies(policies: Mapping[str, ReferralPolicy], modules: Mapping[str, Module],
                   module_files: set[str]) -> list[ContentError]:
    """Every module a policy lists carries it out, and every rule that says it does, does.
    `module_files` names every module file found, loaded or not."""
    errors = [ContentError(POLICY_FILE, policy.id,
                           f"lists module '{module_id}', which does not exist")
              for policy in policies.values() for module_id in policy.modules
              if module_id not in module_files]
    for module in modules.values():
        errors += _module_errors(module, policies)
    return errors
