"""How much of the reports suppression hides, on a realistic financial year, before and after
monthly releases (docs/reporting.md, "Small numbers").

    .venv/bin/python bench/report_disclosure.py [--records 850] [--seed 1]

In a SQLite database of its own (a temporary file): migrations, the seed directory, and
--records outcome records over FY2025 (April 2025 to March 2026), drawn with the skew a
partnership's service sees (most people 65 and over, a few modules used far more than the
rest, about one in five making a referral, localities by population; values from the real
content and directory). Then:

- before: the live protection (protected_year.py): each of the year's 17 periods protected on
  its own, then every period hiding the union of what any of them hides;
- after: the releases (release_build.py), each month released once after it ends, a quarter
  with its last month and the year with March, each protected with the periods already
  released inside it, rounding to base 5 where a breakdown would be mostly hidden.

For each kind of period: the share of non-zero figures hidden ("c"), and after, the share
rounded to base 5. Writes bench/results/report_disclosure_<time>.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from results_file import write_results  # noqa: E402

FINANCIAL_YEAR = "FY2025"
# People using a self-assessment for daily living are mostly older: a skew, not a census.
AGE_WEIGHTS = {"18_24": 1, "25_49": 5, "50_64": 12, "65_74": 25, "75_84": 32, "85_plus": 20,
               None: 5}
CHANNEL_WEIGHTS = {"self": 60, "on_behalf": 25, "assisted": 15}
LEVEL_WEIGHTS = {"advice": 40, "equipment": 25, "signposting": 20, "referral": 12, "urgent": 3}
STATUS_WEIGHTS = {"new": 10, "accepted": 30, "in_progress": 20, "closed": 30, "declined": 10}


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(app, count: int, seed: int) -> int:
    from sqlalchemy import select

    from mle.database import db
    from mle.models import DirectoryView, OutcomeModule, OutcomeRecord, Service
    from mle.reporting.periods import parse_period
    from mle.reporting.rollups import rebuild
    from mle.site import site

    rng = random.Random(seed)
    with app.app_context():
        content, area = site().content, site().area
        localities = list(area.localities)
        # Larger localities first in area.yaml order get more people; some give no postcode.
        locality_weights = {loc: 10 + 3 * (len(localities) - i) for i, loc in
                            enumerate(localities)} | {None: 6}
        modules = list(content.modules)
        # A few modules are used far more than the rest (a Zipf-like tail).
        module_weights = {m: 1 / (i + 1) for i, m in enumerate(modules)}
        equipment = list(content.equipment)
        needs = list(area.needs)
        services = list(db.session.scalars(select(Service.id).where(
            Service.status == "active").order_by(Service.id)))
        months = parse_period(FINANCIAL_YEAR).months
        for serial in range(count):
            used = sorted({_weighted(rng, module_weights)
                           for _ in range(rng.choice((1, 1, 2, 3)))})
            levels = {m: _weighted(rng, LEVEL_WEIGHTS) for m in used}
            referral = any(v in ("referral", "urgent") for v in levels.values()) or \
                rng.random() < 0.08
            status = _weighted(rng, STATUS_WEIGHTS) if referral else None
            suggested = rng.sample(equipment, rng.choice((0, 0, 1, 2))) \
                if "equipment" in levels.values() else []
            helpful = rng.choice((None, None, "yes", "yes", "partly", "no"))
            db.session.add(OutcomeRecord(
                assessment_ref=f"bench-{serial}", period=rng.choice(months),
                channel=_weighted(rng, CHANNEL_WEIGHTS),
                locality=_weighted(rng, locality_weights),
                simd_quintile=rng.choice((1, 1, 2, 2, 3, 4, 5, None)),
                age_band=_weighted(rng, AGE_WEIGHTS), answering_for="self",
                content_version=content.version, rule_ids=[],
                services=rng.sample(services, rng.choice((0, 1, 2, 3))) if services else [],
                equipment=sorted(suggested),
                equipment_requested=suggested[:1] if suggested and rng.random() < 0.3 else [],
                unmet_needs=rng.sample(needs, 1) if rng.random() < 0.15 else [],
                urgent="urgent" in levels.values(), referral_offered=referral,
                referral_made=referral, referral_status=status,
                referral_accepted=status in ("accepted", "in_progress", "closed"),
                first_action_days=rng.choice((0, 1, 2, 3, 5, 8, 13)) if status not in
                (None, "new") else None,
                feedback_helpful=helpful,
                feedback_next=[rng.choice(("try_advice", "contact_service", "not_sure"))]
                if helpful else None,
                modules=[OutcomeModule(module=m, level=v) for m, v in levels.items()]))
        for month in months:
            for need in needs:
                db.session.add(DirectoryView(kind="topic", key=need, period=month,
                                             views=rng.randint(0, 40)))
            db.session.add(DirectoryView(kind="service", key="any", period=month,
                                         views=rng.randint(100, 400)))
        db.session.commit()
        return rebuild()


def before(app) -> dict[str, list[tuple[int, int, int]]]:
    from mle.reporting.area_reports import _groups, national_outcomes
    from mle.reporting.protected_year import build_year
    from mle.site import site

    with app.test_request_context():
        year = build_year(FINANCIAL_YEAR, tuple(site().area.localities), _groups(),
                          national_outcomes())
    shares: dict[str, list] = {"month": [], "quarter": [], "year": []}
    for code, pub in year.items():
        kind = "year" if code.startswith("FY") else "quarter" if "Q" in code else "month"
        nonzero = [k for k in pub.values if pub.values[k]]
        shares[kind].append((len(nonzero), sum(1 for k in nonzero if k in pub.hidden), 0))
    return shares


def after(app) -> tuple[dict[str, list[tuple[int, int, int]]], float]:
    from sqlalchemy import select

    from mle.database import db
    from mle.models import ReleasedPeriod
    from mle.reporting.area_reports import _groups, national_outcomes
    from mle.reporting.releases import release_due
    from mle.reporting.suppression import HIDDEN
    from mle.site import site

    with app.test_request_context():
        started = time.perf_counter()
        release_due(tuple(site().area.localities), _groups(), national_outcomes(),
                    today=date(2026, 4, 5))
        seconds = time.perf_counter() - started
        shares: dict[str, list] = {"month": [], "quarter": [], "year": []}
        for row in db.session.scalars(select(ReleasedPeriod)):
            kind = row.extra.get("kind", "month")
            nonzero = [c for c in row.cells if c[1]]
            shares[kind].append((len(nonzero), sum(1 for c in nonzero if c[2] == HIDDEN),
                                 sum(1 for c in nonzero if not c[3] and c[2] != HIDDEN)))
    return shares, seconds


def _row(label: str, kind: str, shares: list[tuple[int, int, int]], rounded: bool) -> str:
    figures = sum(s[0] for s in shares)
    hidden = sum(s[1] for s in shares)
    share = [s[1] / s[0] for s in shares if s[0]]
    text = (f"| {label} | {kind} ({len(shares)}) | {figures} | {hidden / figures:.1%} | "
            f"{mean(share):.1%} |") if figures else f"| {label} | {kind} | 0 | - | - |"
    if rounded:
        text += f" {sum(s[2] for s in shares) / figures:.1%} |" if figures else " - |"
    else:
        text += " - |"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=850)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/disclosure.db"
        os.environ.update(DATABASE_URL=url, MLE_ENV="development")
        from flask_migrate import upgrade

        from mle import create_app
        from mle.directory.seed import load_seed_services

        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            load_seed_services(ROOT / "directory" / "seed" / "services.yaml")
        records = generate(app, args.records, args.seed)
        old = before(app)
        new, seconds = after(app)
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    lines = [
        f"# Share of non-zero report figures hidden, {FINANCIAL_YEAR}", "",
        f"Command: `.venv/bin/python bench/report_disclosure.py --records {args.records} "
        f"--seed {args.seed}`; code at {revision}; SQLite; Python {sys.version.split()[0]}; "
        f"{platform.machine()}.", "",
        f"{records} outcome records over the 12 months of {FINANCIAL_YEAR}. Hidden: shown as "
        "c (before: \"<5\"). Rounded: shown rounded to base 5.", "",
        "| | periods | non-zero figures | hidden, all figures | hidden, mean of periods | "
        "rounded |",
        "|---|---|---|---|---|---|",
    ]
    for kind in ("year", "quarter", "month"):
        lines.append(_row("before (live, year-wide union)", kind, old[kind], False))
        lines.append(_row("after (releases)", kind, new[kind], True))
    lines += ["", "Before, a month published every breakdown; after, a month publishes only "
              "area-wide figures (the five measures and the modules used).", "",
              f"Releasing the whole year (12 months, 4 quarters, the year): {seconds:.1f} s.",
              ""]
    write_results("report_disclosure", lines)


if __name__ == "__main__":
    main()
