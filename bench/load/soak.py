"""Soak: a steady load for ten minutes, below the p99 knee; zero failures, and worker memory
that does not grow.

    .venv/bin/python bench/load/soak.py [--users 20] [--seconds 600]

Residents, editors and managers (18:1:1) as in run.py. The resident set size of every gunicorn
worker is sampled every 10 s; the result reports start, end and maximum, and the slope over the
second half (a least-squares line, MB per minute), once the workers have warmed up.
Writes bench/results/soak_<time>.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import RESULTS, STAFF, STAFF_PASSWORD, VENV_BIN, Stack  # noqa: E402


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope, y per x."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=600)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mle-soak-"))
    samples: list[dict] = []
    with Stack("soak", pg_port=25434, redis_db=11) as stack:
        env = {**stack.env, "MLE_LOAD_STAFF_PASSWORD": STAFF_PASSWORD,
               "MLE_LOAD_EDITOR": STAFF["editor"], "MLE_LOAD_MANAGER": STAFF["manager"]}
        load = subprocess.Popen(
            [str(VENV_BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile.py"),
             "--headless", "--host", stack.gunicorn.url, "--users", str(args.users),
             "--spawn-rate", "5", "--run-time", f"{args.seconds}s", "--csv",
             str(work / "soak"), "--only-summary", "--loglevel", "WARNING", "Resident",
             "Editor", "Manager"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.time()
        workers = sorted(p.pid for p in stack.gunicorn.worker_processes())
        while load.poll() is None:
            rss = stack.gunicorn.rss_mb()
            samples.append({"t": round(time.time() - started, 1), "total_mb": round(sum(rss), 1),
                            "per_worker_mb": [round(x, 1) for x in rss]})
            time.sleep(10)
        same_workers = workers == sorted(p.pid for p in stack.gunicorn.worker_processes())
        completed = int(stack.sql("select count(*) from assessment where completed_at is not null"))
        records = int(stack.sql("select count(*) from outcome_record"))
    with open(work / "soak_stats.csv") as file:
        total = next(r for r in csv.DictReader(file) if r["Name"] == "Aggregated")
    half = [s for s in samples if s["t"] >= args.seconds / 2]
    totals = [s["total_mb"] for s in samples]
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users, "seconds": args.seconds,
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        **{p: float(total[p]) for p in ("50%", "90%", "95%", "99%")},
        "workers": len(workers), "same_workers_throughout": same_workers,
        "rss_total_mb_start": totals[0], "rss_total_mb_end": totals[-1],
        "rss_total_mb_max": max(totals),
        "rss_slope_second_half_mb_per_min": round(
            60 * slope([(s["t"], s["total_mb"]) for s in half]), 3) if len(half) > 2 else None,
        "assessments_completed": completed, "outcome_records": records,
        "samples": samples,
    }
    path = write(result)
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    print(f"wrote {path}")


def write(r: dict) -> Path:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    path = RESULTS / f"soak_{stamp}.md"
    lines = [
        f"# Soak {r['when']}", "",
        "Command: `.venv/bin/python bench/load/soak.py " + " ".join(sys.argv[1:]) + "`", "",
        f"{r['users']} users for {r['seconds']} s (residents, editors, managers 18:1:1), "
        f"{r['workers']} gunicorn workers.", "",
        "| figure | value |", "|---|---|",
        f"| requests | {r['requests']} |", f"| failures | {r['failures']} |",
        f"| requests per second | {r['rps']:.1f} |",
        f"| p50 / p90 / p95 / p99 ms | {r['50%']:.0f} / {r['90%']:.0f} / {r['95%']:.0f} / "
        f"{r['99%']:.0f} |",
        f"| worker RSS total, start / end / max MB | {r['rss_total_mb_start']} / "
        f"{r['rss_total_mb_end']} / {r['rss_total_mb_max']} |",
        f"| RSS slope over the second half, MB per minute (all workers) | "
        f"{r['rss_slope_second_half_mb_per_min']} |",
        f"| same worker processes throughout | {r['same_workers_throughout']} |",
        f"| assessments completed / outcome records | {r['assessments_completed']} / "
        f"{r['outcome_records']} |",
        "", "## RSS samples (every 10 s)", "", "| s | total MB | per worker MB |",
        "|---|---|---|",
        *[f"| {s['t']} | {s['total_mb']} | {s['per_worker_mb']} |" for s in r["samples"]], ""]
    path.write_text("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
