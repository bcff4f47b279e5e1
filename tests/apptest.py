"""The dashboard in Streamlit's AppTest: open it on a warehouse at a link's parameters,
then read what a page shows (tests/browser.py does the same in Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def opener(monkeypatch, db: str, config: str | Path | None = None, *, page: str | None = None,
           timeout: float = 60) -> Callable[..., AppTest]:
    """Point the dashboard at ``db`` and ``config`` (none: the defaults) and return
    ``open(page=page, **params)``: dashboard.py run at a link with ``params``, then switched
    to ``page`` ("pages/goals.py" or "goals"), with no exception on screen."""
    monkeypatch.setenv("SOCIAL_DB", db)
    monkeypatch.setenv("SOCIAL_CONFIG", str(config or Path(db).with_suffix(".absent.toml")))

    def open_(page: str | None = page, **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page if page.endswith(".py") else f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_


def metric(at: AppTest, label: str):
    """The KPI card labelled ``label``."""
    return next(m for m in at.metric if m.label == label)


def captions(at: AppTest) -> str:
    """Every caption, one per line, with Markdown's escapes taken out."""
    return "\n".join(c.value for c in at.caption).replace("\\", "")


def plain(value):
    """A dataframe element's value, whether shown as a frame or a Styler."""
    return value.data if hasattr(value, "data") else value


def frame(at: AppTest, first_column: str):
    """The first table whose first column is ``first_column`` (as shown: frame or Styler)."""
    return next(d.value for d in at.dataframe if plain(d.value).columns[0] == first_column)


def table(at: AppTest, column: str):
    """The first table that has ``column`` anywhere."""
    return next(d.value for d in at.dataframe if column in getattr(plain(d.value), "columns", []))
