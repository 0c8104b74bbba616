"""Write a benchmark's Markdown results to bench/results/<name>_<time>.md and show them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"


def write_results(name: str, lines: list[str], shown: int | None = None) -> Path:
    """Write the lines; print the first `shown` of them (all when None) and the path."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    path = RESULTS / f"{name}_{stamp}.md"
    path.write_text("\n".join(lines))
    print("\n".join(lines if shown is None else lines[:shown]))
    print(f"wrote {path}")
    return path
