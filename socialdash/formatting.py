"""How numbers read on the pages: one place, so every page writes a figure the same way."""

from __future__ import annotations

import html
import math
import re

from socialdash.metrics import METRICS


# Platform names as users write them.
PLATFORM_NAMES = {
    "x": "X", "facebook": "Facebook", "instagram": "Instagram", "youtube": "YouTube",
    "linkedin": "LinkedIn", "mastodon": "Mastodon", "bluesky": "Bluesky",
}
_MARKDOWN_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# Where Streamlit's Markdown rewrites plain text even when every character is escaped, a
# zero-width word joiner keeps it as written: links made of addresses (https://…, www.…,
# name@domain) and typographic replacements (-- → —, -> → →, <= → ≤).
_AUTOLINK = re.compile(r"(?<=:)(?=/)|(?<=@)(?=[\w-])|(?<=www)(?=\.)|(?<=[-<>])(?=[-<>=])", re.IGNORECASE)


def escape_markdown(text) -> str:
    """Text from the warehouse (names, handles) made safe for st.markdown and alerts:
    every ASCII punctuation character backslash-escaped, line breaks flattened, and an
    invisible word joiner where Markdown would make an address into a link or "--" into a
    dash, so a name can never become a link, an image, emphasis or HTML."""
    text = _AUTOLINK.sub("\u2060", " ".join(str(text).split()))
    return "".join("\\" + ch if ch in _MARKDOWN_PUNCTUATION else ch for ch in text)


def chart_text(text) -> str:
    """Text from the warehouse made literal for Plotly, which reads <b>, <br>, <a href> and
    entities in every label, legend and hover text: &, < and > written as entities."""
    return html.escape(str(text), quote=False)


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "nan", "NaT")


def compact(n: float, extra: int = 0) -> str:
    """1234 → 1,234; 1234567 → 1.23M. ``extra`` adds decimals, so that two values that
    differ can be told apart (``distinct``)."""
    if abs(n) >= 1e9:
        return f"{n / 1e9:.{2 + extra}f}B"
    if abs(n) >= 1e6:
        return f"{n / 1e6:.{2 + extra}f}M"
    if abs(n) >= 1e4:
        return f"{n / 1e3:.{1 + extra}f}k"
    if float(n).is_integer() or abs(n) >= 100:
        return f"{n:,.{max(0, extra - 1)}f}" if extra and not float(n).is_integer() else f"{n:,.0f}"
    return f"{n:,.{2 + extra}f}"


def minutes(m: float, extra: int = 0) -> str:
    """A duration given in minutes, with its unit, by one rule on every page, table and the
    brief: seconds under a minute, minutes under two hours, hours under two days, then days."""
    if m < 1:
        return f"{m * 60:.{extra}f} s"
    if m < 120:
        return f"{m:.{extra}f} min"
    if m < 48 * 60:
        return f"{m / 60:.{1 + extra}f} h"
    return f"{m / 1440:.{1 + extra}f} days"


def money(amount, currency: str = "USD", extra: int = 0) -> str:
    """An amount in the configured currency (ISO 4217), as a board reads it: "$49,315",
    "€0.46"; cents only under 100; an em dash when there is none."""
    if missing(amount):
        return "—"
    from babel.numbers import format_currency

    digits = (0 if abs(amount) >= 100 else 2) + extra
    pattern = "¤#,##0" + ("." + "0" * digits if digits else "")
    return format_currency(amount, currency, format=pattern, locale="en_US", currency_digits=False)


def value(metric: str, v, extra: int = 0) -> str:
    """A metric's value as users read it; an em dash when there is none. ``extra`` adds
    decimals (see ``distinct``)."""
    if missing(v):
        return "—"
    kind = METRICS[metric].kind if metric in METRICS else "count"
    if kind == "ratio":
        if abs(v) >= 0.001 or v == 0:
            return f"{v * 100:.{1 + extra}f}%"
        return f"{v * 100:.{3 + extra}f}%"
    if kind == "minutes":
        return minutes(v, extra)
    if kind == "rate":
        return f"{v:,.{1 + extra}f}/day"
    if kind == "index":
        return f"{v:.{extra}f}"
    return compact(v, extra)


MAX_EXTRA_DIGITS = 4


def distinct(metric: str, values, fmt=None) -> list[str]:
    """Each value written as ``value`` does, with the fewest extra decimals that make every
    two different values read differently (0.452 and 0.484 posts a day are "0.45/day" and
    "0.48/day", not both "0.5/day"): wherever values are ranked, different ranks must
    read differently. ``fmt(v, extra)`` overrides how one value is written."""
    fmt = fmt or (lambda v, extra: value(metric, v, extra))
    values = list(values)
    present = [v for v in values if not missing(v)]
    texts = [fmt(v, 0) for v in values]
    for extra in range(MAX_EXTRA_DIGITS + 1):
        texts = [fmt(v, extra) for v in values]
        seen: dict[str, float] = {}
        clash = False
        for v, t in zip(values, texts):
            if missing(v):
                continue
            if t in seen and seen[t] != v:
                clash = True
                break
            seen[t] = v
        if not clash or not present:
            return texts
    if METRICS.get(metric) is not None and METRICS[metric].kind == "count":
        return ["—" if missing(v) else f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in values]
    return texts


def decimals_apart(groups, decimals: int = 0, scale: float = 1.0) -> int:
    """The fewest decimals (``decimals`` at least) at which, within each group, every two
    different values (times ``scale``: 100 for percentages) read differently: the one
    precision of a table column whose rows are compared (a column has one format, so
    ``distinct``'s per-value texts do not apply there)."""
    groups = [[float(v) * scale for v in group if not missing(v) and math.isfinite(float(v))]
              for group in groups]
    for d in range(decimals, decimals + MAX_EXTRA_DIGITS + 1):
        if all(len({f"{v:.{d}f}" for v in set(g)}) == len(set(g)) for g in groups):
            return d
    return decimals + MAX_EXTRA_DIGITS


def first_digits(write, most: int = 4) -> str:
    """``write(extra)`` with the fewest extra decimals (up to ``most``) that show a digit
    other than 0: a gap between two different values never reads "0"."""
    text = write(0)
    for extra in range(most + 1):
        text = write(extra)
        if any(ch in "123456789" for ch in text):
            break
    return text


def delta(metric: str, now, before) -> str | None:
    """The change against the comparison period, in the metric's own terms
    (percentage points for ratios); a change that rounds to zero reads "no change"."""
    if missing(now) or missing(before):
        return None
    kind = METRICS[metric].kind if metric in METRICS else "count"
    diff = now - before
    if kind == "ratio":
        text = f"{abs(diff) * 100:.1f} pp"
    elif kind == "minutes":
        text = minutes(abs(diff))
    elif kind == "index":
        text = f"{abs(diff):.0f}"
    else:
        rel = f" ({abs(diff) / before * 100:.0f}%)" if before else ""
        text = compact(abs(diff)) + rel
    if not any(ch in "123456789" for ch in text.split("(")[0]):
        return NO_CHANGE
    return ("+" if diff > 0 else "-") + text  # ASCII sign: st.metric reads the direction from it


NO_CHANGE = "no change"


def delta_style(metric: str, delta_text: str | None) -> dict:
    """How ``st.metric`` draws a change: green or red by whether the metric is better
    higher or lower, and grey without an arrow when nothing changed."""
    if delta_text is None or delta_text == NO_CHANGE:
        return {"delta_color": "off", "delta_arrow": "off"}
    better_high = METRICS[metric].higher_is_better if metric in METRICS else True
    return {"delta_color": "normal" if better_high else "inverse", "delta_arrow": "auto"}


def gap(metric: str, ours, theirs) -> str:
    """How far apart two values are, in words that read after 'by'; a relative gap is
    against the other organization's value."""
    kind = METRICS[metric].kind if metric in METRICS else "count"
    diff = abs(ours - theirs)
    if kind == "ratio":
        return f"{diff * 100:.1f} percentage points"
    if kind == "minutes":
        return minutes(diff)
    rel = f" ({diff / abs(theirs) * 100:.0f}%)" if theirs else ""
    return compact(diff) + rel


def label_in_text(metric: str) -> str:
    """A metric's label inside a sentence: lower case, acronyms kept."""
    label = METRICS[metric].label
    return label if label[:3].isupper() else label[0].lower() + label[1:]
