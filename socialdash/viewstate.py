"""The view a page shows, and its round trip through the URL (contract section 4).

Pure functions, no Streamlit: ``parse_view`` turns query parameters into a ``View`` plus
the notices to show for whatever could not be understood; ``view_params`` writes a view
back. Values are checked against the ids the warehouse knows, so nothing unknown from a
link ever reaches a query.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Iterable, Mapping

from socialdash.period import DEFAULT_PRESET, Period, preset_period

LIST_PARAMS = ("platforms", "orgs", "departments")
MAX_PERIOD_DAYS = 3660  # ten years: anything longer is a mangled link, not a question


@dataclasses.dataclass(frozen=True)
class View:
    """What is shown: a period and the selected ids (an empty tuple means all)."""

    period: Period
    platforms: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()

    def with_period(self, period: Period) -> "View":
        return dataclasses.replace(self, period=period)


@dataclasses.dataclass(frozen=True)
class Known:
    """The ids the warehouse holds, against which links are checked."""

    platforms: tuple[str, ...]
    orgs: tuple[str, ...]
    departments: tuple[str, ...]


def parse_view(params: Mapping[str, str | list[str]], known: Known, today: dt.date) -> tuple[View, list[str]]:
    notices: list[str] = []
    period = _parse_period(params, today, notices)
    lists = {}
    for name in LIST_PARAMS:
        raw = params.get(name)
        if raw is None:
            lists[name] = ()
            continue
        values = [v.strip() for v in _one(raw).split(",") if v.strip()]
        allowed = getattr(known, name)
        good = tuple(dict.fromkeys(v for v in values if v in allowed))
        bad = [v for v in values if v not in allowed]
        if bad:
            notices.append(
                f"Ignored {_plural(len(bad), name[:-1])} from the link that this warehouse does not know: "
                + ", ".join(_quote(v) for v in bad[:5]) + ("…" if len(bad) > 5 else "")
            )
        lists[name] = good
    return View(period, lists["platforms"], lists["orgs"], lists["departments"]), notices


def _parse_period(params: Mapping, today: dt.date, notices: list[str]) -> Period:
    default = preset_period(DEFAULT_PRESET, today)
    raw_start, raw_end = params.get("start"), params.get("end")
    if raw_start is None and raw_end is None:
        return default
    try:
        start = dt.date.fromisoformat(_one(raw_start)) if raw_start is not None else None
        end = dt.date.fromisoformat(_one(raw_end)) if raw_end is not None else None
    except ValueError:
        notices.append(
            f"Ignored the period in the link (start={_quote(_one(raw_start or ''))}, end={_quote(_one(raw_end or ''))}): "
            "dates must be written YYYY-MM-DD. Showing the last 30 days."
        )
        return default
    if start is None or end is None:
        notices.append("Ignored the period in the link: it needs both start and end. Showing the last 30 days.")
        return default
    if end < start:
        notices.append(f"Ignored the period in the link: it ends ({end}) before it starts ({start}). Showing the last 30 days.")
        return default
    if (end - start).days >= MAX_PERIOD_DAYS:
        notices.append("Ignored the period in the link: it is longer than ten years. Showing the last 30 days.")
        return default
    return Period(start, end)


def view_params(view: View) -> dict[str, str]:
    """The query parameters of a view; lists left out mean all."""
    params = {"start": view.period.start.isoformat(), "end": view.period.end.isoformat()}
    for name in LIST_PARAMS:
        values = getattr(view, name)
        if values:
            params[name] = ",".join(values)
    return params


def _one(raw: str | list[str]) -> str:
    return raw[-1] if isinstance(raw, list) else raw


def _quote(value: str) -> str:
    """A value from a link, quoted for a notice: literal text in Markdown (a crafted link
    must not show a link or an image of its own)."""
    from socialdash.formatting import escape_markdown  # not at the top: formatting → metrics → viewstate

    shown = value if len(value) <= 40 else value[:40] + "…"
    return "'" + escape_markdown(shown) + "'"


def _plural(n: int, noun: str) -> str:
    noun = {"org": "organization"}.get(noun, noun)
    return f"{n} {noun}" + ("" if n == 1 else "s")


def selected(values: tuple[str, ...], everything: Iterable[str]) -> list[str]:
    """The ids a selection stands for: the chosen ones, or all when none is chosen."""
    return list(values) if values else list(everything)
