"""CPU time and SQL statements per request, page by page, for whole resident journeys and for
the baseline page, in-process (Flask test client, SQLite), so the pages that cost most stand out.

    .venv/bin/python bench/load/profile_journey.py [--journeys 40] [--seed 1]

The journeys are those of the load test (bench/load/locustfile.py: random fair answers, one or
two topics, feedback for half, local information for some), without think time. CPU is
time.process_time around each request; SQL statements are counted with a SQLAlchemy
before_cursor_execute event. Writes bench/results/profile_journey_<time>.md.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ["MLE_ENV"] = "testing"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_page import TOKEN, prepare  # noqa: E402
from results_file import write_results  # noqa: E402


class Meter:
    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = collections.defaultdict(list)
        self.sql: collections.Counter = collections.Counter()
        self.current = ""

    def statement(self, *_args) -> None:
        self.sql[self.current] += 1

    def __call__(self, name: str, send, *args, **kwargs):
        self.current = name
        started = time.process_time()
        response = send(*args, **kwargs)
        self.cpu[name].append(time.process_time() - started)
        self.current = ""
        if response.status_code not in (200, 302, 303):
            raise AssertionError(f"{name}: {response.status_code}")
        return response


def journey(client, meter: Meter, content, answer_for) -> None:
    modules = list(content.modules)
    html = meter("GET /", lambda: client.get("/")).get_data(as_text=True)
    token = TOKEN.search(html).group(1)
    meter("POST /start", lambda: client.post("/start", data={"csrf_token": token}))
    meter("GET /about-you", lambda: client.get("/about-you"))
    about = {"csrf_token": token, "answering_for": random.choice(["self", "someone_else"]),
             "age_band": random.choice(["50_64", "65_74", "75_84", "85_plus"]),
             "postcode": random.choice(["ML5 2QT", "ML1 1AB", "", "ML6 6AA"])}
    meter("POST /about-you", lambda: client.post("/about-you", data=about))
    meter("GET /topics", lambda: client.get("/topics"))
    topics = random.sample(modules, k=random.randint(1, 2))
    location = meter("POST /topics", lambda: client.post(
        "/topics", data={"csrf_token": token, "topics": topics})).location
    for _ in range(60):
        if location.endswith("/check-answers"):
            break
        module_id, question_id = location.split("?")[0].rstrip("/").split("/")[-2:]
        question = content.module(module_id).question(question_id)
        meter("GET question", client.get, location)
        data = {"csrf_token": token, "answer": answer_for(question)}
        location = meter("POST question", client.post, location, data=data).location
    meter("GET /check-answers", lambda: client.get("/check-answers"))
    meter("POST /check-answers", lambda: client.post("/check-answers",
                                                     data={"csrf_token": token}))
    meter("GET /result", lambda: client.get("/result"))
    if random.random() < 0.5:
        feedback = {"csrf_token": token, "helpful": random.choice(["yes", "partly", "no"]),
                    "next_steps": random.sample(["try_advice", "contact_service"], k=1)}
        meter("POST /result", lambda: client.post("/result", data=feedback))
        meter("GET /result?feedback=thanks", lambda: client.get("/result?feedback=thanks"))
    if random.random() < 0.3:
        meter("GET /local-information/", lambda: client.get("/local-information/"))
        meter("GET /local-information/topic/[need]", lambda: client.get(
            "/local-information/topic/money-advice?where=ML5+2QT"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from baseline_app import create_baseline_app
    from locustfile import CONTENT, answer_for
    from sqlalchemy import event

    from mle.database import db

    database = f"sqlite:///{tempfile.mkdtemp(prefix='mle-profile-')}/mle.db"
    prepare(database)
    app = create_baseline_app({"SQLALCHEMY_DATABASE_URI": database,
                               "RATELIMIT_ENABLED": False})
    meter = Meter()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", meter.statement)
    random.seed(args.seed)
    for _ in range(5):  # warm up: templates compiled, caches filled
        journey(app.test_client(), meter, CONTENT, answer_for)
    baseline = app.test_client()
    for _ in range(20):
        meter("GET /bench/baseline", lambda: baseline.get("/bench/baseline"))
    meter.cpu.clear()
    meter.sql.clear()
    for _ in range(args.journeys):
        journey(app.test_client(), meter, CONTENT, answer_for)
    for _ in range(200):
        meter("GET /bench/baseline", lambda: baseline.get("/bench/baseline"))

    pages = {k: v for k, v in meter.cpu.items() if k != "GET /bench/baseline"}
    total = sum(sum(v) for v in pages.values())
    count = sum(len(v) for v in pages.values())
    base = meter.cpu["GET /bench/baseline"]
    base_ms = 1000 * sum(base) / len(base)
    lines = [f"# Journey CPU and SQL by page, {datetime.now(UTC).isoformat(timespec='seconds')}",
             "", "Command: `.venv/bin/python bench/load/profile_journey.py "
             + " ".join(sys.argv[1:]) + "`", "",
             f"In-process (Flask test client, SQLite), {args.journeys} journeys; CPU ms per "
             "request (time.process_time) and SQL statements per request.", "",
             "| page | requests | CPU ms/request | share of journey CPU | SQL/request |",
             "|---|---|---|---|---|"]
    for name, values in sorted(pages.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"| {name} | {len(values)} | {1000 * sum(values) / len(values):.2f} | "
                     f"{100 * sum(values) / total:.1f}% | {meter.sql[name] / len(values):.1f} |")
    lines.append(f"| GET /bench/baseline | {len(base)} | {base_ms:.2f} | | "
                 f"{meter.sql['GET /bench/baseline'] / len(base):.1f} |")
    journey_ms = 1000 * total / count
    lines += ["", f"Journey: {journey_ms:.2f} CPU ms per request, "
              f"{sum(meter.sql[k] for k in pages) / count:.1f} SQL per request; baseline "
              f"{base_ms:.2f}; in-process ratio {journey_ms / base_ms:.2f} (no HTTP server "
              "here, so higher than under gunicorn).", ""]
    write_results("profile_journey", lines)


if __name__ == "__main__":
    main()
