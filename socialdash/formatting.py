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


def compact(n: float) -> str:
    """1234 → 1,234; 1234567 → 1.23M."""
    if abs(n) >= 1e9:
        return f"{n / 1e9:.2f}B"
    if abs(n) >= 1e6:
        return f"{n / 1e6:.2f}M"
    if abs(n) >= 1e4:
        return f"{n / 1e3:.1f}k"
    return f"{n:,.0f}" if float(n).is_integer() or abs(n) >= 100 else f"{n:,.2f}"


def minutes(m: float) -> str:
    if m < 1:
        return f"{m * 60:.0f} s"
    if m < 120:
        return f"{m:.0f} min"
    if m < 48 * 60:
        return f"{m / 60:.1f} h"
    return f"{m / 1440:.1f} days"


def value(metric: str, v) -> str:
    """A metric's value as users read it; an em dash when there is none."""
    if missing(v):
        return "—"
    kind = METRICS[metric].kind if metric in METRICS else "count"
    if kind == "ratio":
        return f"{v * 100:.1f}%" if abs(v) >= 0.001 or v == 0 else f"{v * 100:.3f}%"
    if kind == "minutes":
        return minutes(v)
    if kind == "rate":
        return f"{v:,.1f}/day"
    if kind == "index":
        return f"{v:.0f}"
    return compact(v)


def delta(metric: str, now, before) -> str | None:
    """The change against the comparison period, in the metric's own terms
    (percentage points for ratios)."""
    if missing(now) or missing(before):
        return None
    kind = METRICS[metric].kind if metric in METRICS else "count"
    diff = now - before
    if kind == "ratio":
        return f"{diff * 100:+.1f} pp"
    if kind == "minutes":
        return ("+" if diff >= 0 else "-") + minutes(abs(diff))
    if kind == "index":
        return f"{diff:+.0f}"
    rel = f" ({diff / before * 100:+.0f}%)" if before else ""
    sign = "+" if diff >= 0 else "-"  # ASCII: st.metric reads the direction from it
    return f"{sign}{compact(abs(diff))}{rel}"


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
