"""Periods (metrics.md "Period"): whole days, inclusive, in the configured time zone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

PRESETS = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "qtd": "Quarter to date",
    "ytd": "Year to date",
}
DEFAULT_PRESET = "30d"
# How a preset is written in a link (contract section 4, ``period=``): a period relative to
# today, so that a shared link or a saved view made on "Last 30 days" stays current.
LINK_NAMES = {
    "7d": "last-7-days",
    "30d": "last-30-days",
    "90d": "last-90-days",
    "qtd": "quarter-to-date",
    "ytd": "year-to-date",
}
FROM_LINK_NAME = {name: key for key, name in LINK_NAMES.items()}


@dataclasses.dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The comparison period: equal length, ending the day before ``start``."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def bounds(self, tz: str | dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """The period as instants: [first local midnight, the midnight after the last day)."""
        zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
        first = dt.datetime.combine(self.start, dt.time(), zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone)
        return first.astimezone(dt.timezone.utc), after.astimezone(dt.timezone.utc)

    def elapsed_days(self, today: dt.date) -> int:
        """Days from the start to today (or to the end, if it has passed), both included."""
        if today < self.start:
            return 0
        return (min(today, self.end) - self.start).days + 1

    def label(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"


def preset_period(key: str, today: dt.date) -> Period:
    if key == "7d":
        return Period(today - dt.timedelta(days=6), today)
    if key == "30d":
        return Period(today - dt.timedelta(days=29), today)
    if key == "90d":
        return Period(today - dt.timedelta(days=89), today)
    if key == "qtd":
        return Period(dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if key == "ytd":
        return Period(dt.date(today.year, 1, 1), today)
    raise KeyError(key)


def matching_preset(period: Period, today: dt.date) -> str | None:
    """The preset that gives exactly this period today, if any."""
    return next((key for key in PRESETS if preset_period(key, today) == period), None)


def today_in(tz: str | dt.tzinfo, now: dt.datetime | None = None) -> dt.date:
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(zone).date()
