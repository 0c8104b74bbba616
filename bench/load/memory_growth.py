"""Where a worker's memory goes under the soak's mix, in one process, so growth in the soak can be
told apart: Python objects that pile up (a leak), or the allocator holding pages it has used.

    .venv/bin/python bench/load/memory_growth.py [--rounds 300] [--every 25] [--without-reports]

Each round is what the soak's users do, without think time: one resident journey
(bench/load/profile_journey.py, the load test's random fair answers) and one pass over the
editor's and the manager's pages (bench/load/locustfile.py). After five rounds of warm-up it
samples, every --every rounds: the resident set size, the blocks Python has allocated
(sys.getallocatedblocks, after a full garbage collection) and the number of objects the
collector tracks. Reports the least-squares slope of each per 100 rounds over the second half.
--without-reports leaves out the manager's reports page, to see its share.
Flask test client on SQLite; writes bench/results/memory_growth_<time>.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psutil

os.environ["MLE_ENV"] = "testing"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_journey import journey  # noqa: E402
from profile_page import TOKEN, prepare  # noqa: E402
from results_file import write_results  # noqa: E402
from soak import slope  # noqa: E402

STAFF_EMAIL = "memory-staff@example.org"
STAFF_PASSWORD = "memory growth staff password"  # noqa: S105 (a throwaway local database)


class Checked:
    """The journey's meter: here it only checks each response."""

    def __call__(self, name: str, send, *args, **kwargs):
        response = send(*args, **kwargs)
        if response.status_code not in (200, 302, 303):
            raise AssertionError(f"{name}: {response.status_code}")
        return response


def signed_in_staff(app):
    from mle.accounts import service
    from mle.database import db
    from mle.security.passwords import hash_password

    with app.app_context():
        user = service.create_user(STAFF_EMAIL, "Memory staff", ["editor", "manager"], None)
        user.password_hash = hash_password(STAFF_PASSWORD)
        db.session.commit()
    client = app.test_client()
    token = TOKEN.search(client.get("/staff/sign-in").get_data(as_text=True)).group(1)
    signed_in = client.post("/staff/sign-in", data={"csrf_token": token, "email": STAFF_EMAIL,
                                                    "password": STAFF_PASSWORD})
    if signed_in.status_code not in (302, 303):
        raise SystemExit(f"staff sign-in failed: {signed_in.status_code}")
    return client


def sample(process: psutil.Process, rounds: int) -> dict:
    gc.collect()
    return {"rounds": rounds, "rss_mb": round(process.memory_info().rss / 2**20, 1),
            "blocks": sys.getallocatedblocks(), "objects": len(gc.get_objects())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--without-reports", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from locustfile import CONTENT, Editor, Manager, answer_for

    from mle import create_app

    database = f"sqlite:///{tempfile.mkdtemp(prefix='mle-memory-')}/mle.db"
    prepare(database)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False})
    staff = signed_in_staff(app)
    pages = [page for page in dict.fromkeys(Editor.pages + Manager.pages)
             if not (args.without_reports and page.startswith("/staff/reports"))]
    random.seed(args.seed)
    check = Checked()

    def one_round() -> None:
        journey(app.test_client(), check, CONTENT, answer_for)
        for page in pages:
            check(page, staff.get, page)

    for _ in range(5):
        one_round()
    process = psutil.Process()
    samples = [sample(process, 0)]
    for done in range(1, args.rounds + 1):
        one_round()
        if done % args.every == 0:
            samples.append(sample(process, done))
            print(samples[-1], flush=True)

    half = [s for s in samples if s["rounds"] >= args.rounds / 2]
    per_100 = {key: 100 * slope([(s["rounds"], s[key]) for s in half])
               for key in ("rss_mb", "blocks", "objects")}
    lines = [f"# Memory growth in one process, {datetime.now(UTC).isoformat(timespec='seconds')}",
             "", "Command: `.venv/bin/python bench/load/memory_growth.py "
             + " ".join(sys.argv[1:]) + "`", "",
             f"{args.rounds} rounds after 5 of warm-up; each round one resident journey and the "
             f"staff pages {', '.join(pages)}. Flask test client, SQLite.", "",
             "| over the second half, per 100 rounds | slope |", "|---|---|",
             f"| resident set size | {per_100['rss_mb']:+.2f} MB |",
             f"| Python's allocated blocks | {per_100['blocks']:+.0f} |",
             f"| objects the garbage collector tracks | {per_100['objects']:+.0f} |", "",
             "| rounds | RSS MB | allocated blocks | tracked objects |", "|---|---|---|---|",
             *[f"| {s['rounds']} | {s['rss_mb']} | {s['blocks']} | {s['objects']} |"
               for s in samples], ""]
    suffix = "_without_reports" if args.without_reports else ""
    write_results(f"memory_growth{suffix}", lines, shown=12)


if __name__ == "__main__":
    main()
