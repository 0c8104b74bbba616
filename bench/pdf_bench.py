"""What a kept result costs the server: the PDF (WeasyPrint) beside the results page and the
print page, for the same completed assessment, in English and in Urdu (right to left).

Reports medians over several repetitions and ratios measured side by side in one run.

    .venv/bin/python bench/pdf_bench.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ["MLE_ENV"] = "testing"

from rules_bench import (  # noqa: E402
    ANSWERS,
    _commit,
    completed_client,
    median_seconds,
    prepare_app,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    from mle.extensions import limiter

    with tempfile.TemporaryDirectory() as folder:
        app = prepare_app(Path(folder) / "bench.db")
        limiter.enabled = False  # the PDF's rate limit would stop the repetitions
        content = app.extensions["mle_site"].content
        for module_id in ("carer", "memory"):
            ANSWERS[module_id] = dict(content.module(module_id).tests[0].answers)
        client = completed_client(app)
        html = client.get("/result").get_data(as_text=True)
        pdf_url = re.search(r'href="(/result/[0-9a-f]{16}/pdf)"', html).group(1)
        sizes = {}

        def pdf(lang: str, large: bool = False):
            client.get(f"/?lang={lang}")
            response = client.get(pdf_url + ("?size=large" if large else ""))
            assert response.mimetype == "application/pdf"
            sizes[(lang, large)] = len(response.data)

        for _ in range(3):  # warm fonts, templates and caches
            client.get("/result")
            pdf("en")
        timings = {
            "results page": median_seconds(lambda: client.get("/result"), args.repeat * 4),
            "print page": median_seconds(lambda: client.get("/result/print"), args.repeat * 4),
            "PDF, English": median_seconds(lambda: pdf("en"), args.repeat),
            "PDF, English, large print": median_seconds(lambda: pdf("en", True), args.repeat),
            "PDF, Urdu": median_seconds(lambda: pdf("ur"), args.repeat),
        }

    page = timings["results page"]
    lines = [
        f"# PDF benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Command: `.venv/bin/python bench/pdf_bench.py --repeat {args.repeat}`",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        f"- Commit: {_commit()}",
        "- Assessment: bathing, carer and memory answered (as bench/rules_bench.py)",
        "",
        "| measurement | median | / results page |",
        "|---|---|---|",
        *(f"| {name} | {seconds * 1e3:.1f} ms | {seconds / page:.1f}x |"
          for name, seconds in timings.items()),
        "",
        "| PDF | size |",
        "|---|---|",
        *(f"| {lang}{', large print' if large else ''} | {size / 1024:.0f} KiB |"
          for (lang, large), size in sizes.items()),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"pdf_bench_{datetime.datetime.now(datetime.UTC):%Y-%m-%dT%H%M}.md"
    target.write_text(report)
    print(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
