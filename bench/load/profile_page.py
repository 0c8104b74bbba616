"""CPU time of one question page and of the start page, in-process, with and without the
template improvements, side by side in one run (so the machine's other work affects both
alike). Optionally a pyinstrument profile of the question page.

    .venv/bin/python bench/load/profile_page.py [--repeat 300] [--profile]

"stock" is Jinja's own Template class and every field and button rendered on every request;
"now" is the service as it is (FastImportTemplate, and choice fields and buttons reused).
Median of five rounds, CPU ms per request (time.process_time). Writes
bench/results/profile_page_<time>.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ["MLE_ENV"] = "testing"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results_file import write_results  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(stock: bool, database: str):
    import jinja2

    import mle.web.public.journey_views as views
    from mle import create_app
    from mle.web.public.question_params import answer_field

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False})
    views.answer_field = answer_field
    if stock:
        app.jinja_env.template_class = jinja2.Template
        views.answer_field = lambda question, form, params: form.answer(params=params)
        app.jinja_env.globals["reusable_field"] = (
            lambda field, params=None: field(**({} if params is None else {"params": params})))
    return app


def prepare(database: str) -> None:
    from flask_migrate import upgrade

    from mle import create_app
    from mle.directory.geography import load_postcodes
    from mle.directory.seed import load_seed_services
    from mle.site import site

    app = create_app({"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        upgrade()
        load_postcodes(site().area)
        load_seed_services(ROOT / "directory" / "seed" / "services.yaml")


def client_on_question(app):
    client = app.test_client()
    token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
    client.post("/start", data={"csrf_token": token})
    client.post("/about-you", data={"csrf_token": token, "answering_for": "self",
                                    "age_band": "65_74"})
    location = client.post("/topics", data={"csrf_token": token,
                                            "topics": ["bathing"]}).location
    return client, location


def cpu_ms(client, path: str, repeat: int) -> float:
    for _ in range(20):
        client.get(path)
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(repeat // 5):
            assert client.get(path).status_code == 200
        rounds.append(1000 * (time.process_time() - started) / (repeat // 5))
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    database = f"sqlite:///{tempfile.mkdtemp(prefix='mle-profile-')}/mle.db"
    prepare(database)
    rows = {}
    for label, stock in (("stock", True), ("now", False)):
        app = make_app(stock, database)
        client, question = client_on_question(app)
        rows[label] = (cpu_ms(client, question, args.repeat), cpu_ms(client, "/", args.repeat))
    lines = [f"# Page CPU time, {datetime.now(UTC).isoformat(timespec='seconds')}", "",
             "Command: `.venv/bin/python bench/load/profile_page.py "
             + " ".join(sys.argv[1:]) + "`", "",
             "In-process (Flask test client, SQLite), CPU ms per request, median of 5 rounds.",
             "", "| templates | question page | start page |", "|---|---|---|"]
    lines += [f"| {label} | {q:.2f} | {s:.2f} |" for label, (q, s) in rows.items()]
    lines.append("")
    if args.profile:
        from pyinstrument import Profiler

        client, question = client_on_question(make_app(False, database))
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(100):
            client.get(question)
        profiler.stop()
        lines += ["## Profile of the question page (now)", "", "```",
                  profiler.output_text(unicode=False, color=False), "```", ""]
    write_results("profile_page", lines, shown=12)


if __name__ == "__main__":
    main()
