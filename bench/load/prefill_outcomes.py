"""Give a load-test database the outcome records of a financial year under way, as a service in
use has, before the load starts.

    DATABASE_URL=... MLE_ENV=... .venv/bin/python bench/load/prefill_outcomes.py COUNT

(bench/load/soak.py runs it with the stack's environment when given --prefill.)

The records are spread over the months of the current financial year up to this one. Their
values are drawn from the real content and directory, so that between them they hold every
value a report can show: every locality (and none), SIMD quintile, age band and channel; every
module at every level; every equipment item suggested and requested; every published service
shown; every need of the area without a local service; every referral status, first-action band
and feedback answer; views of every topic page. The rollups are then rebuilt from the records
(as `flask mle rollup` does), so the reports start from the year's whole set of figures and a
soak measures the service's own memory, not a report that is still meeting new kinds of figure.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

AGE_BANDS = ("18_24", "25_49", "50_64", "65_74", "75_84", "85_plus")
CHANNELS = ("self", "on_behalf", "assisted")
LEVELS = ("advice", "equipment", "signposting", "referral", "urgent")
STATUSES = ("new", "accepted", "in_progress", "closed", "declined")
HELPFUL = ("yes", "partly", "no")
NEXT_STEPS = ("try_advice", "get_equipment", "contact_service", "talk_to_someone", "not_sure")


def months_of_year_so_far(today: datetime) -> list[str]:
    """The financial year (April to March) up to and including this month."""
    start_year = today.year if today.month >= 4 else today.year - 1
    months, year, month = [], start_year, 4
    while (year, month) <= (today.year, today.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def main() -> None:
    count = int(sys.argv[1])
    from sqlalchemy import select

    from mle import create_app
    from mle.database import db
    from mle.models import DirectoryView, OutcomeModule, OutcomeRecord
    from mle.models.oruk import Service
    from mle.reporting.rollups import rebuild
    from mle.site import site

    app = create_app()
    rng = random.Random(1)
    with app.app_context():
        content, area = site().content, site().area
        localities = [*area.localities, None]
        modules = list(content.modules)
        equipment = list(content.equipment)
        needs = list(area.needs)
        rule_ids = [o.id for m in content.modules.values() for o in m.rules.outcomes]
        services = list(db.session.scalars(select(Service.id).where(Service.status == "active")))
        months = months_of_year_so_far(datetime.now(UTC))
        # The first records go through every value in turn, so that each one occurs at least
        # once whatever COUNT is; the rest are random.
        cycle = max(len(localities), len(AGE_BANDS), len(modules) * len(LEVELS), len(equipment),
                    len(services), len(needs), 6 * len(STATUSES), len(NEXT_STEPS))
        records = []
        for serial in range(max(count, cycle)):
            def pick(values, serial=serial):
                return values[serial % len(values)] if serial < cycle else rng.choice(values)
            referral = serial < cycle or rng.random() < 0.25
            module = pick(modules)
            others = rng.sample(modules, rng.randint(0, 2))
            records.append(OutcomeRecord(
                assessment_ref=f"prefill-{serial}", period=pick(months), channel=pick(CHANNELS),
                locality=pick(localities), simd_quintile=pick([1, 2, 3, 4, 5, None]),
                age_band=pick(AGE_BANDS), answering_for=pick(["self", "someone_else"]),
                content_version=content.version, rule_ids=rng.sample(rule_ids, 2),
                services=sorted({pick(services), *rng.sample(services, 2)}),
                equipment=sorted({pick(equipment), *rng.sample(equipment, 1)}),
                equipment_requested=[pick(equipment)] if serial % 3 == 0 else [],
                unmet_needs=[pick(needs)] if serial % 2 == 0 else [],
                urgent=serial % 17 == 0, referral_offered=referral, referral_made=referral,
                referral_status=pick(STATUSES) if referral else None,
                referral_accepted=referral and serial % 2 == 1,
                first_action_days=pick([0, 1, 4, 8, 15, 30]) if referral else None,
                feedback_helpful=pick(HELPFUL), feedback_next=[pick(NEXT_STEPS)],
                modules=[OutcomeModule(module=m, level=pick(LEVELS) if m == module
                                       else rng.choice(LEVELS))
                         for m in dict.fromkeys([module, *others])]))
        db.session.add_all(records)
        for month in months:
            for need in needs:
                db.session.add(DirectoryView(kind="topic", key=need, period=month,
                                             views=rng.randint(5, 60)))
        db.session.commit()
        print(f"outcome records: {len(records)}, rolled up: {rebuild()}")


if __name__ == "__main__":
    main()
