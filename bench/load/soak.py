"""Soak: a steady load for ten minutes, below the p99 knee; zero failures, and worker memory
that does not grow.

    .venv/bin/python bench/load/soak.py [--users 20] [--warmup 600] [--seconds 600]

Residents, editors and managers (18:1:1) as in run.py, at one steady load for --warmup and then
--seconds more; failures count over the whole run. The resident set size of every gunicorn
worker is sampled every 10 s. Memory is judged over the measured window after the warm-up, when
each worker has met every page and filled its caches: the least-squares slope of all workers
together, and each worker's own change. The target, fixed before the runs: a slope of at most
MEMORY_FLAT_MB_PER_MIN for all workers together. Writes bench/results/soak_<time>.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
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


# At most 0.5 MB a minute for all workers together: under 0.1 MB a minute each, which, if it
# never levelled off, would still be under 150 MB a worker a day.
MEMORY_FLAT_MB_PER_MIN = 0.5

# A reports page slower than this is a worker protecting the year again (bench/report_memory.py).
SLOW_REPORTS_SECONDS = 0.5
REPORTS_LINE = re.compile(r'\[(?P<at>[^\]]+)\] pid=<?(?P<pid>\d+)>? "GET /staff/reports/\S* [^"]*" '
                          r'\d+ \S+ (?P<seconds>[\d.]+)s')


def slow_reports(log: Path, started: float) -> dict[int, list[int]]:
    """Seconds into the run of each reports page over SLOW_REPORTS_SECONDS, by worker pid, to set
    beside each worker's memory (the access log's format is stack.ACCESS_LOG_FORMAT)."""
    found: dict[int, list[int]] = defaultdict(list)
    for line in log.read_text(errors="replace").splitlines():
        match = REPORTS_LINE.search(line)
        if match and float(match["seconds"]) > SLOW_REPORTS_SECONDS:
            at = datetime.strptime(match["at"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            found[int(match["pid"])].append(round(at - started))
    return dict(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=600,
                        help="seconds of the same load before the measured window")
    parser.add_argument("--seconds", type=int, default=600,
                        help="seconds of the measured window")
    parser.add_argument("--prefill", type=int, default=0,
                        help="outcome records of the year so far to start from "
                             "(bench/load/prefill_outcomes.py)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mle-soak-"))
    samples: list[dict] = []
    with Stack("soak", pg_port=25434, redis_db=11, prefill_outcomes=args.prefill) as stack:
        env = {**stack.env, "MLE_LOAD_STAFF_PASSWORD": STAFF_PASSWORD,
               "MLE_LOAD_EDITOR": STAFF["editor"], "MLE_LOAD_MANAGER": STAFF["manager"]}
        load = subprocess.Popen(
            [str(VENV_BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile.py"),
             "--headless", "--host", stack.gunicorn.url, "--users", str(args.users),
             "--spawn-rate", "5", "--run-time", f"{args.warmup + args.seconds}s", "--csv",
             str(work / "soak"), "--only-summary", "--loglevel", "WARNING", "Resident",
             "Editor", "Manager"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.time()
        workers = sorted(p.pid for p in stack.gunicorn.worker_processes())
        while load.poll() is None:
            rss = stack.gunicorn.rss_by_worker()
            samples.append({"t": round(time.time() - started, 1),
                            "total_mb": round(sum(rss.values()), 1),
                            "per_worker_mb": {pid: round(mb, 1) for pid, mb in rss.items()}})
            time.sleep(10)
        same_workers = workers == sorted(p.pid for p in stack.gunicorn.worker_processes())
        completed = int(stack.sql("select count(*) from assessment where completed_at is not null"))
        records = int(stack.sql(
            "select count(*) from outcome_record where assessment_ref not like 'prefill-%'"))
        slow = slow_reports(stack.work / "gunicorn.log", started)
    with open(work / "soak_stats.csv") as file:
        total = next(r for r in csv.DictReader(file) if r["Name"] == "Aggregated")
    shutil.rmtree(work, ignore_errors=True)
    window = [s for s in samples if s["t"] >= args.warmup]
    totals = [s["total_mb"] for s in samples]
    window_slope = (round(60 * slope([(s["t"], s["total_mb"]) for s in window]), 3)
                    if len(window) > 2 else None)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users, "prefill": args.prefill, "warmup": args.warmup,
        "seconds": args.seconds,
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        **{p: float(total[p]) for p in ("50%", "90%", "95%", "99%")},
        "workers": len(workers), "same_workers_throughout": same_workers,
        "rss_total_mb_start": totals[0], "rss_total_mb_end": totals[-1],
        "rss_total_mb_max": max(totals),
        "rss_total_mb_window_start": window[0]["total_mb"] if window else None,
        "rss_slope_window_mb_per_min": window_slope,
        "memory_flat": window_slope is not None and window_slope <= MEMORY_FLAT_MB_PER_MIN,
        "worker_change_in_window_mb": {
            pid: round(window[-1]["per_worker_mb"][pid] - window[0]["per_worker_mb"][pid], 1)
            for pid in workers
            if window and pid in window[0]["per_worker_mb"] and pid in window[-1]["per_worker_mb"]},
        "assessments_completed": completed, "outcome_records": records,
        "slow_reports": slow, "samples": samples,
    }
    path = write(result)
    print(json.dumps({k: v for k, v in result.items() if k not in ("samples", "slow_reports")},
                     indent=1))
    print(f"wrote {path}")


def write(r: dict) -> Path:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    path = RESULTS / f"soak_{stamp}.md"
    pids = sorted(r["samples"][0]["per_worker_mb"]) if r["samples"] else []
    lines = [
        f"# Soak {r['when']}", "",
        "Command: `.venv/bin/python bench/load/soak.py " + " ".join(sys.argv[1:]) + "`", "",
        f"{r['users']} users (residents, editors, managers 18:1:1), {r['workers']} gunicorn "
        f"workers: {r['warmup']} s of warm-up, then the measured {r['seconds']} s at the same "
        f"load. The database started with {r['prefill']} outcome records of the year so far "
        "(bench/load/prefill_outcomes.py).", "",
        "| figure | value |", "|---|---|",
        f"| requests (whole run) | {r['requests']} |",
        f"| failures (whole run) | {r['failures']} |",
        f"| requests per second | {r['rps']:.1f} |",
        f"| p50 / p90 / p95 / p99 ms | {r['50%']:.0f} / {r['90%']:.0f} / {r['95%']:.0f} / "
        f"{r['99%']:.0f} |",
        f"| worker RSS total, start / end of warm-up / end / max MB | {r['rss_total_mb_start']} "
        f"/ {r['rss_total_mb_window_start']} / {r['rss_total_mb_end']} / "
        f"{r['rss_total_mb_max']} |",
        f"| RSS slope over the measured window, MB per minute (all workers) | "
        f"{r['rss_slope_window_mb_per_min']} |",
        f"| each worker's change over the measured window, MB | "
        f"{', '.join(f'{mb:+.1f}' for mb in r['worker_change_in_window_mb'].values())} |",
        f"| memory flat (slope at most {MEMORY_FLAT_MB_PER_MIN} MB per minute) | "
        f"{'yes' if r['memory_flat'] else 'no'} |",
        f"| same worker processes throughout | {r['same_workers_throughout']} |",
        f"| assessments completed / outcome records | {r['assessments_completed']} / "
        f"{r['outcome_records']} |",
        "", f"## Reports pages over {SLOW_REPORTS_SECONDS} s (a worker protecting the year "
        "again): seconds into the run", "",
        *[f"- worker {n + 1}: "
          + (", ".join(map(str, r["slow_reports"].get(pid, []))) or "none")
          for n, pid in enumerate(pids)],
        "", "## RSS samples (every 10 s)", "",
        "| s | total MB | " + " | ".join(f"worker {n + 1} MB" for n in range(len(pids))) + " |",
        "|---|---|" + "---|" * len(pids),
        *[f"| {s['t']} | {s['total_mb']} | "
          + " | ".join(str(s["per_worker_mb"].get(pid, "")) for pid in pids) + " |"
          for s in r["samples"]], ""]
    path.write_text("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
