"""How long the rules take, beside a floor and beside the page that shows them.

One run measures, side by side:
  1. the rules engine evaluating a complete assessment (all three first modules answered);
  2. the floor: a hand-written Python function computing the same bathing result;
  3. the engine on bathing alone, for a like-for-like ratio against the floor;
  4. the server time of the whole results page (Flask test client, SQLite, real templates).
Reports medians over many repetitions, and ratios. Target: rules <= 10% of the results page.

    .venv/bin/python bench/rules_bench.py [--repeat 2000] [--pages 200]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MLE_ENV"] = "testing"

ABOUT = {"age_band": "75_84", "answering_for": "self"}
ANSWERS = {
    "bathing": {
        "wash_where": "bath", "hard_things": ["getting_in", "standing", "reaching"],
        "can_step_over": False, "can_lift_legs": True, "can_sit_in_bath": "hard",
        "bath_inner_width_cm": 62.0, "fall_bathroom": "near_miss", "help_from": "family",
    },
    "carer": None,  # filled from the module's own first test case
    "memory": None,
}


def bathing_by_hand(a: dict) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The bathing module's rules written out in plain Python: the fastest it could be."""
    where, has = a.get("wash_where"), None
    if where == "strip_wash":
        has = a.get("bathroom_has")
    hard = a.get("hard_things") or ()
    has_bath = where in ("bath", "shower_over_bath") or has == "bath"
    step = a.get("can_step_over") if has_bath else None
    legs = a.get("can_lift_legs") if step is False else None
    sit = a.get("can_sit_in_bath") if has_bath else None
    width = a.get("bath_inner_width_cm") if has_bath and (
        step is False or sit in ("hard", "no")
        or (where == "shower_over_bath" and "standing" in hard)) else None
    fall, helper = a.get("fall_bathroom"), a.get("help_from")

    score = (1 if where == "strip_wash" else 0)
    score += sum({"getting_in": 2, "getting_out": 2, "stepping_over": 2, "standing": 1,
                  "reaching": 1, "taps": 1}.get(h, 0) for h in hard)
    score += 2 if step is False else 0
    score += 2 if legs is False else 0
    score += {"hard": 1, "no": 2}.get(sit, 0)
    score += {"near_miss": 2, "fell": 3}.get(fall, 0)
    score += {"family": 1, "paid_carer": 1, "need_help_no_one": 3}.get(helper, 0)
    band = "low" if score <= 3 else "moderate" if score <= 9 else "high"

    board = width is None or 56 <= width <= 70
    seat = (width is None or 56 <= width <= 68) and sit == "hard"
    fired, equipment = [], []

    def fire(rule_id, items=()):
        fired.append(rule_id)
        equipment.extend(i for i, fits in items if fits and i not in equipment)

    if where is not None:
        fire("safer-washing")
    if where == "strip_wash":
        fire("strip-wash-tips")
    if "reaching" in hard:
        fire("reaching-feet-and-back", [("long-handled-sponge", True)])
    if "taps" in hard:
        fire("turning-taps", [("tap-turners", True)])
    if step is False and legs is True:
        fire("board-across-bath", [("bath-board", board), ("bath-seat", seat)])
    if step is True and sit == "hard":
        fire("lowering-into-bath", [("bath-seat", seat), ("grab-rail", True)])
    if fall == "near_miss":
        fire("bathroom-near-miss", [("non-slip-bath-mat", where != "strip_wash"),
                                    ("grab-rail", True)])
    if helper == "family":
        fire("family-helps-to-wash")
    if band == "high":
        fire("washing-very-hard")
    level = "signposting" if {"bathroom-near-miss", "family-helps-to-wash",
                              "washing-very-hard"} & set(fired) else "equipment"
    return tuple(fired), tuple(equipment), level


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def prepare_app(database: Path):
    from flask_migrate import upgrade

    from mle import create_app
    from mle.directory.geography import load_postcodes
    from mle.directory.seed import load_seed_services
    from mle.site import site

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "TESTING": True})
    with app.app_context():
        upgrade()
        load_postcodes(site().area)
        load_seed_services(ROOT / "directory" / "seed" / "services.yaml")
    return app


def completed_client(app):
    """A browser session that has completed the assessment with ANSWERS."""
    from mle.assessment import store
    from mle.assessment.results import build_result_page
    from mle.reporting.outcomes import record_outcome
    from mle.site import site

    client = app.test_client()
    with app.test_request_context():
        assessment = store.start()
        _, state = store.current()
        state.about.age_band, state.about.answering_for = ABOUT["age_band"], "self"
        state.about.locality, state.about.in_area, state.about.simd_quintile = (
            "coatbridge", True, 2)
        state.modules = list(ANSWERS)
        state.answers = {m: dict(a) for m, a in ANSWERS.items()}
        store.save(assessment, state)
        content = site().content
        page = build_result_page(content, site().area, state)
        record_outcome(assessment, state, page.result, page.service_ids, content.version)
        with client.session_transaction() as session:
            session[store.SESSION_KEY] = assessment.id
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    from mle.rules import evaluate_assessment, evaluate_module

    with tempfile.TemporaryDirectory() as folder:
        app = prepare_app(Path(folder) / "bench.db")
        content = app.extensions["mle_site"].content
        for module_id in ("carer", "memory"):
            ANSWERS[module_id] = dict(content.module(module_id).tests[0].answers)
        rule_sets = [content.module(m).rules for m in ANSWERS]
        bathing = content.module("bathing").rules

        engine = evaluate_module(bathing, ANSWERS["bathing"], ABOUT)
        by_hand = bathing_by_hand(ANSWERS["bathing"])
        engine_view = (engine.fired_ids, tuple(e.item_id for e in engine.equipment),
                       engine.level)
        assert engine_view == by_hand, f"the floor disagrees: {engine_view} != {by_hand}"

        client = completed_client(app)
        assert client.get("/result").status_code == 200
        for _ in range(20):  # warm caches before timing anything
            evaluate_assessment(rule_sets, ANSWERS, ABOUT)
            client.get("/result")

        assessment_s = median_seconds(
            lambda: evaluate_assessment(rule_sets, ANSWERS, ABOUT), args.repeat)
        bathing_s = median_seconds(lambda: evaluate_module(bathing, ANSWERS["bathing"], ABOUT),
                                   args.repeat)
        floor_s = median_seconds(lambda: bathing_by_hand(ANSWERS["bathing"]), args.repeat)
        page_s = median_seconds(lambda: client.get("/result"), args.pages)

    share = assessment_s / page_s
    lines = [
        f"# Rules benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Command: `.venv/bin/python bench/rules_bench.py --repeat {args.repeat} "
        f"--pages {args.pages}`",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        f"- Commit: {_commit()}",
        "",
        "| measurement | median |",
        "|---|---|",
        f"| rules engine, complete assessment (3 modules) | {assessment_s * 1e6:.1f} µs |",
        f"| rules engine, bathing only | {bathing_s * 1e6:.1f} µs |",
        f"| hand-written Python, bathing only (the floor) | {floor_s * 1e6:.2f} µs |",
        f"| results page, server time (test client, SQLite) | {page_s * 1e3:.2f} ms |",
        "",
        f"- Engine / floor, bathing: **{bathing_s / floor_s:.0f}x**",
        f"- Rules evaluation as a share of the results page: **{share:.1%}** "
        f"(target at most 10%: {'met' if share <= 0.10 else 'NOT met'})",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"rules_bench_{datetime.datetime.now(datetime.UTC):%Y-%m-%dT%H%M}.md"
    target.write_text(report)
    print(f"written to {target.relative_to(ROOT)}")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
