"""Alerts after each refresh: printed in the summary, and posted to a webhook as
Slack-compatible JSON (``{"text": …}``) when one is configured.

Three conditions, checked on the freshly written warehouse:

* **A competitor overtakes the company** on a metric of ``ALERT_METRICS``: over the
  last 7 days (today included, in the configured time zone) the competitor ranks above
  the company (``socialdash.metrics.ranks`` on ``scorecard``), while over the 7 days
  before it ranked below it. All organizations and platforms are compared.
* **An SLA breach**: the company's SLA attainment over the last 7 days (metrics.md:
  answered within ``sla_minutes`` / (items − pending)) is below ``SLA_ALERT_THRESHOLD``
  (80 %), or below ``[alerts] sla_threshold`` once the configuration has that field.
* **A goal falls off track**: a goal whose period is running has the status "off track"
  (``socialdash.goals.goal_progress``, metrics.md "Goals").

The webhook address comes from ``[alerts] webhook_url`` in the configuration (once
``socialdash.config`` has that section), else from ``ALERTS_WEBHOOK_URL`` in the
environment or the ``[connectors]`` section of ``.streamlit/secrets.toml``. A webhook
address is a credential (whoever has it can post), so it is redacted from all output.

Every current condition is printed after each refresh; the webhook receives each alert
once (``alert_log``): an overtaking or an SLA breach once a day, a goal once each time it
falls off track (when it recovers, the next fall is posted again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import duckdb
import requests

from connectors.http import redact, register_secret
from socialdash import formatting, metrics
from socialdash.config import Config, Settings
from socialdash.period import Period, today_in
from socialdash.viewstate import View

SLA_ALERT_THRESHOLD = 0.80
WINDOW_DAYS = 7
ALERT_METRICS = ("audience", "engagements", "engagement_rate", "share_of_voice",
                 "median_response_minutes", "sla_attainment")
WEBHOOK_TIMEOUT = (5.0, 10.0)



@dataclasses.dataclass(frozen=True)
class Alert:
    key: str
    kind: str
    text: str


def _alerts_section(config: Config):
    return getattr(config, "alerts", None)


def _setting(config: Config, name: str):
    section = _alerts_section(config)
    if section is None:
        return None
    if isinstance(section, dict):
        return section.get(name)
    return getattr(section, name, None)


def webhook_url(config: Config, credentials: dict | None = None) -> str | None:
    url = _setting(config, "webhook_url") or (credentials or {}).get("ALERTS_WEBHOOK_URL")
    return str(url) if url else None


def sla_threshold(config: Config) -> float:
    value = _setting(config, "sla_threshold")
    try:
        return float(value) if value is not None else SLA_ALERT_THRESHOLD
    except (TypeError, ValueError):
        return SLA_ALERT_THRESHOLD


def windows(config: Config, now: dt.datetime) -> tuple[View, View, dt.date]:
    today = today_in(config.timezone, now)
    current = Period(today - dt.timedelta(days=WINDOW_DAYS - 1), today)
    return View(current), View(current.previous()), today


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def overtakes(con, config: Config, now: dt.datetime) -> list[Alert]:
    settings = Settings.from_config(config)
    current, before, today = windows(config, now)
    card_now = metrics.scorecard(con, current, settings, now)
    card_before = metrics.scorecard(con, before, settings, now)
    if card_now.empty or not card_now["is_self"].any():
        return []
    company = card_now[card_now["is_self"]].iloc[0]
    out = []
    for metric in ALERT_METRICS:
        rank_now = dict(zip(card_now["org_id"], metrics.ranks(card_now, metric)))
        rank_before = dict(zip(card_before["org_id"], metrics.ranks(card_before, metric)))
        value_now = dict(zip(card_now["org_id"], card_now[metric]))
        value_before = dict(zip(card_before["org_id"], card_before[metric]))
        me = company["org_id"]
        for org in card_now.itertuples():
            if org.is_self:
                continue
            ranks = (rank_before.get(org.org_id), rank_before.get(me), rank_now.get(org.org_id), rank_now.get(me))
            if any(r is None or _na(r) for r in ranks):
                continue
            was_behind, now_ahead = ranks[0] > ranks[1], ranks[2] < ranks[3]
            if was_behind and now_ahead:
                label = formatting.label_in_text(metric)
                out.append(Alert(
                    f"overtake:{metric}:{org.org_id}:{today.isoformat()}", "overtake",
                    f"{org.name} overtook {company['name']} on {label}: "
                    f"{formatting.value(metric, value_now.get(org.org_id))} against "
                    f"{formatting.value(metric, value_now.get(me))} in the last {WINDOW_DAYS} days "
                    f"({current.period.label()}); the {WINDOW_DAYS} days before: "
                    f"{formatting.value(metric, value_before.get(org.org_id))} against "
                    f"{formatting.value(metric, value_before.get(me))}.",
                ))
    return out


def _na(value) -> bool:
    try:
        return bool(value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>")
    except (TypeError, ValueError):
        return False


def sla_breach(con, config: Config, now: dt.datetime) -> list[Alert]:
    settings = Settings.from_config(config)
    current, _, today = windows(config, now)
    card = metrics.scorecard(con, current, settings, now)
    company = card[card["is_self"]]
    if company.empty:
        return []
    attainment = _number(company.iloc[0]["sla_attainment"])
    threshold = sla_threshold(config)
    if attainment is None or attainment >= threshold:
        return []
    name = company.iloc[0]["name"]
    return [Alert(
        f"sla:{today.isoformat()}", "sla",
        f"SLA breach: {name} answered {formatting.value('sla_attainment', attainment)} of inbound items within "
        f"{settings.sla_minutes:g} minutes in the last {WINDOW_DAYS} days ({current.period.label()}), below the "
        f"alert threshold of {threshold * 100:.0f}%.",
    )]


def goals_off_track(con, config: Config, now: dt.datetime) -> tuple[list[Alert], list[str]]:
    """Alerts for running goals that are off track, and the goal ids that are not."""
    try:
        from socialdash.goals import goal_progress  # written alongside; imported when needed
    except ImportError:
        return [], []
    settings = Settings.from_config(config)
    today = today_in(config.timezone, now)
    frame = goal_progress(con, settings, today, now)
    out, fine = [], []
    for goal in frame.itertuples():
        start, end = _as_date(goal.period_start), _as_date(goal.period_end)
        running = start <= today <= end
        if running and goal.status == "off track":
            progress = _number(goal.progress)
            out.append(Alert(
                f"goal:{goal.goal_id}:off-track", "goal",
                f"Goal off track: \"{goal.title}\" ({goal.metric}) stands at "
                f"{'—' if progress is None else f'{progress * 100:.0f}%'} of its target "
                f"({start:%d %b} – {end:%d %b %Y}).",
            ))
        else:
            fine.append(str(goal.goal_id))
    return out, fine


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def evaluate(con, config: Config, now: dt.datetime) -> tuple[list[Alert], list[str]]:
    """Every alert condition that holds now, and the goals that are not off track."""
    goal_alerts, fine_goals = goals_off_track(con, config, now)
    return overtakes(con, config, now) + sla_breach(con, config, now) + goal_alerts, fine_goals


def post(url: str, text: str) -> None:
    """POST ``{"text": text}`` to a Slack-compatible webhook; raises with a redacted message."""
    register_secret(url)
    try:
        response = requests.post(url, json={"text": text}, timeout=WEBHOOK_TIMEOUT)
    except requests.RequestException as exc:
        raise RuntimeError(redact(f"the alert webhook did not answer ({type(exc).__name__})", [url])) from None
    if response.status_code >= 300:
        raise RuntimeError(redact(f"the alert webhook answered HTTP {response.status_code}", [url]))


def check_and_send(con: duckdb.DuckDBPyConnection, config: Config, now: dt.datetime,
                   credentials: dict | None = None) -> tuple[list[Alert], list[str]]:
    """Evaluate the alerts on ``con`` (inside the refresh's write), post the new ones to the
    webhook, remember what was posted. Returns (alerts, notes for the summary)."""
    alerts, fine_goals = evaluate(con, config, now)
    if fine_goals:  # a goal back on track (or finished) may alert again when it falls again
        con.execute("DELETE FROM alert_log WHERE list_contains($keys, key)",
                    {"keys": [f"goal:{g}:off-track" for g in fine_goals]})
    notes: list[str] = []
    url = webhook_url(config, credentials)
    if not url or not alerts:
        return alerts, notes
    sent = {row[0] for row in con.execute("SELECT key FROM alert_log WHERE list_contains($keys, key)",
                                          {"keys": [a.key for a in alerts]}).fetchall()}
    new = [a for a in alerts if a.key not in sent]
    if not new:
        return alerts, notes
    text = f"Social dashboard: {len(new)} new alert{'s' if len(new) != 1 else ''} after the refresh of " \
           f"{now:%Y-%m-%d %H:%M} UTC\n" + "\n".join(f"• {a.text}" for a in new)
    try:
        post(url, text)
    except RuntimeError as exc:
        notes.append(f"{exc}; the alerts will be posted again after the next refresh")
        return alerts, notes
    con.executemany("INSERT OR REPLACE INTO alert_log VALUES (?, ?, ?, ?)",
                    [[a.key, a.kind, a.text, now] for a in new])
    notes.append(f"{len(new)} alert{'s' if len(new) != 1 else ''} posted to the webhook")
    return alerts, notes
