"""Opening hours in words, from ORUK schedule rows (iCalendar-style byday, opens_at, closes_at)."""

from __future__ import annotations

from flask_babel import gettext as _

from mle.models import Schedule


def day_names() -> dict[str, str]:
    return {"MO": _("Monday"), "TU": _("Tuesday"), "WE": _("Wednesday"), "TH": _("Thursday"),
            "FR": _("Friday"), "SA": _("Saturday"), "SU": _("Sunday")}


def _time(value: str) -> str:
    return value[:5]  # '09:00:00' -> '09:00'


def opening_hours(schedule: Schedule) -> str:
    """'Monday, Tuesday: 09:00 to 17:00. Closed on public holidays.' or the description."""
    parts = []
    if schedule.byday:
        names = day_names()
        parts.append(", ".join(names.get(d.strip(), d.strip()) for d in schedule.byday.split(",")))
    if schedule.opens_at and schedule.closes_at:
        times = _("%(opens)s to %(closes)s", opens=_time(schedule.opens_at),
                  closes=_time(schedule.closes_at))
        parts = [f"{parts[0]}: {times}"] if parts else [times]
    words = ". ".join(parts + [t for t in (schedule.description, schedule.notes) if t])
    return words or _("Ask the service")
