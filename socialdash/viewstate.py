"""The view a page shows, and its round trip through the URL (contract section 4).

Pure functions, no Streamlit: ``parse_view`` turns query parameters into a ``View`` plus
the notices to show for whatever could not be understood; ``view_params`` writes a view
back. Values are checked against the ids the warehouse knows, so nothing unknown from a
link ever reaches a query.

The period is either relative to today (``period=last-30-days``: the view of a preset, so a
weekly meeting's link or saved view stays current) or fixed (``start`` and ``end``: a custom
range, kept as it is, even when its dates happen to equal a preset's today). A link that
carries both is read by its ``period`` (the contract's "instead of start/end"), with a notice
naming the dates that were set aside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Iterable, Mapping

from socialdash.period import DEFAULT_PRESET, FROM_LINK_NAME, LINK_NAMES, PRESETS, Period, preset_period

LIST_PARAMS = ("platforms", "orgs", "departments")
MAX_PERIOD_DAYS = 3660  # ten years: anything longer is a mangled link, not a question


@dataclasses.dataclass(frozen=True)
class View:
    """What is shown: a period and the selected ids (an empty tuple means all). ``preset``
    is the key of ``period.PRESETS`` the period was made from (relative to today, and so
    written to links as ``period=``); None for a fixed range (``start``/``end``)."""

    period: Period
    platforms: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    preset: str | None = None

    def __post_init__(self) -> None:
        if self.preset is not None and self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}")

    def with_period(self, period: Period) -> "View":
        """The same view over another, fixed period (e.g. the comparison period)."""
        return dataclasses.replace(self, period=period, preset=None)


@dataclasses.dataclass(frozen=True)
class Known:
    """The ids the warehouse holds, against which links are checked."""

    platforms: tuple[str, ...]
    orgs: tuple[str, ...]
    departments: tuple[str, ...]


def parse_view(params: Mapping[str, str | list[str]], known: Known, today: dt.date) -> tuple[View, list[str]]:
    notices: list[str] = []
    period, preset = _parse_period(params, today, notices)
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
    return View(period, lists["platforms"], lists["orgs"], lists["departments"], preset), notices


def _parse_period(params: Mapping, today: dt.date, notices: list[str]) -> tuple[Period, str | None]:
    """The period of a link and its preset (None for fixed dates); the last 30 days when the
    link has none or none that can be understood."""
    raw_start, raw_end, raw_period = params.get("start"), params.get("end"), params.get("period")
    has_dates = raw_start is not None or raw_end is not None
    if raw_period is not None:
        key = FROM_LINK_NAME.get(_one(raw_period).strip().lower())
        if key is not None:
            if has_dates:
                notices.append(
                    f"Ignored the dates in the link (start={_quote(_one(raw_start or ''))}, "
                    f"end={_quote(_one(raw_end or ''))}): it also has `period={LINK_NAMES[key]}`, which wins. "
                    f"Showing the {PRESETS[key].lower()}.")
            return preset_period(key, today), key
    date_notices: list[str] = []
    fixed = _parse_dates(raw_start, raw_end, date_notices) if has_dates else None
    if raw_period is not None:  # unknown: its notice says what is shown, unless the dates' notice does
        shown = " Showing its start and end." if fixed else "" if date_notices else " Showing the last 30 days."
        notices.append(f"Ignored period={_quote(_one(raw_period))} from the link: it is one of "
                       + ", ".join(f"`{name}`" for name in LINK_NAMES.values()) + "." + shown)
    notices += date_notices
    if fixed is None:
        return preset_period(DEFAULT_PRESET, today), DEFAULT_PRESET
    return fixed, None


def _parse_dates(raw_start, raw_end, notices: list[str]) -> Period | None:
    """A fixed period from start and end; None, with a notice, when they cannot be used."""
    try:
        start = dt.date.fromisoformat(_one(raw_start)) if raw_start is not None else None
        end = dt.date.fromisoformat(_one(raw_end)) if raw_end is not None else None
    except ValueError:
        notices.append(
            f"Ignored the period in the link (start={_quote(_one(raw_start or ''))}, end={_quote(_one(raw_end or ''))}): "
            "dates must be written YYYY-MM-DD. Showing the last 30 days."
        )
        return None
    if start is None or end is None:
        notices.append("Ignored the period in the link: it needs both start and end. Showing the last 30 days.")
        return None
    if end < start:
        notices.append(f"Ignored the period in the link: it ends ({end}) before it starts ({start}). Showing the last 30 days.")
        return None
    if (end - start).days >= MAX_PERIOD_DAYS:
        notices.append("Ignored the period in the link: it is longer than ten years. Showing the last 30 days.")
        return None
    return Period(start, end)


def view_params(view: View) -> dict[str, str]:
    """The query parameters of a view: ``period`` for a preset (relative to today), else
    ``start`` and ``end``; lists left out mean all."""
    if view.preset is not None:
        params = {"period": LINK_NAMES[view.preset]}
    else:
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
