"""Cost and capacity with one, two and three instances behind HAProxy, as deploy/ describes
them, on this machine. Writes bench/results/instances_<time>.md.

    .venv/bin/python bench/load/instances.py [--counts 1,2,3] [--total-workers 6] [--rounds 2]
        [--warmup 30] [--cost-users 20] [--cost-seconds 30] [--steps 40,80,120,160,200]
        [--step-seconds 20]

One private PostgreSQL and one Redis (bench/load/stack.py) serve every configuration. For each
number of instances in --counts: the instances and HAProxy are started from deploy/
(bench/load/balanced.py), with the --total-workers gunicorn workers shared out between the
instances, so that every configuration has the same number of workers on the same cores;
after --warmup seconds of the mixed load,
1. cost: virtual residents replay the whole journey for --cost-seconds; worker CPU ms a request
   (all instances), and HAProxy's own CPU ms a request;
2. capacity: residents, editors and managers (18:1:1) at each user count in --steps, until p99
   has passed 500 ms twice; the capacity is the most requests a second served at a step with
   p99 at most 500 ms and no failures.
Each round runs the counts in turn, the next round in the opposite order, so a drift in the
machine's other work does not favour one configuration; figures are medians over the rounds.

A short run that only checks every part works:
--counts 1,2 --rounds 1 --warmup 5 --cost-users 4 --cost-seconds 8 --steps 4 --step-seconds 5
--name check
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

from balanced import Balanced  # noqa: E402
from results_file import write_results  # noqa: E402
from run import measure  # noqa: E402
from stack import Stack, locust  # noqa: E402

P99_LIMIT_MS = 500


def one_configuration(stack: Stack, count: int, args, out: Path) -> dict:
    folder = out / f"{count}-instances-{time.monotonic_ns()}"
    folder.mkdir()
    balanced = Balanced(stack.env, count, workers=max(args.total_workers // count, 1))
    stack.env["MLE_BASE_URL"] = balanced.url
    stack.gunicorn = balanced  # what measure() and locust() read the address and CPU from
    extra = {"MLE_LOAD_BALANCER_CA": ""}
    try:
        balanced.start(folder / "run.log")
        extra["MLE_LOAD_BALANCER_CA"] = str(balanced.certificate)
        # Every worker compiles its templates and fills its caches before anything counts.
        locust(stack, ["Resident", "Editor", "Manager"], args.cost_users, args.warmup,
               folder / "warmup", extra_env=extra)
        haproxy_before = balanced.haproxy_cpu_seconds()
        cost = measure(stack, ["Resident"], args.cost_users, args.cost_seconds,
                       folder / "cost", extra_env=extra)
        cost["haproxy_cpu_ms_per_request"] = round(
            1000 * (balanced.haproxy_cpu_seconds() - haproxy_before) / cost["requests"], 2) \
            if cost["requests"] else None
        steps = []
        for users in args.steps:
            step = measure(stack, ["Resident", "Editor", "Manager"], users, args.step_seconds,
                           folder / f"step{users}", extra_env=extra)
            step["load_average_1min"] = round(os.getloadavg()[0], 1)
            steps.append(step)
            print(f"{count} instance(s), {users} users: {step['rps']:.1f} req/s, p99 "
                  f"{step['99%']:.0f} ms, failures {step['failures']}", flush=True)
            if len([s for s in steps if s["99%"] > P99_LIMIT_MS]) >= 2:
                break
    finally:
        balanced.stop()
    within = [s for s in steps if s["99%"] <= P99_LIMIT_MS and s["failures"] == 0]
    return {
        "instances": count,
        "workers_each": balanced.workers,
        "cost": cost,
        "steps": steps,
        # 0: p99 was over 500 ms already at the first step.
        "capacity_rps": round(max((s["rps"] for s in within), default=0.0), 1),
        "p99_over_500ms_at_users": next((s["users"] for s in steps
                                         if s["99%"] > P99_LIMIT_MS), None),
    }


def run(args) -> dict:
    out = Path(tempfile.mkdtemp(prefix="mle-instances-"))
    results: dict = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "runs": []}
    with Stack("instances", serve=False) as stack:
        for number in range(args.rounds):
            counts = args.counts if number % 2 == 0 else list(reversed(args.counts))
            for count in counts:
                results["runs"].append(one_configuration(stack, count, args, out))
        results["outcomes_recorded"] = int(stack.sql("select count(*) from outcome_record"))
    return results


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def summary(results: dict, counts: list[int]) -> list[dict]:
    rows = []
    for count in counts:
        runs = [r for r in results["runs"] if r["instances"] == count]
        rows.append({
            "instances": count,
            "workers_each": runs[0]["workers_each"],
            "cpu_ms": _median([r["cost"]["cpu_ms_per_request"] for r in runs]),
            "cpu_ms_all": [r["cost"]["cpu_ms_per_request"] for r in runs],
            "haproxy_ms": _median([r["cost"]["haproxy_cpu_ms_per_request"] for r in runs]),
            "failures": sum(r["cost"]["failures"] + sum(s["failures"] for s in r["steps"])
                            for r in runs),
            "capacity": _median([r["capacity_rps"] or 0.0 for r in runs]),
            "capacity_all": [round(r["capacity_rps"] or 0.0, 1) for r in runs],
            "knee": [r["p99_over_500ms_at_users"] for r in runs],
            "rss": round(sum(runs[-1]["steps"][-1]["rss_mb"]) if runs[-1]["steps"] else 0),
        })
    return rows


def report(results: dict, args) -> list[str]:
    rows = summary(results, args.counts)
    lines = [
        f"# Several instances behind HAProxy {results['started']}", "",
        "Command: `.venv/bin/python bench/load/instances.py " + shlex.join(sys.argv[1:]) + "`", "",
        f"Machine: {os.cpu_count()} cores, shared with other work; Locust, HAProxy, every "
        f"instance, PostgreSQL and Redis on the same cores. {args.total_workers} gunicorn "
        "workers in every configuration, shared out between the instances. Rounds: "
        f"{args.rounds} (counts in turn, then in the opposite order); figures are medians over "
        "the rounds.", "",
        "| instances | workers each | journey worker CPU ms/request | HAProxy CPU ms/request "
        "| capacity: req/s with p99 at most 500 ms (0: over at the first step) | p99 passed "
        "500 ms at users | failures | "
        "worker RSS MB, all |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['instances']} | {row['workers_each']} | {row['cpu_ms']} "
            f"({', '.join(str(x) for x in row['cpu_ms_all'])}) | {row['haproxy_ms']} | "
            f"{row['capacity']} ({', '.join(str(x) for x in row['capacity_all'])}) | "
            f"{', '.join(str(k) for k in row['knee'])} | {row['failures']} | {row['rss']} |")
    lines += ["", "## Every step", "",
              "| instances | users | requests | failures | req/s | p50 | p95 | p99 ms | worker "
              "CPU share | machine load (1 min) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for run_ in results["runs"]:
        for step in run_["steps"]:
            lines.append(f"| {run_['instances']} | {step['users']} | {step['requests']} | "
                         f"{step['failures']} | {step['rps']:.1f} | {step['50%']:.0f} | "
                         f"{step['95%']:.0f} | {step['99%']:.0f} | {step['worker_cpu_share']} | "
                         f"{step['load_average_1min']} |")
    lines += ["", f"Outcome records written: {results['outcomes_recorded']}.", "",
              "## Raw figures", "", "```json", json.dumps(results, indent=1), "```", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", default="1,2,3")
    parser.add_argument("--total-workers", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=30, help="seconds of load first")
    parser.add_argument("--cost-users", type=int, default=20)
    parser.add_argument("--cost-seconds", type=int, default=30)
    parser.add_argument("--steps", default="40,80,120,160,200")
    parser.add_argument("--step-seconds", type=int, default=20)
    parser.add_argument("--name", default="instances")
    args = parser.parse_args()
    args.counts = [int(x) for x in args.counts.split(",") if x]
    args.steps = [int(x) for x in args.steps.split(",") if x]
    results = run(args)
    write_results(args.name, report(results, args), shown=8 + len(args.counts))


if __name__ == "__main__":
    main()
