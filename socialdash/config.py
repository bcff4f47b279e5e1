"""The configuration file (contract section 2): what to track, and the dashboard's settings.

``load_config`` validates the whole file before anything uses it; a bad file raises
``ConfigError`` whose message names the file, the field and what is wrong with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_PATH = "data/config.toml"
EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "config.example.toml"

PLATFORMS = ("x", "facebook", "instagram", "youtube", "linkedin", "mastodon", "bluesky")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GOAL_METRICS = (
    "followers", "follower_growth", "likes", "engagements", "engagement_rate", "posts",
    "share_of_voice", "median_response_minutes", "response_rate", "sla_attainment", "coop_index",
)
_ID = r"^[a-z0-9][a-z0-9_-]*$"


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
    def _order(self) -> "BusinessHours":
        if _hhmm(self.end) <= _hhmm(self.start):
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
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
    def _period(self) -> "Goal":
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
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
    def _references(self) -> "Config":
        _unique("organizations", [o.id for o in self.organizations])
        _unique("departments", [d.id for d in self.departments])
        _unique("goals", [g.id for g in self.goals])
        if self.organizations and sum(o.self_ for o in self.organizations) != 1:
            raise ValueError("organizations: exactly one organization must have self = true")
        departments = {d.id for d in self.departments}
        for i, person in enumerate(self.people):
            if person.department not in departments:
                raise ValueError(f"people[{i}] ({person.name}): unknown department {person.department!r}")
        for i, goal in enumerate(self.goals):
            for dept in goal.departments:
                if dept not in departments:
                    raise ValueError(f"goals[{i}] ({goal.id}): unknown department {dept!r}")
        return self

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def company(self) -> Organization | None:
        return next((o for o in self.organizations if o.self_), None)


def _unique(section: str, ids: list[str]) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{section}: the id {i!r} is used twice")
        seen.add(i)


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
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}: " + "; ".join(_describe(err) for err in exc.errors())) from None


def _describe(err: dict) -> str:
    where = ""
    for part in err["loc"]:
        if isinstance(part, int):
            where += f"[{part}]"
        elif part in ("str", "list[str]", "function-after[_check_accounts(), dict[str,union[str,list[str]]]]"):
            continue  # pydantic's names for union branches, not fields of the file
        else:
            where += ("." if where else "") + str(part)
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
