"""The configuration file (contract section 2): what to track, and the dashboard's settings.

``load_config`` validates the whole file before anything uses it; a bad file raises
``ConfigError`` whose message names the file and, for every problem at once, the field (list
entries counted from 1, as a reader counts the ``[[organizations]]`` blocks: ``organizations #3
(contoso)``) and what is wrong with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
import zoneinfo
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping

from pydantic import (BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, field_validator,
                      model_validator)

DEFAULT_PATH = "data/config.toml"
EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "config.example.toml"

PLATFORMS = ("x", "facebook", "instagram", "youtube", "linkedin", "mastodon", "bluesky")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GOAL_METRICS = (
    "followers", "follower_growth", "likes", "engagements", "engagement_rate", "posts",
    "share_of_voice", "median_response_minutes", "response_rate", "sla_attainment", "coop_index",
)
_ID = r"^[a-z0-9][a-z0-9_-]*$"
# Validation context of ``parse_config``: the checks that span several fields (a goal's end
# after its start, exactly one company, known departments, unique ids) are left to
# ``_cross_field_problems`` on the raw file, which runs even when some field failed, so that
# every problem is reported at once. Models built directly still run them themselves.
_DEFERRED = "cross_field_checks_deferred"


class ConfigError(ValueError):
    """The configuration file is unusable; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _hhmm(value: str) -> dt.time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError(f"expected a time as \"HH:MM\", got {value!r}")
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day") from None


def _deferred(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(_DEFERRED))


def _hours_problem(start: Any, end: Any) -> str | None:
    try:
        after = _hhmm(end) > _hhmm(start)
    except (ValueError, TypeError):
        return None  # a malformed time is reported on its own field
    return None if after else f"end ({end}) must be after start ({start})"


def _goal_period_problem(start: Any, end: Any) -> str | None:
    try:
        first, last = TypeAdapter(dt.date).validate_python(start), TypeAdapter(dt.date).validate_python(end)
    except ValidationError:
        return None  # reported on its own field
    return f"end ({last}) is before start ({first})" if last < first else None


class BusinessHours(_Strict):
    days: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = ("mon", "tue", "wed", "thu", "fri")
    start: str = "09:00"
    end: str = "17:00"

    @field_validator("start", "end")
    @classmethod
    def _time(cls, value: str) -> str:
        _hhmm(value)
        return value

    @model_validator(mode="after")
    def _order(self, info: ValidationInfo) -> "BusinessHours":
        problem = None if _deferred(info) else _hours_problem(self.start, self.end)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def weekday_numbers(self) -> tuple[int, ...]:
        """ISO weekdays (1 = Monday) of the business days."""
        return tuple(WEEKDAYS.index(d) + 1 for d in self.days)

    @property
    def start_minute(self) -> int:
        t = _hhmm(self.start)
        return t.hour * 60 + t.minute

    @property
    def end_minute(self) -> int:
        t = _hhmm(self.end)
        return t.hour * 60 + t.minute


Handles = dict[str, str | list[str]]


def _check_accounts(accounts: Handles) -> Handles:
    for platform, handles in accounts.items():
        if platform not in PLATFORMS:
            raise ValueError(f"unknown platform {platform!r} (known: {', '.join(PLATFORMS)})")
        for handle in [handles] if isinstance(handles, str) else handles:
            if not handle.strip():
                raise ValueError(f"{platform}: empty handle")
            if platform == "mastodon" and not re.fullmatch(r"@?[^@\s]+@[^@\s]+\.[^@\s]+", handle):
                raise ValueError(f"mastodon: {handle!r} is not of the form user@instance")
    return accounts


class Organization(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    name: Annotated[str, Field(min_length=1)]
    self_: bool = Field(False, alias="self")
    accounts: Handles = {}

    _accounts = field_validator("accounts")(classmethod(lambda cls, v: _check_accounts(v)))


class Department(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    name: Annotated[str, Field(min_length=1)]
    annual_budget: Annotated[float, Field(ge=0)] | None = None
    accounts: Handles = {}
    signatures: tuple[str, ...] = ()

    _accounts = field_validator("accounts")(classmethod(lambda cls, v: _check_accounts(v)))

    @field_validator("signatures")
    @classmethod
    def _regexes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"signature {pattern!r} is not a valid regular expression: {exc}") from None
        return value


class Person(_Strict):
    name: Annotated[str, Field(min_length=1)]
    department: str
    accounts: Handles = {}

    _accounts = field_validator("accounts")(classmethod(lambda cls, v: _check_accounts(v)))


class Goal(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    title: Annotated[str, Field(min_length=1)]
    metric: Literal[GOAL_METRICS]  # type: ignore[valid-type]
    target: float
    start: dt.date
    end: dt.date
    departments: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _period(self, info: ValidationInfo) -> "Goal":
        problem = None if _deferred(info) else _goal_period_problem(self.start, self.end)
        if problem:
            raise ValueError(problem)
        return self


class PlatformSettings(_Strict):
    base_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
            raise ValueError(f"{value!r} is not an http(s) address")
        return value.rstrip("/") if value else value


class AlertSettings(_Strict):
    """Where and when the connectors raise alerts after a refresh (connectors/alerts.py)."""

    # A webhook address is a credential of sorts: prefer ALERTS_WEBHOOK_URL in the
    # environment or .streamlit/secrets.toml; this field is for non-secret receivers.
    webhook_url: str | None = None
    sla_threshold: Annotated[float, Field(gt=0, le=1)] = 0.8

    _url = field_validator("webhook_url")(classmethod(lambda cls, v: PlatformSettings._url(v)))


_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]"


class AccessSettings(_Strict):
    """Who may see the dashboard once login is on (``[auth]`` in .streamlit/secrets.toml;
    socialdash/access.py): these exact addresses, and every address of these domains
    (exactly the domain: list a subdomain on its own). Stored lower-cased."""

    allowed_emails: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()

    @field_validator("allowed_emails")
    @classmethod
    def _emails(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(v.strip().lower() for v in value)
        for v in out:
            if not re.fullmatch(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + _DOMAIN, v):
                raise ValueError(f"{v!r} is not an e-mail address such as \"ana@example.com\"")
        return out

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(v.strip().lower().removeprefix("@") for v in value)
        for v in out:
            if not re.fullmatch(_DOMAIN, v):
                raise ValueError(f"{v!r} is not a domain such as \"example.com\"")
        return out


class Config(_Strict):
    timezone: str = "UTC"
    sla_minutes: Annotated[float, Field(gt=0)] = 60
    history_days: Annotated[int, Field(gt=0)] = 90
    lookback_days: Annotated[int, Field(gt=0)] = 30
    currency: str = "USD"
    business_hours: BusinessHours = BusinessHours()
    organizations: tuple[Organization, ...] = ()
    departments: tuple[Department, ...] = ()
    people: tuple[Person, ...] = ()
    goals: tuple[Goal, ...] = ()
    platforms: dict[str, PlatformSettings] = {}
    alerts: AlertSettings = AlertSettings()
    access: AccessSettings = AccessSettings()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as \"Europe/London\")") from None
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        from babel.numbers import list_currencies

        code = value.strip().upper() if isinstance(value, str) else value
        if code not in list_currencies():
            raise ValueError(f"unknown currency {value!r} (use an ISO 4217 code such as \"USD\" or \"EUR\")")
        return code

    @field_validator("platforms")
    @classmethod
    def _platform_names(cls, value: dict) -> dict:
        for name in value:
            if name not in PLATFORMS:
                raise ValueError(f"unknown platform {name!r} (known: {', '.join(PLATFORMS)})")
        return value

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> "Config":
        problems = [] if _deferred(info) else _cross_field_problems(self.model_dump(by_alias=True))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def company(self) -> Organization | None:
        return next((o for o in self.organizations if o.self_), None)


# Sections that are lists of entries, and the field that names an entry in messages.
_LISTS = {"organizations": "id", "departments": "id", "people": "name", "goals": "id"}


def _entries(data: Mapping, section: str) -> list[tuple[int, dict]]:
    """The entries of a list section as (position from 1, entry); malformed ones are left
    to the field checks."""
    items = data.get(section)
    if not isinstance(items, (list, tuple)):
        return []
    return [(pos, item) for pos, item in enumerate(items, start=1) if isinstance(item, dict)]


def _entry(section: str, pos: int, item: Any = None) -> str:
    """``organizations #3 (contoso)``: an entry by its position counted from 1 and its name."""
    label = item.get(_LISTS[section]) if isinstance(item, dict) else None
    shown = f" ({label[:40]})" if isinstance(label, str) and label.strip() else ""
    return f"{section} #{pos}{shown}"


def _is_true(value: Any) -> bool:
    try:
        return TypeAdapter(bool).validate_python(value)
    except ValidationError:
        return False  # reported on its own field


def _cross_field_problems(data: Mapping) -> list[str]:
    """Every problem that spans fields, on the file as read (or a model dumped by alias):
    the checks tolerate malformed fields, which the field checks report."""
    problems = []
    hours = data.get("business_hours")
    if isinstance(hours, dict):
        problem = _hours_problem(hours.get("start", "09:00"), hours.get("end", "17:00"))
        if problem:
            problems.append(f"business_hours: {problem}")
    for section in ("organizations", "departments", "goals"):
        seen: dict[str, list[int]] = {}
        for pos, item in _entries(data, section):
            if isinstance(item.get("id"), str):
                seen.setdefault(item["id"], []).append(pos)
        for ident, positions in seen.items():
            if len(positions) > 1:
                where = " and ".join(f"#{p}" for p in positions)
                times = "twice" if len(positions) == 2 else f"{len(positions)} times"
                problems.append(f"{section} {where}: the id {ident!r} is used {times}")
    organizations = _entries(data, "organizations")
    if organizations:
        selves = [(pos, item) for pos, item in organizations if _is_true(item.get("self", False))]
        if not selves:
            problems.append("organizations: exactly one organization must have self = true (none has)")
        elif len(selves) > 1:
            named = [_entry("organizations", p, i).removeprefix("organizations ") for p, i in selves]
            problems.append("organizations: exactly one organization must have self = true, but "
                            + ", ".join(named[:-1]) + " and " + named[-1] + " have it")
    departments = {item.get("id") for _, item in _entries(data, "departments")}
    for pos, person in _entries(data, "people"):
        dept = person.get("department")
        if isinstance(dept, str) and dept not in departments:
            problems.append(f"{_entry('people', pos, person)}: unknown department {dept!r}")
    for pos, goal in _entries(data, "goals"):
        wanted = goal.get("departments", ())
        unknown = [d for d in wanted if isinstance(d, str) and d not in departments] \
            if isinstance(wanted, (list, tuple)) else []
        if unknown:
            problems.append(f"{_entry('goals', pos, goal)}: unknown department"
                            + ("s " if len(unknown) > 1 else " ") + ", ".join(repr(d) for d in unknown))
        if "start" in goal and "end" in goal:
            problem = _goal_period_problem(goal["start"], goal["end"])
            if problem:
                problems.append(f"{_entry('goals', pos, goal)}: {problem}")
    return problems


def config_path(explicit: str | os.PathLike | None = None) -> Path:
    """``--config PATH``, else ``SOCIAL_CONFIG``, else ``data/config.toml``."""
    return Path(explicit or os.environ.get("SOCIAL_CONFIG") or DEFAULT_PATH)


def load_config(path: str | os.PathLike | None = None, *, required: bool = False) -> Config:
    """Read and validate the configuration; defaults when there is no file (unless required)."""
    file = config_path(path)
    if not file.exists():
        if required:
            raise ConfigError(f"{file}: no such configuration file (copy data/config.example.toml to start)")
        return Config()
    return parse_config(file.read_text(encoding="utf-8"), source=str(file))


def parse_config(text: str, source: str = "config") -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    problems, config = [], None
    try:
        config = Config.model_validate(raw, context={_DEFERRED: True})
    except ValidationError as exc:
        problems += [_describe(err, raw) for err in exc.errors()]
    problems += _cross_field_problems(raw)
    if len(problems) == 1:
        raise ConfigError(f"{source}: {problems[0]}")
    if problems:
        raise ConfigError(f"{source}: {len(problems)} problems:\n" + "\n".join(f"- {p}" for p in problems))
    return config


_UNION_BRANCHES = ("str", "list[str]", "function-after[_check_accounts(), dict[str,union[str,list[str]]]]")


def _describe(err: dict, raw: Mapping) -> str:
    """One pydantic error as ``where: what``, entries of lists counted from 1:
    ``organizations #2 (contoso), accounts: unknown platform 'twiter'``."""
    loc = [part for part in err["loc"] if part not in _UNION_BRANCHES]  # pydantic's names, not the file's
    head = ""
    if len(loc) >= 2 and loc[0] in _LISTS and isinstance(loc[1], int):
        items = raw.get(loc[0])
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        head, loc = _entry(loc[0], loc[1] + 1, item), loc[2:]
    path = ""
    for part in loc:
        path += f" #{part + 1}" if isinstance(part, int) else ("." if path else "") + str(part)
    where = ", ".join(p for p in (head, path) if p)
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown field (check its spelling against data/config.example.toml)"
    elif err["type"] == "missing":
        message = "required field is missing"
    return f"{where}: {message}" if where else message


def handles(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def account_id(platform: str, handle: str) -> str:
    """The warehouse id of a configured account: ``platform:handle``, case-folded.

    Handles are case-insensitive on every supported platform; a leading ``@`` is
    dropped so that ``@northwindair`` and ``northwindair`` are one account.
    """
    return f"{platform}:{handle.strip().lstrip('@').lower()}"


@dataclasses.dataclass(frozen=True)
class Settings:
    """The dashboard's settings from the file: what the metrics need, hashable for caches."""

    timezone: str = "UTC"
    sla_minutes: float = 60
    business_days: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays, 1 = Monday
    business_start_minute: int = 9 * 60
    business_end_minute: int = 17 * 60
    currency: str = "USD"  # ISO 4217: budgets and costs

    @classmethod
    def from_config(cls, config: Config) -> "Settings":
        bh = config.business_hours
        return cls(config.timezone, config.sla_minutes, bh.weekday_numbers, bh.start_minute, bh.end_minute,
                   config.currency)

    @property
    def business_hours_label(self) -> str:
        days = ", ".join(WEEKDAYS[d - 1].capitalize() for d in self.business_days)
        s, e = self.business_start_minute, self.business_end_minute
        return f"{days} {s // 60:02d}:{s % 60:02d}–{e // 60:02d}:{e % 60:02d} ({self.timezone})"
