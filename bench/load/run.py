"""Load test: start the production-like stack, measure the journey's cost against the baseline
in alternating pairs of phases, then step the load up until p99 passes 500 ms. Writes
bench/results/load_<time>.md.

    .venv/bin/python bench/load/run.py [--pairs 5] [--phase-users 20] [--phase-seconds 30]
        [--steps 20,40,80,120,160,200] [--step-seconds 30] [--name load]

A short run checks that the stack starts and every phase runs, in a minute or two (its figures
mean nothing): --pairs 2 --phase-users 4 --phase-seconds 8 --steps 4 --step-seconds 5 --name check

Phases, each a separate headless Locust run against the same gunicorn:
1. --pairs pairs of a baseline phase and a journey phase, each --phase-seconds: in the baseline
   virtual people request only /bench/baseline (a page in the layout, one row written, added by
   baseline_app.py: the stack serves the service with that page); in the journey virtual
   residents replay the whole journey. Cost per request = worker CPU-seconds / requests; each
   pair gives a ratio journey/baseline, and the figure is the median of the pairs' ratios with
   their spread. The order within a pair alternates (baseline first, then journey first), so
   a drift in the machine's other work moves both sides alike;
2. steps: residents with editors and managers (18:1:1) at each user count in --steps
   (none with --steps "").
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import RESULTS, Stack, locust  # noqa: E402

PERCENTILES = ["50%", "90%", "95%", "99%"]
# The service with the baseline page added, as gunicorn finds it (baseline_app.py).
BASELINE_APP = "baseline_app:create_baseline_app()"
PHASE_CLASSES = {"baseline": "Baseline", "journey": "Resident"}


def measure(stack: Stack, classes: list[str], users: int, seconds: int, csv_prefix: Path,
            **kwargs) -> dict:
    cpu_before = stack.gunicorn.cpu_seconds()
    started = time.time()
    stats = locust(stack, classes, users, seconds, csv_prefix, **kwargs)
    elapsed = time.time() - started
    cpu = stack.gunicorn.cpu_seconds() - cpu_before
    total = stats["total"]
    requests = int(total["Request Count"])
    return {
        "users": users,
        "classes": classes,
        "seconds": seconds,
        "requests": requests,
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        # Locust writes N/A for a percentile of no requests.
        **{p: float(total[p]) if total[p] != "N/A" else float("nan") for p in PERCENTILES},
        "worker_cpu_seconds": round(cpu, 2),
        "worker_cpu_share": round(cpu / elapsed, 2),
        "cpu_ms_per_request": round(1000 * cpu / requests, 2) if requests else None,
        "rss_mb": [round(x, 1) for x in stack.gunicorn.rss_mb()],
        "by_name": {f'{r["Type"]} {r["Name"]}': {"requests": int(r["Request Count"]),
                                "failures": int(r["Failure Count"]),
                                "50%": r["50%"], "99%": r["99%"]}
                    for r in stats["rows"] if r["Name"] != "Aggregated"},
    }


def alternating_pairs(stack: Stack, args, out: Path) -> list[dict]:
    """Baseline and journey phases, side by side, --pairs times; the first of each pair
    alternates."""
    pairs = []
    for number in range(args.pairs):
        order = ("baseline", "journey") if number % 2 == 0 else ("journey", "baseline")
        pair: dict = {"order": list(order)}
        for phase in order:
            pair[phase] = measure(stack, [PHASE_CLASSES[phase]], args.phase_users,
                                  args.phase_seconds, out / f"{phase}{number}")
        base = pair["baseline"]["cpu_ms_per_request"]
        journey = pair["journey"]["cpu_ms_per_request"]
        pair["ratio"] = round(journey / base, 3) if base and journey else None
        print(f"pair {number + 1}: baseline {base} ms, journey {journey} ms, ratio "
              f"{pair['ratio']}", flush=True)
        pairs.append(pair)
    return pairs


def cost_summary(pairs: list[dict]) -> dict:
    """The median of the pairs' ratios, their range and interquartile range, and the median
    cost of each phase."""
    ratios = sorted(p["ratio"] for p in pairs if p["ratio"] is not None)
    if not ratios:
        return {"ratio": None}
    quartiles = statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 \
        else [ratios[0]] * 3
    return {
        "ratio": round(statistics.median(ratios), 2),
        "ratio_min": round(ratios[0], 2),
        "ratio_max": round(ratios[-1], 2),
        "ratio_iqr": [round(quartiles[0], 2), round(quartiles[2], 2)],
        "baseline_ms_median": round(statistics.median(
            p["baseline"]["cpu_ms_per_request"] for p in pairs), 2),
        "journey_ms_median": round(statistics.median(
            p["journey"]["cpu_ms_per_request"] for p in pairs), 2),
    }


def run(args) -> dict:
    out = Path(tempfile.mkdtemp(prefix="mle-load-"))
    results: dict = {"started": datetime.now(UTC).isoformat(timespec="seconds")}
    with Stack("load", app=BASELINE_APP) as stack:
        results["workers"] = stack.workers
        # Warm every worker up (imports, template compilation, connection pool).
        locust(stack, ["Resident", "Baseline"], 10, 15, out / "warmup")
        results["pairs"] = alternating_pairs(stack, args, out)
        results.update(cost_summary(results["pairs"]))
        results["steps"] = []
        for users in args.steps:
            step = measure(stack, ["Resident", "Editor", "Manager"], users, args.step_seconds,
                           out / f"step{users}")
            results["steps"].append(step)
            step["load_average_1min"] = round(os.getloadavg()[0], 1)
            print(f"{users} users: {step['rps']:.1f} req/s, p99 {step['99%']:.0f} ms, "
                  f"failures {step['failures']}", flush=True)
            if step["99%"] > 500 and len([s for s in results["steps"] if s["99%"] > 500]) >= 2:
                break  # two steps over: the knee is found (one alone may be other work's noise)
        results["outcomes_recorded"] = int(stack.sql("select count(*) from outcome_record"))
        results["assessments_completed"] = int(stack.sql(
            "select count(*) from assessment where completed_at is not null"))
    knee = next((s["users"] for s in results["steps"] if s["99%"] > 500), None)
    results["p99_over_500ms_at_users"] = knee
    return results


def write(results: dict, name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    path = RESULTS / f"{name}_{stamp}.md"
    lines = [
        f"# Load test {results['started']}",
        "",
        "Command: `.venv/bin/python bench/load/run.py " + shlex.join(sys.argv[1:]) + "`",
        "",
        f"gunicorn workers: {results['workers']}; PostgreSQL (private cluster), Redis rate "
        "limits; Locust on the same machine (2 cores shared with other work: figures are "
        "noisy, compare ratios).",
        "",
        "## Cost per request: journey against the baseline, in alternating pairs",
        "",
        "| pair | order | baseline requests | baseline CPU ms/request | journey requests | "
        "journey failures | journey CPU ms/request | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, pair in enumerate(results["pairs"], 1):
        base, journey = pair["baseline"], pair["journey"]
        lines.append(f"| {number} | {' then '.join(pair['order'])} | {base['requests']} | "
                     f"{base['cpu_ms_per_request']} | {journey['requests']} | "
                     f"{journey['failures']} | {journey['cpu_ms_per_request']} | "
                     f"{pair['ratio']} |")
    lines += ["", f"**Journey cost per request: median {results['ratio']} x the baseline** "
              f"over {len(results['pairs'])} pairs (range {results.get('ratio_min')}-"
              f"{results.get('ratio_max')}, interquartile range "
              f"{'-'.join(str(q) for q in results.get('ratio_iqr', []))}; target: median at "
              "most 1.5). Median CPU ms a request: baseline "
              f"{results.get('baseline_ms_median')}, journey {results.get('journey_ms_median')}.",
              "",
              "## Stepped load (residents, editors, managers 18:1:1)", "",
              "| users | requests | failures | req/s | p50 | p90 | p95 | p99 ms | worker CPU "
              "share | worker RSS MB | machine load (1 min) |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for step in results["steps"]:
        rss = step["rss_mb"]
        lines.append(f"| {step['users']} | {step['requests']} | {step['failures']} | "
                     f"{step['rps']:.1f} | {step['50%']:.0f} | {step['90%']:.0f} | "
                     f"{step['95%']:.0f} | {step['99%']:.0f} | {step['worker_cpu_share']} | "
                     f"{min(rss):.0f}-{max(rss):.0f} | {step['load_average_1min']} |")
    knee = results["p99_over_500ms_at_users"]
    if not results["steps"]:
        verdict = "No stepped load in this run (`--steps \"\"`)."
    elif knee:
        verdict = f"**p99 passed 500 ms at {knee} users.**"
    else:
        verdict = "p99 stayed under 500 ms at every step."
    lines += ["", verdict, "",
              f"Assessments completed: {results['assessments_completed']}; outcome records: "
              f"{results['outcomes_recorded']}.", "",
              "## Raw figures", "", "```json", json.dumps(results, indent=1), "```", ""]
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=5,
                        help="baseline and journey phases measured side by side this many times")
    parser.add_argument("--phase-users", type=int, default=20)
    parser.add_argument("--phase-seconds", type=int, default=30)
    parser.add_argument("--steps", default="20,40,80,120,160,200")
    parser.add_argument("--step-seconds", type=int, default=30)
    parser.add_argument("--name", default="load")
    args = parser.parse_args()
    args.steps = [int(x) for x in args.steps.split(",") if x]
    results = run(args)
    path = write(results, args.name)
    print(f"ratio {results['ratio']} (median of {args.pairs} pairs, range "
          f"{results.get('ratio_min')}-{results.get('ratio_max')}); p99 > 500 ms at "
          f"{results['p99_over_500ms_at_users']} users; wrote {path}")


if __name__ == "__main__":
    main()
