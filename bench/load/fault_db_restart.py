"""Fault: PostgreSQL stops and starts again in the middle of a load run.

    .venv/bin/python bench/load/fault_db_restart.py [--users 30] [--seconds 100] [--down 8]

Virtual residents replay the journey (bench/load/locustfile.py) while, after a third of the run,
the private PostgreSQL is stopped (fast shutdown: every connection is cut) and started again
--down seconds later. gunicorn is not touched. Meanwhile a probe asks for a resident page that
needs the database five times a second and records what it gets.

Checks, written to bench/results/fault_db_restart_<time>.md:
- during the outage the probe gets the friendly 503 page, never a 500 or a dropped connection;
- after the database is back, the service answers 200 again by itself, with the same gunicorn
  workers (no restart);
- every assessment a virtual resident saw the result of has its outcome record, and the database
  has as many outcome records as completed assessments.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import RESULTS, ROOT, STAFF, STAFF_PASSWORD, VENV_BIN, Stack  # noqa: E402

PROBE_PATH = "/local-information/topic/money-advice"
FRIENDLY_503 = "Sorry, the service is unavailable"


class Probe(threading.Thread):
    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.samples: list[tuple[float, str]] = []
        self.running = True

    def run(self) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = "10.255.0.1"
        while self.running:
            try:
                answer = session.get(self.url + PROBE_PATH, timeout=10)
                kind = str(answer.status_code)
                if answer.status_code == 503 and FRIENDLY_503 not in answer.text:
                    kind = "503-unfriendly"
            except requests.RequestException as error:
                kind = type(error).__name__
            self.samples.append((time.time(), kind))
            time.sleep(0.2)


def outcomes_check(stack: Stack, completed_file: Path) -> dict:
    """For each assessment id a resident saw the result of: is there an outcome record?"""
    script = (
        "import sys\n"
        "from mle import create_app\n"
        "from mle.database import db\n"
        "from mle.models import Assessment, OutcomeRecord\n"
        "from mle.reporting.outcomes import outcome_for\n"
        "ids = [x for x in open(sys.argv[1]).read().split() if x and x != 'None']\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    missing = 0\n"
        "    for i in set(ids):\n"
        "        a = db.session.get(Assessment, i)\n"
        "        if a is None or a.completed_at is None or outcome_for(a) is None:\n"
        "            missing += 1\n"
        "    done = db.session.scalar(db.select(db.func.count()).select_from(Assessment)"
        ".where(Assessment.completed_at.is_not(None)))\n"
        "    records = db.session.scalar(db.select(db.func.count()).select_from(OutcomeRecord))\n"
        "    print(len(ids), len(set(ids)), missing, done, records)\n")
    out = subprocess.run([sys.executable, "-c", script, str(completed_file)], cwd=ROOT,
                         env=stack.env, check=True, capture_output=True, text=True).stdout
    seen, unique, missing, done, records = (int(x) for x in out.split())
    return {"result_pages_seen": seen, "assessments_seen_complete": unique,
            "without_outcome_record": missing, "completed_in_db": done,
            "outcome_records_in_db": records}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=100)
    parser.add_argument("--down", type=float, default=8.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mle-fault-"))
    completed = work / "completed.txt"
    completed.touch()
    with Stack("fault", pg_port=25433, redis_db=10) as stack:
        workers_before = sorted(p.pid for p in stack.gunicorn.worker_processes())
        probe = Probe(stack.gunicorn.url)
        probe.start()
        env = {**stack.env, "MLE_LOAD_COMPLETED": str(completed),
               "MLE_LOAD_THINK_MIN": "0.5", "MLE_LOAD_THINK_MAX": "1.5",
               "MLE_LOAD_STAFF_PASSWORD": STAFF_PASSWORD, "MLE_LOAD_EDITOR": STAFF["editor"],
               "MLE_LOAD_MANAGER": STAFF["manager"]}
        load = subprocess.Popen(
            [str(VENV_BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile.py"),
             "--headless", "--host", stack.gunicorn.url, "--users", str(args.users),
             "--spawn-rate", "10", "--run-time", f"{args.seconds}s", "--csv",
             str(work / "fault"), "--only-summary", "--loglevel", "WARNING", "Resident"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(args.seconds / 3)
        down_at = time.time()
        stack.pg.stop("fast")
        time.sleep(args.down)
        stack.pg.start()
        up_at = time.time()
        load.wait()
        probe.running = False
        probe.join()
        workers_after = sorted(p.pid for p in stack.gunicorn.worker_processes())
        outcomes = outcomes_check(stack, completed)
    results = summarise(probe.samples, down_at, up_at, workers_before, workers_after, outcomes,
                        work / "fault_stats.csv", args)
    path = write(results)
    print(json.dumps(results, indent=1))
    print(f"wrote {path}")


def summarise(samples, down_at, up_at, workers_before, workers_after, outcomes, stats_csv,
              args) -> dict:
    import csv

    before = Counter(k for t, k in samples if t < down_at)
    during = Counter(k for t, k in samples if down_at <= t < up_at)
    after = [(t, k) for t, k in samples if t >= up_at]
    first_ok = next((t for t, k in after if k == "200"), None)
    settled = Counter(k for t, k in after if first_ok and t >= first_ok)
    with open(stats_csv) as file:
        total = next(r for r in csv.DictReader(file) if r["Name"] == "Aggregated")
    # Locust's failures by what the resident got: 503 is the friendly page, anything else not.
    failures_by_status: Counter = Counter()
    with open(str(stats_csv).replace("_stats.csv", "_failures.csv")) as file:
        for row in csv.DictReader(file):
            status = row["Error"].rsplit(": ", 1)[-1].strip("')\"")
            failures_by_status[status] += int(row["Occurrences"])
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "bench/load/fault_db_restart.py " + " ".join(sys.argv[1:]),
        "users": args.users, "seconds": args.seconds, "database_down_seconds": args.down,
        "probe_before": dict(before), "probe_during_outage": dict(during),
        "probe_after_restart_until_first_200": dict(Counter(
            k for t, k in after if first_ok is None or t < first_ok)),
        "probe_after_first_200": dict(settled),
        "seconds_from_database_up_to_first_200": round(first_ok - up_at, 2) if first_ok
        else None,
        "gunicorn_workers_unchanged": workers_before == workers_after,
        "locust_requests": int(total["Request Count"]),
        "locust_failures": int(total["Failure Count"]),
        "locust_failures_by_status": dict(failures_by_status),
        **outcomes,
    }


def write(results: dict) -> Path:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    path = RESULTS / f"fault_db_restart_{stamp}.md"
    bad = sum(v for k, v in {**results["probe_during_outage"],
                             **results["probe_after_restart_until_first_200"]}.items()
              if k not in ("200", "503"))
    verdicts = [
        ("probe: friendly 503 page (never a 500 or a dropped connection) while the database "
         "was down", bad == 0 and results["probe_during_outage"].get("503", 0) > 0),
        ("virtual residents: every failed request was the friendly 503 (none a 500)",
         set(results["locust_failures_by_status"]) <= {"503"}),
        ("recovered without restarting gunicorn",
         results["gunicorn_workers_unchanged"] and results["seconds_from_database_up_to_first_200"]
         is not None and set(results["probe_after_first_200"]) == {"200"}),
        ("every assessment seen complete has its outcome record",
         results["without_outcome_record"] == 0),
        ("outcome records = completed assessments in the database",
         results["outcome_records_in_db"] == results["completed_in_db"]),
    ]
    lines = [f"# Fault: PostgreSQL restart under load, {results['when']}", "",
             f"Command: `.venv/bin/python {results['command']}`", "",
             "| check | result |", "|---|---|"]
    lines += [f"| {label} | {'yes' if ok else 'NO'} |" for label, ok in verdicts]
    lines += ["", "```json", json.dumps(results, indent=1), "```", ""]
    path.write_text("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
