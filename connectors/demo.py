"""The deterministic demo data set: Northwind Air, its departments and people, and four
competitors (more at the large scale), over the two years that end today.

``build_demo`` replaces everything in the warehouse with the demo; ``holds_real_data``
tells whether a warehouse holds anything else, so that the CLI refuses to overwrite it.

Design:

* Everything random comes from one ``numpy.random.default_rng(seed)`` (split into
  independent streams with ``spawn``), so the same seed and the same ``today`` give the
  same rows, whatever the wall clock says.
* The data ends at the start of ``today`` (local midnight in the configured time zone):
  ``account_daily`` has a row for ``today`` (the count at that moment), posts and
  inbound items stop there. That moment depends on ``today`` only, so it is reproducible,
  and it is never in the future when ``today`` is the current date.
* Numbers are drawn with numpy, in vectorised chunks of accounts; every chunk is
  inserted with one ``INSERT ... SELECT`` from a registered DataFrame, and DuckDB builds
  the strings (ids, urls, texts) from a handful of numeric columns.
* Goal targets are computed from the generated data, so that the goals show the
  designed mix of statuses on any seed and scale (see ``_GOALS``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import re
from pathlib import Path
from typing import Callable

import duckdb
import numpy as np
import pandas as pd

from connectors.config_sync import configured_accounts, sync_config
from socialdash.config import EXAMPLE_PATH, GOAL_METRICS, PLATFORMS, Config, account_id, load_config
from socialdash.warehouse import TABLES, ensure_schema, is_file_location, upsert

DAYS = 731  # two years of history, today included
PENDING_MINUTES = 7 * 24 * 60
_BIG_TABLES = ("account_daily", "posts", "interactions")

Progress = Callable[[str], None] | None


@dataclasses.dataclass(frozen=True)
class Scale:
    employees: int              # generated employees (the file's people come on top)
    extra_competitors: int      # synthesized competitors beyond the file's
    interaction_volume: float   # multiplier of the inbound items' daily rates
    employee_post_rate: float   # median original posts per employee account per day
    account_chunk: int = 2000   # accounts per generation chunk
    interaction_chunk: int = 600_000


SCALES = {
    "small": Scale(employees=100, extra_competitors=0, interaction_volume=0.35, employee_post_rate=0.10),
    "large": Scale(employees=11_500, extra_competitors=8, interaction_volume=21.5, employee_post_rate=0.12),
}

PLATFORM_INDEX = {p: i for i, p in enumerate(PLATFORMS)}
# The company's brand audience at the end of the two years, and its yearly log-growth.
BRAND_SIZE = {"x": 1_200_000, "facebook": 2_000_000, "instagram": 650_000, "youtube": 320_000,
              "linkedin": 420_000, "mastodon": 14_000, "bluesky": 85_000}
BRAND_GROWTH = {"x": 0.08, "facebook": 0.05, "instagram": 0.12, "youtube": 0.14,
                "linkedin": 0.18, "mastodon": 0.22, "bluesky": 0.70}
# Original posts per day of a brand account, and the median engagement rate of its posts.
POST_RATE = {"x": 3.0, "facebook": 1.2, "instagram": 0.9, "youtube": 0.5,
             "linkedin": 0.8, "mastodon": 1.5, "bluesky": 2.0}
ENGAGEMENT_RATE = {"x": 0.0025, "facebook": 0.003, "instagram": 0.018, "youtube": 0.012,
                   "linkedin": 0.009, "mastodon": 0.02, "bluesky": 0.025}
# Inbound items per day addressed to the company's brand account (small scale before the
# volume multiplier); competitors' brand accounts get this times size ** 0.7.
INBOUND_RATE = {"x": 30, "facebook": 20, "instagram": 14, "youtube": 5,
                "linkedin": 4, "mastodon": 2, "bluesky": 5}
# Platforms where competitors' public replies can be collected.
PUBLIC_REPLY_PLATFORMS = ("x", "bluesky", "mastodon", "youtube")
# Platforms whose answers are public posts of the answering account (reply posts).
REPLY_POST_PLATFORMS = ("x", "bluesky", "mastodon")
RESPONSE_PLATFORM_FACTOR = {"x": 0.8, "facebook": 1.0, "instagram": 1.3, "youtube": 2.5,
                            "linkedin": 1.6, "mastodon": 1.2, "bluesky": 1.0}

# The file's organizations: relative audience size, growth, posting, engagement, and how
# they answer (median minutes in business hours, off-hours mode, off-hours multiplier,
# share left unanswered). 'mult' = a (slower) team around the clock; 'wait' = answers
# wait for the next business day.
ORG_PROFILE = {
    "northwind": dict(size=1.0, growth=1.0, post=1.0, er=1.0),
    "contoso": dict(size=0.72, growth=1.3, post=1.2, er=1.25, response=(10, "mult", 2.5, 0.04)),
    "fabrikam": dict(size=0.45, growth=0.45, post=0.7, er=0.75, response=(90, "wait", 1.0, 0.12)),
    "tailspin": dict(size=0.30, growth=1.9, post=0.9, er=1.6, response=(35, "mult", 6.0, 0.10)),
    "woodgrove": dict(size=0.55, growth=0.3, post=0.6, er=0.8, response=(60, "wait", 1.0, 0.38)),
}
# The company's departments answering: median minutes in business hours, off-hours mode,
# multiplier, share unanswered. Care runs a small team around the clock.
DEPT_RESPONSE = {
    "care": (15, "mult", 5.0, 0.06), "marketing": (45, "wait", 1.0, 0.10),
    "pr": (120, "wait", 1.0, 0.12), "product": (180, "wait", 1.0, 0.14),
    "hr": (240, "wait", 1.0, 0.10), "ir": (360, "wait", 1.0, 0.08), "legal": (480, "wait", 1.0, 0.07),
}
# Who answers what reaches the company's brand accounts.
BRAND_ANSWERERS = {"care": 0.70, "marketing": 0.14, "pr": 0.07, "product": 0.06, "legal": 0.03}
# Department-owned accounts: (audience at the end, original posts per day, inbound per day,
# days of history when younger than two years, audience at their start).
DEPT_ACCOUNTS = {
    ("care", "x"): (180_000, 1.0, 25, None, None),
    ("care", "facebook"): (95_000, 0.6, 15, None, None),
    ("care", "mastodon"): (3_500, 0.5, 1.5, 120, 300),
    ("pr", "x"): (60_000, 1.0, 3, None, None),
    ("hr", "linkedin"): (150_000, 0.8, 2, None, None),
    ("hr", "instagram"): (22_000, 0.7, 1.5, 125, 1_500),
    ("ir", "x"): (16_000, 0.5, 0.8, None, None),
    ("product", "youtube"): (45_000, 0.5, 2, None, None),
}
# Accounts that joined late: (org, platform) -> (days of history, audience at the start).
LATE_BRANDS = {("tailspin", "bluesky"): (240, 1_200)}
# Employees: share per department (many in care, marketing and product, few in legal and ir).
EMPLOYEE_SPREAD = {"care": 0.28, "marketing": 0.22, "product": 0.20, "pr": 0.08,
                   "hr": 0.11, "legal": 0.05, "ir": 0.06}
EMPLOYEE_PLATFORMS = {"linkedin": 0.45, "x": 0.25, "bluesky": 0.18, "mastodon": 0.12}

# Hour-of-day weights (local time).
BRAND_HOURS = np.array([0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.2, 2.4, 2.0, 1.8,
                        2.0, 1.9, 1.6, 1.5, 1.6, 1.9, 2.1, 1.8, 1.4, 1.0, 0.6, 0.3])
EMPLOYEE_HOURS = np.array([0.3, 0.15, 0.05, 0.05, 0.05, 0.2, 0.7, 1.6, 2.0, 1.6, 1.2, 1.2,
                           1.8, 1.5, 1.1, 1.0, 1.1, 1.5, 2.0, 2.2, 2.3, 2.0, 1.4, 0.7])
CUSTOMER_HOURS = np.array([0.6, 0.4, 0.25, 0.2, 0.25, 0.4, 0.9, 1.6, 2.2, 2.4, 2.3, 2.2,
                           2.2, 2.1, 2.0, 2.0, 2.0, 2.1, 2.1, 2.0, 1.8, 1.5, 1.2, 0.9])
WEEKDAY_GROWTH = np.array([1.15, 1.15, 1.15, 1.15, 1.1, 0.7, 0.65])   # Monday first
WEEKDAY_POSTS = np.array([1.1, 1.15, 1.15, 1.1, 1.0, 0.6, 0.5])
WEEKDAY_INBOUND = np.array([1.05, 1.05, 1.0, 1.0, 1.0, 0.85, 0.85])

# Numeric ids: a platform's base plus seq * 1000 + jitter (unique per platform).
POST_ID_BASE = {"x": 1_750_000_000_000_000_000, "mastodon": 113_000_000_000_000_000,
                "linkedin": 7_200_000_000_000_000_000, "facebook": 1_000_000_000_000_000}
INTERACTION_ID_BASE = {"x": 1_760_000_000_000_000_000, "mastodon": 114_000_000_000_000_000,
                       "linkedin": 7_210_000_000_000_000_000, "facebook": 2_000_000_000_000_000,
                       "instagram": 17_900_000_000_000_000}

EXTRA_COMPETITORS = ["Blue Yonder", "Adatum", "Litware", "Lucerne", "Proseware", "Relecloud",
                     "Wingtip", "Trey", "Alpine", "Humongous", "Coho", "Southridge", "Wide World",
                     "Skyline", "Meridian", "Polar"]

FIRST_NAMES = """Aaliyah Aarav Abigail Adam Adebayo Aditi Ahmed Aiko Aisha Alejandro Alex Alice Amara
Amelia Amir Ana Andrea Andrei Anika Anna Antoine Arjun Astrid Ava Ayesha Beatriz Ben Bianca Bilal
Camila Carlos Carmen Charlotte Chen Chiara Chloe Daniel Darius David Diego Dmitri Elena Eli Elif
Emeka Emil Emily Emma Erik Esther Ethan Eva Fatima Felix Fiona Freya Gabriel Georgia Grace Hamza
Hana Hannah Harper Hassan Hugo Ibrahim Ines Isaac Isabel Ivan Jack Jakob James Jana Javier Jin
Joao Jonas Jordan Jose Julia Kai Karim Kate Kemal Kenji Kiran Lara Layla Leah Lena Leo Liam Lina
Lucas Lucia Luis Maya Marco Maria Marta Mateo Matteo Maxim Mia Mila Mohammed Nadia Naomi Nia Nikhil
Nina Noah Nora Oliver Olivia Omar Oscar Owen Paolo Priya Rafael Rahul Rania Ravi Rosa Ruby Ryan
Sakura Samuel Sara Sebastian Selin Sofia Sophie Stefan Tariq Theo Tomas Valentina Victor Wei Yara
Yusuf Zara Zoe""".split()
LAST_NAMES = """Abara Adeyemi Ahmed Ali Almeida Andersen Bakker Banerjee Becker Bianchi Brown Campbell
Carvalho Castro Chen Clarke Costa Cruz Das Davies Delgado Demir Diaz Dubois Edwards Evans Fernandes
Fischer Fontaine Garcia Ghosh Gomez Gonzalez Green Gupta Hall Hansen Hassan Hernandez Hill Hoffmann
Hughes Ibrahim Ivanova Jackson Jansen Jensen Johansson Johnson Jones Kaur Khan Kim Kowalski Kumar
Larsen Laurent Lee Lewis Li Lindqvist Lopez Martin Martinez Mehta Meyer Miller Mohammed Moore Morales
Moreau Murphy Nakamura Nguyen Nielsen Novak Nowak Obi Okafor Olsen Ortiz Osei Park Patel Pereira
Perez Petrov Phillips Popescu Quinn Rahman Ramirez Reddy Reyes Ribeiro Richter Roberts Robinson
Rodriguez Romano Rossi Ruiz Russo Saito Sanchez Santos Sato Schmidt Schneider Scott Shah Silva Singh
Smith Sokolov Souza Stewart Suzuki Tanaka Taylor Thomas Thompson Torres Turner Vargas Varga Walker
Wang Watson Weber White Williams Wilson Wojcik Wright Wu Yamamoto Yang Yilmaz Young Zhang Zhou""".split()

DESTINATIONS = ["Lisbon", "Porto", "Madrid", "Barcelona", "Rome", "Milan", "Athens", "Dubrovnik",
                "Reykjavik", "Oslo", "Copenhagen", "Stockholm", "Helsinki", "Berlin", "Munich",
                "Vienna", "Prague", "Krakow", "Budapest", "Amsterdam", "Dublin", "Edinburgh",
                "Nice", "Geneva", "Malaga", "Palma", "Tenerife", "Marrakech", "Istanbul", "New York",
                "Boston", "Toronto"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
PUBLIC_USERS = ["traveljo", "sam_flies", "mapsandbags", "priya.k", "tomtravels", "lenaontour",
                "wanderwes", "jetsetjules", "nomadnic", "the_real_ravi", "kateinthesky",
                "bagpacker", "milesmore_mia", "aislebob", "windowseat_wen", "globetrotgreta",
                "flyingfinn", "holidayhana", "weekendwill", "carryon_carl"]

# Texts, by category. Company signatures (the file's) appear only where the department is
# meant: unattributed brand texts carry none of them.
C_GENERAL, C_COMPETITOR, C_EMPLOYEE, C_EMPLOYEE_REPLY, C_COMPETITOR_REPLY = 0, 8, 9, 10, 18
DEPT_CATEGORY = {"marketing": 1, "care": 2, "pr": 3, "legal": 4, "hr": 5, "ir": 6, "product": 7}
DEPT_REPLY_CATEGORY = {d: c + 10 for d, c in DEPT_CATEGORY.items()}
TEMPLATES: dict[int, list[str]] = {
    C_GENERAL: [
        "Good morning from {dest}! Where are you flying this week?",
        "Window or aisle? Tell us below.",
        "Golden hour over {dest}, captured by one of our pilots.",
        "Throwback to our very first flight to {dest}.",
        "Which city should we fly to next? {dest} is already on the list.",
        "Clear skies over {dest} today. Have a great trip, everyone!",
        "A new menu takes off in {month}: local flavours from {dest} at 35,000 ft.",
        "Behind the scenes: how we turn an aircraft around in 35 minutes.",
        "Postcard from {dest}. Share yours with #NorthwindAir",
        "Cabin tour: a look inside our newest A321neo.",
    ],
    1: [  # marketing
        "Our new route to {dest} starts in {month}! #FlyNorthwind",
        "Flash sale: fares to {dest} from £{price}. Book by Sunday. #FlyNorthwind",
        "Weekend in {dest}? Return fares from £{price} this {month}. #FlyNorthwind",
        "Win two tickets to {dest}: tell us your dream trip below. #FlyNorthwind",
        "Members save 20% on flights to {dest} this week. #FlyNorthwind",
        "Summer schedule is live: more flights to {dest} than ever. #FlyNorthwind",
    ],
    2: [  # care
        "CS: Storms around {dest} may affect this evening's flights. Check your flight status in the app before you travel.",
        "CS: Bag drop in {dest} opens three hours before departure.",
        "Travelling with a buggy? Here's what you can bring on board. #NorthwindCares",
        "Our chat team is here 24/7 in the Northwind app. #NorthwindCares",
        "CS: Strike action in {dest} on Friday. Rebook for free in Manage my booking.",
        "Need special assistance? Let us know 48 hours before you fly. #NorthwindCares",
    ],
    3: [  # pr
        "Northwind Air welcomes its 60th aircraft to the fleet. #NorthwindNews",
        "Statement on today's air traffic control disruption in {dest}. #NorthwindNews",
        "Northwind Air named best short-haul airline of the year. #NorthwindNews",
        "Our crews raised £{price},000 for children's hospitals this year. #NorthwindNews",
        "New partnership brings more connections through {dest}. #NorthwindNews",
    ],
    4: [  # legal
        "Notice: updated conditions of carriage apply to bookings made from 1 {month}.",
        "Notice: terms and conditions of the {dest} prize draw are now on our website.",
        "Notice: our privacy policy has changed. Read the summary on our website.",
    ],
    5: [  # hr
        "We're hiring cabin crew in {dest}! Apply by the end of {month}. #NorthwindCareers",
        "Meet the engineers who keep our fleet flying. #NorthwindCareers",
        "Our graduate programme opens in {month}. #NorthwindCareers",
        "Pilot cadet applications are open for the {dest} base. #NorthwindCareers",
        "Proud to be a certified great place to work again this year. #NorthwindCareers",
    ],
    6: [  # ir
        "Northwind Air traffic statistics: load factor 87%, up 2 points. #NWIR",
        "Results webcast on {month} 12 at 08:00 UK time. #NWIR",
        "Northwind Air confirms its full-year guidance. #NWIR",
        "Annual general meeting: notice and documents are online. #NWIR",
    ],
    7: [  # product
        "New in the app: boarding passes in your wallet. #NorthwindLabs",
        "Testing faster Wi-Fi on our {dest} flights this {month}. #NorthwindLabs",
        "Seat maps now show legroom for every row. #NorthwindLabs",
        "Track your bag in real time from {dest}. #NorthwindLabs",
        "Beta testers wanted for our redesigned booking flow. #NorthwindLabs",
    ],
    C_COMPETITOR: [
        "{brand}: fares to {dest} from £{price}. {tag}",
        "Fly {brand} to {dest} this {month}. {tag}",
        "Good morning from {dest}! {tag}",
        "New route alert: {dest} from {month}. {tag}",
        "Thank you for flying {brand}! Share your photos with {tag}",
        "Travel update: flights to {dest} are operating normally today.",
    ],
    C_EMPLOYEE: [
        "Proud of the {team} team today: months of work on our {dest} launch paid off.",
        "Great to meet so many colleagues at our {dest} base this week.",
        "Hiring! We're looking for people to join {team} at Northwind Air.",
        "Lovely view on the approach into {dest} this morning.",
        "Three things I learned in my first year in {team}.",
        "Five years at Northwind Air today. Thank you to everyone in {team}!",
        "Our new route to {dest} starts in {month}. So proud of this team.",
        "Volunteering day with colleagues from {team}.",
    ],
    C_EMPLOYEE_REPLY: [
        "@{user} Thank you! Glad you enjoyed the trip.",
        "@{user} Great question, I'll ask the team.",
        "@{user} Congratulations, well deserved!",
        "@{user} See you in {dest}!",
        "@{user} Thanks for sharing this.",
    ],
    11: [  # marketing replies
        "@{user} Glad you loved it! See you on board soon. #FlyNorthwind",
        "@{user} {dest} is a great choice. Fares start at £{price}. #FlyNorthwind",
    ],
    12: [  # care replies
        "CS: Hi @{user}, sorry to hear about your bag. Please DM us the file reference and we'll chase it.",
        "CS: @{user} we're sorry about the delay today. Your rebooking options are in the app.",
        "@{user} Sorry for the trouble. Please send us a DM with your booking reference. #NorthwindCares",
        "CS: @{user} thanks for letting us know, we've passed this to the airport team in {dest}.",
    ],
    13: [  # pr replies
        "@{user} Our full statement is in our newsroom. #NorthwindNews",
        "@{user} Please contact our press office for interview requests. #NorthwindNews",
    ],
    14: [  # legal replies
        "Notice: @{user}, we can't discuss individual claims in public. Please use the claims form on our website.",
        "Notice: @{user}, please see our conditions of carriage for the details.",
    ],
    15: [  # hr replies
        "@{user} Applications for the {dest} base close at the end of {month}. #NorthwindCareers",
        "@{user} Thanks for your interest! All open roles are on our careers page. #NorthwindCareers",
    ],
    16: [  # ir replies
        "@{user} The results presentation is on our investor site. #NWIR",
        "@{user} Please contact our investor relations team by email. #NWIR",
    ],
    17: [  # product replies
        "@{user} Thanks for the feedback on the app, we've passed it to the team. #NorthwindLabs",
        "@{user} A fix for this is rolling out this week. #NorthwindLabs",
    ],
    C_COMPETITOR_REPLY: [
        "@{user} Sorry to hear that. Please send us a DM with your booking reference.",
        "@{user} Thanks for flying with us!",
        "@{user} We're looking into this and will get back to you shortly.",
        "@{user} Flights to {dest} are operating as planned today.",
    ],
}
# Share of the company's brand posts by category (general, marketing, care, pr, legal, hr,
# ir, product) on each platform.
BRAND_MIX_DEFAULT = [0.30, 0.35, 0.10, 0.09, 0.02, 0.06, 0.02, 0.06]
BRAND_MIX = {
    "x": [0.25, 0.30, 0.18, 0.12, 0.03, 0.04, 0.03, 0.05],
    "linkedin": [0.20, 0.15, 0.03, 0.15, 0.03, 0.25, 0.12, 0.07],
    "youtube": [0.40, 0.30, 0.05, 0.05, 0.00, 0.05, 0.00, 0.15],
    "instagram": [0.40, 0.40, 0.05, 0.04, 0.01, 0.07, 0.00, 0.03],
}
MIX_CATEGORIES = [C_GENERAL, 1, 2, 3, 4, 5, 6, 7]


# --- Public interface -----------------------------------------------------------------

def holds_real_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse holds anything but demo data.

    That is: its ``warehouse_meta`` ``dataset`` is not ``'demo'`` while any of posts,
    account_daily, interactions or connector_runs has rows. An empty warehouse is not
    real data.
    """
    try:
        row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'dataset'").fetchone()
    except duckdb.CatalogException:
        row = None
    if row is not None and row[0] == "demo":
        return False
    for table in ("posts", "account_daily", "interactions", "connector_runs"):
        try:
            if con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
                return True
        except duckdb.CatalogException:
            continue
    return False


def demo_location(loc: str) -> str:
    """Where to build the demo when the warehouse at ``loc`` holds real data: a file of its
    own beside it (the demo never replaces real data)."""
    if not is_file_location(loc):
        return "data/demo.duckdb"
    path = Path(loc)
    other = path.with_name("demo.duckdb")
    if other == path:
        other = path.with_name("demo-2.duckdb")
    return str(other)


def build_demo(
    con: duckdb.DuckDBPyConnection,
    *,
    scale: str = "small",
    seed: int = 7,
    today: dt.date | None = None,
    progress: Progress = None,
) -> dict[str, int]:
    """Fill the warehouse (already opened for writing, schema present) with the demo data
    set, replacing everything in it. Returns rows per table.

    The data covers the 731 days that end ``today`` (default: today in the file's time
    zone) and stops at the start of ``today``, local time: same seed and same ``today``
    give the same rows.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown demo scale {scale!r} (choose from {', '.join(SCALES)})")
    return _Builder(con, SCALES[scale], scale, int(seed), today, progress).run()


# --- The builder ----------------------------------------------------------------------

def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


class _Builder:
    def __init__(self, con, scale: Scale, scale_name: str, seed: int, today: dt.date | None, progress: Progress):
        self.con = con
        self.scale = scale
        self.scale_name = scale_name
        self.seed = seed
        self.progress = progress
        self.config: Config = load_config(EXAMPLE_PATH, required=True)
        self.tz = self.config.tz
        self.today = today or dt.datetime.now(self.tz).date()
        root = np.random.default_rng(seed)
        names = ("orgs", "employees", "accounts", "campaigns", "followers", "posts", "inbound")
        self.rng = dict(zip(names, root.spawn(len(names))))
        self.dept_ids = [d.id for d in self.config.departments]
        self.dept_names = {d.id: d.name for d in self.config.departments}
        self.company = self.config.company.id
        self.post_seq = 0
        self.interaction_seq = 0
        self._calendar()

    # Calendar: day i is today - (DAYS - 1 - i); local midnights in UTC seconds; offsets.
    def _calendar(self) -> None:
        self.dates = [self.today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
        midnight, off_midnight, off_noon, weekday = [], [], [], []
        for d in self.dates:
            m = dt.datetime.combine(d, dt.time(0), tzinfo=self.tz)
            n = dt.datetime.combine(d, dt.time(12), tzinfo=self.tz)
            naive = dt.datetime.combine(d, dt.time(0)).replace(tzinfo=dt.timezone.utc).timestamp()
            midnight.append(naive)
            off_midnight.append(m.utcoffset().total_seconds())
            off_noon.append(n.utcoffset().total_seconds())
            weekday.append(d.weekday())
        self.local_midnight_naive = np.array(midnight, dtype=np.int64)  # local wall clock as if UTC
        self.off_midnight = np.array(off_midnight, dtype=np.int64)
        self.off_noon = np.array(off_noon, dtype=np.int64)
        self.weekday = np.array(weekday, dtype=np.int64)
        self.month = np.array([d.month - 1 for d in self.dates], dtype=np.int64)
        self.epoch_day = np.array([(d - dt.date(1970, 1, 1)).days for d in self.dates], dtype=np.int64)
        self.as_of_s = int(dt.datetime.combine(self.today, dt.time(0), tzinfo=self.tz).timestamp())
        self.as_of_us = self.as_of_s * 1_000_000
        bh = self.config.business_hours
        self.business_days = np.array([((w + 1) in bh.weekday_numbers) for w in range(7)])
        self.bh_start, self.bh_end = bh.start_minute, bh.end_minute
        # Days to the next business day, from each weekday.
        self.next_business = np.array(
            [next(k for k in range(1, 8) if self.business_days[(w + k) % 7]) for w in range(7)], dtype=np.int64
        )

    def utc_us(self, day: np.ndarray, second_of_day: np.ndarray, micro: np.ndarray) -> np.ndarray:
        """Local (day, second of day) to UTC microseconds since the epoch."""
        offset = np.where(second_of_day >= 3 * 3600, self.off_noon[day], self.off_midnight[day])
        return (self.local_midnight_naive[day] + second_of_day - offset) * 1_000_000 + micro

    # -- run ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        con = self.con
        # The build's own run is recorded with the wall clock (when it really started and
        # ended), not the data's "as of" moment: Data health and the banner's "built at" must
        # agree. The rows themselves depend on the seed and ``today`` only.
        build_started = dt.datetime.now(dt.timezone.utc)
        _say(self.progress, "Clearing the warehouse")
        # DELETE of millions of indexed rows is slow in DuckDB (minutes at the large
        # scale); the big tables are dropped and created again from the schema instead.
        dropped = False
        for table in TABLES:
            if table in _BIG_TABLES and con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 100_000:
                con.execute(f"DROP TABLE {table}")
                dropped = True
            else:
                con.execute(f"DELETE FROM {table}")
        if dropped:
            ensure_schema(con)
            _checkpoint(con)  # so that the new rows reuse the dropped tables' blocks
        con.execute("DELETE FROM warehouse_meta WHERE key IN ('dataset', 'demo_scale', 'demo_seed', 'demo_built_at')")

        _say(self.progress, "Organizations, departments and accounts")
        sync_config(con, self.config)
        con.execute("DELETE FROM goals")
        self._organizations()
        self._accounts()
        self._campaigns()
        self._lookup_tables()
        try:
            self._followers_and_posts()
            self._interactions()
            _say(self.progress, "Goals")
            self._goals()
        finally:
            for name in ("_demo_acc", "_demo_tpl"):
                con.execute(f"DROP TABLE IF EXISTS temp.{name}")

        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        total = sum(v for t, v in counts.items() if t != "connector_runs")
        build_finished = dt.datetime.now(dt.timezone.utc)
        con.execute(
            "INSERT INTO connector_runs VALUES (?, 'demo', ?, ?, 'ok', ?, NULL)",
            [f"demo-{self.scale_name}-{self.seed}-{self.today.isoformat()}", build_started, build_finished, total],
        )
        counts["connector_runs"] = 1
        meta = pd.DataFrame({
            "key": ["dataset", "demo_scale", "demo_seed", "demo_built_at"],
            "value": ["demo", self.scale_name, str(self.seed), build_finished.isoformat(timespec="seconds")],
        })
        upsert(con, "warehouse_meta", meta)
        _say(self.progress, "Done")
        return counts

    # -- organizations and accounts ---------------------------------------------------------

    def _organizations(self) -> None:
        """The file's organizations, and at the large scale synthesized competitors."""
        rng = self.rng["orgs"]
        self.org_profile = {k: dict(v) for k, v in ORG_PROFILE.items()}
        for org in self.config.organizations:
            self.org_profile.setdefault(org.id, dict(size=0.4, growth=1.0, post=0.8, er=1.0,
                                                     response=(60, "mult", 3.0, 0.1)))
        self.extra_accounts: list[tuple] = []
        n = self.scale.extra_competitors
        if not n:
            return
        names = rng.choice(EXTRA_COMPETITORS, size=n, replace=False)
        rows = []
        for name in names:
            slug = re.sub(r"[^a-z0-9]", "", name.lower())
            suffix = rng.choice(["Air", "Airlines", "Airways"])
            rows.append((slug, f"{name} {suffix}", False))
            mode = "mult" if rng.random() < 0.5 else "wait"
            self.org_profile[slug] = dict(
                size=float(rng.uniform(0.1, 0.5)), growth=float(rng.uniform(0.2, 1.6)),
                post=float(rng.uniform(0.5, 1.2)), er=float(rng.uniform(0.6, 1.6)),
                response=(float(rng.uniform(15, 180)), mode, float(rng.uniform(2, 6)), float(rng.uniform(0.04, 0.3))),
            )
            handles = {"x": f"{slug}air", "facebook": f"{slug}airlines", "instagram": f"{slug}air",
                       "youtube": f"@{slug}air", "linkedin": f"{slug}-airlines",
                       "mastodon": f"{slug}@mastodon.social", "bluesky": f"{slug}.bsky.social"}
            for platform, handle in handles.items():
                if platform == "x" or rng.random() < 0.6:
                    self.extra_accounts.append((account_id(platform, handle), slug, platform, handle, None, None))
        upsert(self.con, "organizations", pd.DataFrame(rows, columns=["org_id", "name", "is_self"]))

    def _employees(self) -> pd.DataFrame:
        """Generated employees with one department each and 1-2 accounts each."""
        rng = self.rng["employees"]
        n = self.scale.employees
        taken = {p.name for p in self.config.people}
        pairs = len(FIRST_NAMES) * len(LAST_NAMES)
        picks = rng.choice(pairs, size=min(pairs, n + len(taken) + 10), replace=False)
        names = [f"{FIRST_NAMES[i // len(LAST_NAMES)]} {LAST_NAMES[i % len(LAST_NAMES)]}" for i in picks]
        names = [x for x in names if x not in taken][:n]
        depts = list(EMPLOYEE_SPREAD)
        weights = np.array([EMPLOYEE_SPREAD[d] for d in depts])
        dept_of = rng.choice(len(depts), size=len(names), p=weights / weights.sum())
        platforms = list(EMPLOYEE_PLATFORMS)
        pw = np.array([EMPLOYEE_PLATFORMS[p] for p in platforms])
        n_accounts = np.where(rng.random(len(names)) < 0.5, 1, 2)
        # Platforms without replacement, weighted: Gumbel top-k.
        keys = np.log(pw)[None, :] - np.log(-np.log(rng.random((len(names), len(platforms)))))
        order = np.argsort(-keys, axis=1)
        used = {p: set() for p in PLATFORMS}
        for acc in configured_accounts(self.config).itertuples():
            used[acc.platform].add(acc.handle.lower())
        rows = []
        for i, name in enumerate(names):
            first, last = name.lower().split(" ", 1)
            last = last.replace(" ", "")
            for k in range(n_accounts[i]):
                platform = platforms[order[i, k]]
                base = {"linkedin": f"{first}-{last}", "x": f"{first}_{last}"[:13],
                        "bluesky": f"{first}-{last}.bsky.social", "mastodon": f"{first}_{last}@mastodon.social"}[platform]
                handle, num = base, 1
                while handle in used[platform]:
                    num += 1
                    if platform == "bluesky":
                        handle = f"{first}-{last}{num}.bsky.social"
                    elif platform == "mastodon":
                        handle = f"{first}_{last}{num}@mastodon.social"
                    elif platform == "x":
                        handle = f"{base}{num}"
                    else:
                        handle = f"{base}-{num}"
                used[platform].add(handle)
                rows.append((account_id(platform, handle), self.company, platform, handle, depts[dept_of[i]], name))
        return pd.DataFrame(rows, columns=["account_id", "org_id", "platform", "handle", "department_id", "person"])

    def _accounts(self) -> None:
        """Every account with its generation parameters (self.acc, indexed 0..n-1)."""
        rng = self.rng["accounts"]
        configured = configured_accounts(self.config)
        extra = pd.DataFrame(self.extra_accounts, columns=configured.columns)
        employees = self._employees()
        upsert(self.con, "accounts", pd.concat([extra, employees], ignore_index=True))
        acc = pd.concat([configured, extra, employees], ignore_index=True)
        acc = acc.drop_duplicates("account_id", keep="first").reset_index(drop=True)
        # Official accounts first, employees after: chunks of employees are uniform.
        acc["is_employee"] = acc["person"].notna()
        acc = acc.sort_values("is_employee", kind="stable").reset_index(drop=True)
        n = len(acc)
        acc["idx"] = np.arange(n)
        acc["is_company"] = acc["org_id"] == self.company
        acc["is_dept"] = acc["department_id"].notna() & ~acc["is_employee"]
        first_of_org = ~acc.duplicated(["org_id", "platform"]) & ~acc["is_dept"] & ~acc["is_employee"]
        acc["kind"] = np.select(
            [acc["is_employee"], acc["is_dept"], first_of_org], ["employee", "dept", "brand"], "secondary"
        )
        acc["brand_company"] = (acc["kind"] == "brand") & acc["is_company"]

        start = np.zeros(n, dtype=np.int64)
        f_start = np.zeros(n)
        f_end = np.zeros(n)
        accel = np.zeros(n)          # extra weight of growth over the last 240 days
        post_rate = np.zeros(n)
        inbound = np.zeros(n)
        er = np.zeros(n)
        stop = np.full(n, DAYS, dtype=np.int64)  # employees may stop posting

        official = ~acc["is_employee"].to_numpy()
        jitter = rng.uniform(0.85, 1.15, size=n)
        for i, row in enumerate(acc.itertuples()):
            if row.is_employee:
                continue
            prof = self.org_profile[row.org_id]
            p = row.platform
            years = 2.0
            if row.kind == "dept":
                size, rate, inb, young, first = DEPT_ACCOUNTS.get(
                    (row.department_id, p), (20_000, 0.6, 1.0, None, None))
                f_end[i] = size * jitter[i]
                growth = 0.15
                post_rate[i] = rate
                inbound[i] = inb
                if young:
                    start[i] = DAYS - 1 - young
                    f_start[i] = first
                else:
                    f_start[i] = f_end[i] * math.exp(-growth * years)
            else:
                size = BRAND_SIZE[p] * (prof["size"] if row.org_id != self.company else 1.0)
                if row.kind == "secondary":
                    size *= 0.12
                f_end[i] = size * jitter[i]
                growth = BRAND_GROWTH[p] * prof["growth"]
                post_rate[i] = POST_RATE[p] * prof["post"] * (0.7 if row.kind == "secondary" else 1.0)
                weight = 1.0 if row.org_id == self.company else prof["size"] ** 0.7
                inbound[i] = INBOUND_RATE[p] * weight * (0.8 if row.kind == "secondary" else 1.0)
                late = LATE_BRANDS.get((row.org_id, p))
                if late:
                    start[i] = DAYS - 1 - late[0]
                    f_start[i] = late[1]
                else:
                    f_start[i] = f_end[i] * math.exp(-growth * years)
            er[i] = ENGAGEMENT_RATE[p] * prof["er"]
        post_rate[official] = np.clip(post_rate[official], 0.5, 4.0)

        # The company leads every platform's audience, except contoso on instagram, which
        # overtakes it during the last six months (faster growth over the last 240 days).
        plat = acc["platform"].to_numpy()
        org = acc["org_id"].to_numpy()
        for p in PLATFORMS:
            company_total = f_end[official & (plat == p) & (org == self.company)].sum()
            for o in set(org[official & (plat == p)]) - {self.company}:
                mask = official & (plat == p) & (org == o)
                if o == "contoso" and p == "instagram":
                    share = f_end[mask] / f_end[mask].sum()
                    f_start[mask] = share * 0.45 * company_total
                    f_end[mask] = share * 1.22 * company_total
                    accel[mask] = 4.0
                elif f_end[mask].sum() > 0.88 * company_total:
                    factor = 0.88 * company_total / f_end[mask].sum()
                    f_end[mask] *= factor
                    f_start[mask] *= factor

        # Employees: audiences 100-5k, accounts opened at various times, a few posts a month;
        # some have gone quiet over the last month.
        emp = acc["is_employee"].to_numpy()
        m = int(emp.sum())
        f_end[emp] = np.clip(rng.lognormal(math.log(700), 0.8, m), 100, 5000)
        from_start = rng.random(m) < 0.45
        start[emp] = np.where(from_start, 0, rng.integers(0, DAYS - 60, m))
        growth_e = rng.uniform(0.1, 0.9, m)
        f_start[emp] = np.maximum(20, f_end[emp] * np.exp(-growth_e * (DAYS - 1 - start[emp]) / 365))
        post_rate[emp] = np.clip(rng.lognormal(math.log(self.scale.employee_post_rate), 0.6, m), 0.02, 0.5)
        quiet = rng.random(m) < 0.3
        stop[emp] = np.where(quiet, rng.integers(DAYS - 200, DAYS - 31, m), DAYS)
        er[emp] = np.array([ENGAGEMENT_RATE[p] for p in plat[emp]]) * 2.5
        f_start = np.minimum(f_start, f_end)

        acc["start"] = start
        acc["f_start"] = f_start
        acc["f_end"] = f_end
        acc["accel"] = accel
        acc["post_rate"] = post_rate
        acc["inbound"] = inbound
        acc["er"] = er
        acc["stop"] = stop
        acc["org_code"] = pd.Categorical(acc["org_id"]).codes
        acc["plat_code"] = acc["platform"].map(PLATFORM_INDEX).astype(np.int64)
        acc["dept_code"] = acc["department_id"].map({d: i for i, d in enumerate(self.dept_ids)}).fillna(-1).astype(np.int64)
        self.acc = acc

    def _campaigns(self) -> None:
        """Campaign days per organization (audience jumps, more posts and engagement, more
        inbound items), and incident days of the company (a burst of inbound items)."""
        rng = self.rng["campaigns"]
        self.campaign = {}
        orgs = sorted(set(self.acc["org_id"]))
        for o in orgs:
            k = 6 if o == self.company else int(rng.integers(3, 6))
            self.campaign[o] = np.sort(rng.choice(np.arange(20, DAYS - 3), size=k, replace=False))
        self.incidents = np.sort(rng.choice(np.arange(30, DAYS - 10), size=3, replace=False))
        # Per-organization daily multipliers.
        self.org_codes = {o: i for i, o in enumerate(pd.Categorical(self.acc["org_id"]).categories)}
        n_orgs = len(self.org_codes)
        self.campaign_boost = np.ones((n_orgs, DAYS))
        self.inbound_boost = np.ones((n_orgs, DAYS))
        for o, days in self.campaign.items():
            c = self.org_codes[o]
            self.campaign_boost[c, days] = 1.8
            self.inbound_boost[c, days] *= 2.5
            self.inbound_boost[c, np.minimum(days + 1, DAYS - 1)] *= 1.5
        c = self.org_codes[self.company]
        self.inbound_boost[c, self.incidents] *= 5.0
        self.inbound_boost[c, self.incidents + 1] *= 2.5

    def _lookup_tables(self) -> None:
        """Temporary tables the inserts join: accounts' strings, and the text templates."""
        acc = self.acc
        prefix = []
        suffix = []
        for p, h in zip(acc["platform"], acc["handle"]):
            h = h.lstrip("@")
            if p == "x":
                prefix.append(f"https://x.com/{h}/status/"); suffix.append("")
            elif p == "bluesky":
                prefix.append(f"https://bsky.app/profile/{h}/post/"); suffix.append("")
            elif p == "mastodon":
                user, instance = h.split("@", 1)
                prefix.append(f"https://{instance}/@{user}/"); suffix.append("")
            elif p == "youtube":
                prefix.append("https://www.youtube.com/watch?v="); suffix.append("")
            elif p == "facebook":
                prefix.append(f"https://www.facebook.com/{h}/posts/"); suffix.append("")
            elif p == "instagram":
                prefix.append("https://www.instagram.com/p/"); suffix.append("/")
            else:
                prefix.append("https://www.linkedin.com/feed/update/urn:li:activity:"); suffix.append("/")
        org_names = {o.id: o.name for o in self.config.organizations}
        org_names.update(dict(self.con.execute("SELECT org_id, name FROM organizations").fetchall()))
        brand = [org_names.get(o, o) for o in acc["org_id"]]
        tag = ["#Fly" + re.sub(r"[^A-Za-z0-9]", "", b.split(" ")[0]) for b in brand]
        team = [self.dept_names.get(d, "") if isinstance(d, str) else "" for d in acc["department_id"]]
        frame = pd.DataFrame({
            "idx": acc["idx"].astype(np.int64), "account_id": acc["account_id"], "platform": acc["platform"],
            "url_prefix": prefix, "url_suffix": suffix, "brand": brand, "tag": tag, "team": team,
        })
        self.con.register("_demo_acc_frame", frame)
        self.con.execute("CREATE OR REPLACE TEMP TABLE _demo_acc AS SELECT * FROM _demo_acc_frame")
        self.con.unregister("_demo_acc_frame")
        rows = [(cat, i, text) for cat, texts in TEMPLATES.items() for i, text in enumerate(texts)]
        tpl = pd.DataFrame(rows, columns=["cat", "i", "text"])
        self.con.register("_demo_tpl_frame", tpl)
        self.con.execute("CREATE OR REPLACE TEMP TABLE _demo_tpl AS SELECT * FROM _demo_tpl_frame")
        self.con.unregister("_demo_tpl_frame")
        self.template_count = np.zeros(max(TEMPLATES) + 1, dtype=np.int64)
        for cat, texts in TEMPLATES.items():
            self.template_count[cat] = len(texts)

    # -- followers and posts ---------------------------------------------------------------

    def _followers_and_posts(self) -> None:
        n = len(self.acc)
        step = self.scale.account_chunk
        chunks = list(range(0, n, step))
        rngs = self.rng["followers"].spawn(len(chunks))
        post_rngs = self.rng["posts"].spawn(len(chunks))
        for k, lo in enumerate(chunks):
            hi = min(n, lo + step)
            _say(self.progress, f"Followers and posts: accounts {lo + 1}-{hi} of {n}")
            followers = self._follower_paths(np.arange(lo, hi), rngs[k])
            self._posts(np.arange(lo, hi), followers, post_rngs[k])

    def _follower_paths(self, idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Daily followers (accounts x days, 0 before an account's start), inserted."""
        acc = self.acc
        n = len(idx)
        start = acc["start"].to_numpy()[idx]
        f0 = acc["f_start"].to_numpy()[idx]
        f1 = acc["f_end"].to_numpy()[idx]
        accel = acc["accel"].to_numpy()[idx]
        employee = acc["is_employee"].to_numpy()[idx]
        org_code = acc["org_code"].to_numpy()[idx]
        days = np.arange(DAYS)
        active = days[None, :] > start[:, None]          # growth happens after the first day
        total = np.log(f1 / f0)
        # Trend weights: weekly seasonality, noise, faster growth right after an account
        # opens, an optional acceleration over the last 240 days.
        weights = WEEKDAY_GROWTH[self.weekday][None, :] * rng.lognormal(0.0, 0.35, (n, DAYS))
        age = np.maximum(days[None, :] - start[:, None], 0)
        young = start > 0
        weights = np.where(young[:, None], weights * (1 + 3.0 / (1 + age / 30.0)), weights)
        weights = weights * (1 + accel[:, None] * (days[None, :] >= DAYS - 240))
        weights = np.where(active, weights, 0.0)
        # Campaign jumps (brand and department accounts only): the day and half the next.
        spikes = np.zeros((n, DAYS))
        for o, camp_days in self.campaign.items():
            rows = np.nonzero((org_code == self.org_codes[o]) & ~employee)[0]
            if len(rows) == 0:
                continue
            jump = rng.uniform(0.004, 0.025, (len(rows), len(camp_days)))
            spikes[np.ix_(rows, camp_days)] += jump
            spikes[np.ix_(rows, np.minimum(camp_days + 1, DAYS - 1))] += jump / 2
        spikes = np.where(active, spikes, 0.0)
        spike_sum = spikes.sum(axis=1)
        cap = np.where(spike_sum > 0.5 * total, 0.5 * total / np.maximum(spike_sum, 1e-12), 1.0)
        spikes *= cap[:, None]
        # A few days of net unfollows.
        span = np.maximum(DAYS - 1 - start, 1)
        losses = np.where(active & (rng.random((n, DAYS)) < 0.03),
                          rng.random((n, DAYS)) * 3 * (total / span)[:, None], 0.0)
        trend = total - spikes.sum(axis=1) + losses.sum(axis=1)
        wsum = np.maximum(weights.sum(axis=1), 1e-12)
        inc = trend[:, None] * weights / wsum[:, None] + spikes - losses
        log_f = np.log(f0)[:, None] + np.cumsum(inc, axis=1)
        followers = np.rint(np.exp(log_f)).astype(np.int64)
        followers = np.where(days[None, :] >= start[:, None], followers, 0)

        rows, cols = np.nonzero(days[None, :] >= start[:, None])
        frame = pd.DataFrame({
            "acc": idx[rows].astype(np.int64),
            "day": self.epoch_day[cols],
            "followers": followers[rows, cols],
        })
        self._insert("account_daily", frame, """
            SELECT a.account_id, DATE '1970-01-01' + CAST(c.day AS INTEGER), c.followers
            FROM _demo_chunk c JOIN _demo_acc a ON a.idx = c.acc""")
        return followers

    def _posts(self, idx: np.ndarray, followers: np.ndarray, rng: np.random.Generator) -> None:
        """Original posts (and employees' replies) of these accounts."""
        acc = self.acc
        start = acc["start"].to_numpy()[idx]
        stop = acc["stop"].to_numpy()[idx]
        rate = acc["post_rate"].to_numpy()[idx]
        org_code = acc["org_code"].to_numpy()[idx]
        employee = acc["is_employee"].to_numpy()[idx]
        days = np.arange(DAYS)
        lam = rate[:, None] * WEEKDAY_POSTS[self.weekday][None, :]
        lam = lam * np.where(employee[:, None], 1.0, self.campaign_boost[org_code])
        live = (days[None, :] >= start[:, None]) & (days[None, :] < stop[:, None]) & (days[None, :] < DAYS - 1)
        counts = rng.poisson(np.where(live, lam, 0.0))
        rows, cols = np.nonzero(counts)
        reps = counts[rows, cols]
        local = np.repeat(rows, reps)
        day = np.repeat(cols, reps)
        k = len(local)
        if k == 0:
            return
        emp = employee[local]
        hour = np.where(emp, rng.choice(24, k, p=EMPLOYEE_HOURS / EMPLOYEE_HOURS.sum()),
                        rng.choice(24, k, p=BRAND_HOURS / BRAND_HOURS.sum()))
        second = hour * 3600 + rng.integers(0, 3600, k)
        created = self.utc_us(day, second, rng.integers(0, 1_000_000, k))
        keep = created < self.as_of_us - 60_000_000
        local, day, created, emp = local[keep], day[keep], created[keep], emp[keep]
        k = len(local)
        a = idx[local]
        is_reply = emp & (rng.random(k) < 0.2)
        # Texts and department attribution.
        category = np.full(k, C_COMPETITOR, dtype=np.int64)
        dept = np.full(k, -1, dtype=np.int64)
        plat = acc["plat_code"].to_numpy()[a]
        kind = acc["kind"].to_numpy()[a]
        is_company = acc["is_company"].to_numpy()[a]
        acc_dept = acc["dept_code"].to_numpy()[a]
        brand = (kind == "brand") & is_company
        if brand.any():
            mix = np.array([np.cumsum(BRAND_MIX.get(p, BRAND_MIX_DEFAULT)) for p in PLATFORMS])
            mix = mix / mix[:, -1:]
            u = rng.random(k)
            pick = (u[:, None] > mix[plat]).sum(axis=1)
            cat = np.array(MIX_CATEGORIES)[np.minimum(pick, len(MIX_CATEGORIES) - 1)]
            category = np.where(brand, cat, category)
            cat_dept = {c: self.dept_ids.index(d) for d, c in DEPT_CATEGORY.items() if d in self.dept_ids}
            dept_of_cat = np.full(max(TEMPLATES) + 1, -1, dtype=np.int64)
            for c, d in cat_dept.items():
                dept_of_cat[c] = d
            dept = np.where(brand, dept_of_cat[category], dept)
        dept_account = (kind == "dept") & is_company
        if dept_account.any():
            cat_of_dept = np.array([DEPT_CATEGORY.get(d, C_GENERAL) for d in self.dept_ids])
            category = np.where(dept_account, cat_of_dept[np.maximum(acc_dept, 0)], category)
        category = np.where(emp, np.where(is_reply, C_EMPLOYEE_REPLY, C_EMPLOYEE), category)
        # Engagement: heavy tailed, proportional to the followers on the day of posting.
        f = followers[local, day].astype(float)
        rate_er = acc["er"].to_numpy()[a] * rng.lognormal(0.0, 0.9, k)
        viral = rng.random(k) < 0.01
        rate_er = np.where(viral, rate_er * rng.pareto(1.5, k) * 4 + rate_er, rate_er)
        rate_er = rate_er * np.where(emp, 1.0, self.campaign_boost[acc["org_code"].to_numpy()[a], day] ** 0.7)
        rate_er = np.minimum(rate_er, 0.6)
        age_h = (self.as_of_us - created) / 3.6e9
        matured = 1 - np.exp(-age_h / 8)
        eng = f * rate_er * matured
        eng = np.where(is_reply, eng * 0.05, eng)
        self._write_posts(rng, a, day, created, eng, is_reply, category, dept, f, matured)

    def _write_posts(self, rng, a, day, created, eng, is_reply, category, dept, followers, matured) -> None:
        k = len(a)
        if k == 0:
            return
        acc = self.acc
        plat = acc["plat_code"].to_numpy()[a]
        share_f = rng.uniform(0.03, 0.09, k)
        comment_f = rng.uniform(0.08, 0.18, k)
        total = rng.poisson(eng)
        shares = np.rint(total * share_f).astype(np.int64)
        comments = np.rint(total * comment_f).astype(np.int64)
        likes = np.maximum(total - shares - comments, 0).astype(np.int64)
        youtube = plat == PLATFORM_INDEX["youtube"]
        views = np.where(
            youtube,
            np.maximum(np.rint(followers * rng.lognormal(math.log(0.12), 1.0, k) * matured), likes * 20),
            -1,
        ).astype(np.int64)
        observed_gap = np.minimum(
            30 * 86_400_000_000 + rng.integers(0, 20 * 3_600_000_000, k),
            ((self.as_of_us - created) * rng.uniform(0.3, 1.0, k)).astype(np.int64),
        )
        observed = created + np.maximum(observed_gap, 1_000_000)
        observed = np.minimum(observed, self.as_of_us)
        seq = self.post_seq + np.arange(k, dtype=np.int64)
        self.post_seq += k
        frame = pd.DataFrame({
            "acc": a.astype(np.int64),
            "num": self._numeric_ids(plat, seq, POST_ID_BASE, rng),
            "h": _scramble(seq, 0x5EED),
            "created": created.astype(np.int64),
            "observed": observed.astype(np.int64),
            "likes": likes, "comments": comments, "shares": shares, "views": views,
            "is_reply": is_reply.astype(bool),
            "dept": dept.astype(np.int64) + 1,
            "cat": category.astype(np.int64),
            "tpl": (rng.random(k) * self.template_count[category]).astype(np.int64),
            "dest": rng.integers(0, len(DESTINATIONS), k) + 1,
            "month": (self.month[day] + rng.integers(1, 4, k)) % 12 + 1,
            "price": rng.integers(29, 300, k),
            "usr": rng.integers(0, len(PUBLIC_USERS), k) + 1,
        })
        self._insert("posts", frame, f"""
            SELECT platform, post_id, account_id, created_at, url_prefix || post_id || url_suffix, text,
                   likes, comments, shares, views, is_reply, department_id, observed_at
            FROM (
                SELECT a.platform, a.account_id, a.url_prefix, a.url_suffix,
                       {_ID_SQL.format(prefix="", suffix="")} AS post_id,
                       to_timestamp(0) + to_microseconds(c.created) AS created_at,
                       {_TEXT_SQL} AS text,
                       c.likes, c.comments, c.shares,
                       CASE WHEN c.views < 0 THEN NULL ELSE c.views END AS views,
                       c.is_reply, list_element($depts, CAST(c.dept AS INTEGER)) AS department_id,
                       to_timestamp(0) + to_microseconds(c.observed) AS observed_at
                FROM _demo_chunk c JOIN _demo_acc a ON a.idx = c.acc
                JOIN _demo_tpl t ON t.cat = c.cat AND t.i = c.tpl
            )""", self._text_params())

    def _text_params(self) -> dict:
        return {"depts": self.dept_ids, "dests": DESTINATIONS, "months": MONTHS, "users": PUBLIC_USERS}

    @staticmethod
    def _numeric_ids(plat: np.ndarray, seq: np.ndarray, bases: dict, rng) -> np.ndarray:
        base = np.array([bases.get(p, 0) for p in PLATFORMS], dtype=np.int64)[plat]
        return base + seq * 1000 + rng.integers(0, 1000, len(seq))

    # -- inbound items -------------------------------------------------------------------

    def _interactions(self) -> None:
        acc = self.acc
        eligible = (~acc["is_employee"]) & (acc["inbound"] > 0) & (
            acc["is_company"] | acc["platform"].isin(PUBLIC_REPLY_PLATFORMS))
        idx = np.nonzero(eligible.to_numpy())[0]
        rng = self.rng["inbound"]
        days = np.arange(DAYS)
        start = acc["start"].to_numpy()[idx]
        org_code = acc["org_code"].to_numpy()[idx]
        lam = (acc["inbound"].to_numpy()[idx][:, None] * self.scale.interaction_volume
               * (0.7 + 0.6 * days / DAYS)[None, :] * WEEKDAY_INBOUND[self.weekday][None, :]
               * self.inbound_boost[org_code])
        live = (days[None, :] >= start[:, None]) & (days[None, :] < DAYS - 1)
        counts = rng.poisson(np.where(live, lam, 0.0))
        # Groups of accounts of about interaction_chunk items each.
        per_account = counts.sum(axis=1)
        groups, current, size = [], [], 0
        for j, c in enumerate(per_account):
            current.append(j)
            size += c
            if size >= self.scale.interaction_chunk:
                groups.append(current)
                current, size = [], 0
        if current:
            groups.append(current)
        self._response_profiles()
        group_rngs = rng.spawn(len(groups))
        done, total = 0, int(per_account.sum())
        for g, rows_in_group in enumerate(groups):
            _say(self.progress, f"Inbound items: {done:,} of {total:,}")
            sub = np.array(rows_in_group)
            done += self._interaction_chunk(idx[sub], counts[sub], group_rngs[g])

    def _response_profiles(self) -> None:
        """Response profiles: the company's departments first, then every organization."""
        profiles = [DEPT_RESPONSE.get(d, (120, "wait", 1.0, 0.1)) for d in self.dept_ids]
        self.org_profile_offset = len(profiles)
        for o in pd.Categorical(self.acc["org_id"]).categories:
            profiles.append(self.org_profile[o].get("response", (30, "mult", 4.0, 0.08)))
        self.resp_median = np.array([p[0] for p in profiles], dtype=float)
        self.resp_wait = np.array([p[1] == "wait" for p in profiles])
        self.resp_mult = np.array([p[2] for p in profiles], dtype=float)
        self.resp_unanswered = np.array([p[3] for p in profiles], dtype=float)
        # Care accounts per platform, to answer brand mentions from the help account.
        acc = self.acc
        self.care_account = np.full(len(PLATFORMS), -1, dtype=np.int64)
        if "care" in self.dept_ids:
            care = acc[(acc["kind"] == "dept") & (acc["department_id"] == "care")]
            for row in care.itertuples():
                if self.care_account[row.plat_code] < 0:
                    self.care_account[row.plat_code] = row.idx

    def _interaction_chunk(self, idx: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> int:
        acc = self.acc
        rows, cols = np.nonzero(counts)
        reps = counts[rows, cols]
        a = idx[np.repeat(rows, reps)]
        day = np.repeat(cols, reps)
        k = len(a)
        if k == 0:
            return 0
        hour = rng.choice(24, k, p=CUSTOMER_HOURS / CUSTOMER_HOURS.sum())
        second = hour * 3600 + rng.integers(0, 3600, k)
        received = self.utc_us(day, second, rng.integers(0, 1_000_000, k))
        keep = received < self.as_of_us - 60_000_000
        a, day, second, received = a[keep], day[keep], second[keep], received[keep]
        k = len(a)
        plat = acc["plat_code"].to_numpy()[a]
        is_company = acc["is_company"].to_numpy()[a]
        kind = acc["kind"].to_numpy()[a]
        acc_dept = acc["dept_code"].to_numpy()[a]
        org_code = acc["org_code"].to_numpy()[a]

        # Who answers: the company's departments by account; competitors themselves.
        dept = np.where(is_company, acc_dept, -1)
        brand = is_company & (kind != "dept")
        answerers = [d for d in BRAND_ANSWERERS if d in self.dept_ids]
        if brand.any() and answerers:
            w = np.array([BRAND_ANSWERERS[d] for d in answerers])
            pick = rng.choice(len(answerers), k, p=w / w.sum())
            codes = np.array([self.dept_ids.index(d) for d in answerers])[pick]
            dept = np.where(brand, codes, dept)
        dept = np.where(is_company & (dept < 0), 0, dept)
        responder = a.copy()
        care_code = self.dept_ids.index("care") if "care" in self.dept_ids else -2
        care_acc = self.care_account[plat]
        care_start = acc["start"].to_numpy()[np.maximum(care_acc, 0)]
        from_help = brand & (dept == care_code) & (care_acc >= 0) & (care_start <= day) & (rng.random(k) < 0.5)
        responder = np.where(from_help, care_acc, responder)
        secondary_help = (~is_company) & (kind == "brand")
        # Competitors with a help account on the platform answer half the brand mentions from it.
        helper = self._competitor_helpers()
        helper_start = acc["start"].to_numpy()[np.maximum(helper[a], 0)]
        comp_help = secondary_help & (helper[a] >= 0) & (helper_start <= day) & (rng.random(k) < 0.5)
        responder = np.where(comp_help, helper[a], responder)

        profile = np.where(is_company, dept, self.org_profile_offset + org_code)
        median = self.resp_median[profile] * np.array([RESPONSE_PLATFORM_FACTOR[p] for p in PLATFORMS])[plat]
        delay = rng.lognormal(np.log(median), 0.85)
        weekday = self.weekday[day]
        minute = second // 60
        bday = self.business_days[weekday]
        in_hours = bday & (minute >= self.bh_start) & (minute < self.bh_end)
        wait = np.where(bday & (minute < self.bh_start), self.bh_start - minute,
                        self.next_business[weekday] * 1440 - minute + self.bh_start)
        off = np.where(self.resp_wait[profile], wait + delay, delay * self.resp_mult[profile])
        delay = np.where(in_hours, delay, off)
        late = rng.random(k) < 0.012
        delay = np.where(late, PENDING_MINUTES + rng.uniform(60, 5 * 1440, k), delay)
        delay = np.maximum(delay, 0.5)
        answered = rng.random(k) >= self.resp_unanswered[profile]
        first = received + (delay * 60_000_000).astype(np.int64) + rng.integers(0, 60_000_000, k)
        answered &= first < self.as_of_us - 1_000_000
        first = np.where(answered, first, -1)
        dept = np.where(answered & is_company, dept, -1)
        responder = np.where(answered, responder, -1)

        seq = self.interaction_seq + np.arange(k, dtype=np.int64)
        self.interaction_seq += k
        frame = pd.DataFrame({
            "acc": a.astype(np.int64),
            "num": self._numeric_ids(plat, seq, INTERACTION_ID_BASE, rng),
            "h": _scramble(seq, 0xC0FFEE),
            "received": received.astype(np.int64),
            "first": first.astype(np.int64),
            "responder": responder.astype(np.int64),
            "dept": dept.astype(np.int64) + 1,
        })
        self._insert("interactions", frame, f"""
            SELECT a.platform,
                   {_ID_SQL.format(prefix="'Ugx' || ", suffix=" || '4AaABAg'")},
                   a.account_id,
                   to_timestamp(0) + to_microseconds(c.received),
                   CASE WHEN c."first" < 0 THEN NULL ELSE to_timestamp(0) + to_microseconds(c."first") END,
                   r.account_id,
                   list_element($depts, CAST(c.dept AS INTEGER))
            FROM _demo_chunk c JOIN _demo_acc a ON a.idx = c.acc
            LEFT JOIN _demo_acc r ON r.idx = c.responder""", {"depts": self.dept_ids})

        # Public answers on x, bluesky and mastodon are posts of the answering account.
        public = answered & np.isin(plat, [PLATFORM_INDEX[p] for p in REPLY_POST_PLATFORMS]) & (rng.random(k) < 0.55)
        r = responder[public]
        rplat = acc["plat_code"].to_numpy()[r]
        same_platform = rplat == plat[public]
        r = r[same_platform]
        created = first[public][same_platform]
        rdept = dept[public][same_platform]
        r_kind = acc["kind"].to_numpy()[r]
        r_company = acc["is_company"].to_numpy()[r]
        r_brand = r_company & (r_kind == "brand")
        category = np.where(
            r_company,
            np.array([DEPT_REPLY_CATEGORY.get(d, 12) for d in self.dept_ids])[np.maximum(rdept, 0)],
            C_COMPETITOR_REPLY,
        )
        post_dept = np.where(r_brand, rdept, -1)
        m = len(r)
        if m:
            rday = np.searchsorted(self.local_midnight_naive - self.off_noon, created // 1_000_000, side="right") - 1
            rday = np.clip(rday, 0, DAYS - 1)
            matured = 1 - np.exp(-((self.as_of_us - created) / 3.6e9) / 8)
            eng = rng.lognormal(math.log(1.5), 1.0, m) * matured
            self._write_posts(rng, r, rday, created, eng, np.ones(m, dtype=bool), category, post_dept,
                              np.zeros(m), matured)
        return k

    def _competitor_helpers(self) -> np.ndarray:
        """For each account, a competitor's secondary (help) account on the same platform, or -1."""
        if hasattr(self, "_helpers"):
            return self._helpers
        acc = self.acc
        helpers = np.full(len(acc), -1, dtype=np.int64)
        secondary = acc[(acc["kind"] == "secondary") & ~acc["is_company"]]
        first = secondary.drop_duplicates(["org_id", "platform"]).set_index(["org_id", "platform"])["idx"]
        brands = acc[(acc["kind"] == "brand") & ~acc["is_company"]]
        for row in brands.itertuples():
            key = (row.org_id, row.platform)
            if key in first.index:
                helpers[row.idx] = first[key]
        self._helpers = helpers
        return helpers

    # -- goals ---------------------------------------------------------------------------

    def _goals(self) -> None:
        """Goals around today, with targets set from the data for a designed mix of statuses."""
        today = self.today
        month = today.replace(day=1)
        half_start = _add_months(month, -2)
        half_end = _add_months(half_start, 6) - dt.timedelta(days=1)
        year_start = _add_months(month, -5)
        year_end = _add_months(year_start, 12) - dt.timedelta(days=1)
        quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last_q = (_add_months(quarter, -3), quarter - dt.timedelta(days=1))
        next_q = (_add_months(quarter, 3), _add_months(quarter, 6) - dt.timedelta(days=1))
        depts = set(self.dept_ids)
        rows = []
        for goal_id, title, metric, period, goal_depts, status in _GOALS:
            assert metric in GOAL_METRICS
            goal_depts = [d for d in goal_depts if d in depts] or list(self.dept_ids)
            start, end = {"half": (half_start, half_end), "year": (year_start, year_end),
                          "last_q": last_q, "next_q": next_q}[period]
            if status == "not started":
                target = 70.0
            else:
                actual = self._goal_actual(metric, start, min(end, today), goal_depts)
                elapsed = ((min(today, end) - start).days + 1) / ((end - start).days + 1)
                target = _target_for(metric, actual, status, elapsed)
            label = _format_target(metric, target)
            rows.append((goal_id, title.format(target=label), metric, float(target), start, end, goal_depts))
        frame = pd.DataFrame(rows, columns=["goal_id", "title", "metric", "target", "period_start",
                                            "period_end", "departments"])
        upsert(self.con, "goals", frame)

    def _goal_actual(self, metric: str, start: dt.date, end: dt.date, depts: list[str]) -> float:
        """The metric over [start, end] (metrics.md), for the company and these departments."""
        con = self.con
        t0 = (dt.datetime.combine(start, dt.time(0), tzinfo=self.tz)).timestamp() * 1e6
        t1 = (dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=self.tz)).timestamp() * 1e6
        params = {"depts": depts, "t0": int(t0), "t1": int(t1), "start": start, "end": end,
                  "company": self.company, "now": self.as_of_us}
        if metric in ("likes", "engagements", "posts", "engagement_rate"):
            expr = {"likes": "sum(p.likes)", "engagements": "sum(p.likes + p.comments + p.shares)",
                    "posts": "count(*)", "engagement_rate": "avg((p.likes + p.comments + p.shares) / nullif(f.followers, 0))"}[metric]
            sql = f"""
                SELECT {expr} FROM (
                    SELECT p.*, timezone('{self.config.timezone}', p.created_at)::DATE AS local_day
                    FROM posts p JOIN accounts a USING (account_id)
                    WHERE a.org_id = $company AND NOT p.is_reply
                      AND list_contains($depts, coalesce(p.department_id, a.department_id))
                      AND p.created_at >= to_timestamp(0) + to_microseconds($t0)
                      AND p.created_at < to_timestamp(0) + to_microseconds($t1)
                ) p ASOF LEFT JOIN account_daily f ON p.account_id = f.account_id AND p.local_day >= f.day"""
        elif metric in ("followers", "follower_growth"):
            sql = """
                WITH per_account AS (
                    SELECT d.account_id,
                           arg_max(d.followers, d.day) FILTER (WHERE d.day <= $start) AS at_start,
                           arg_max(d.followers, d.day) AS at_end
                    FROM account_daily d JOIN accounts a USING (account_id)
                    WHERE a.org_id = $company AND a.person IS NULL AND list_contains($depts, a.department_id)
                      AND d.day <= $end
                    GROUP BY d.account_id)
                SELECT """ + ("sum(at_end)" if metric == "followers" else
                              "sum(at_end) FILTER (WHERE at_start IS NOT NULL) - sum(at_start)") + " FROM per_account"
        elif metric in ("median_response_minutes", "response_rate", "sla_attainment"):
            expr = {
                "median_response_minutes": "quantile_cont(minutes, 0.5)",
                "response_rate": f"count(*) FILTER (WHERE minutes < {PENDING_MINUTES}) / nullif(count(*) FILTER (WHERE NOT pending), 0)",
                "sla_attainment": f"count(*) FILTER (WHERE minutes <= {self.config.sla_minutes}) / nullif(count(*) FILTER (WHERE NOT pending), 0)",
            }[metric]
            sql = f"""
                SELECT {expr} FROM (
                    SELECT epoch(i.first_response_at - i.received_at) / 60.0 AS minutes,
                           i.first_response_at IS NULL
                             AND epoch_us(i.received_at) > $now - {PENDING_MINUTES * 60_000_000} AS pending
                    FROM interactions i JOIN accounts a USING (account_id)
                    WHERE a.org_id = $company AND a.person IS NULL
                      AND (list_contains($depts, a.department_id) OR list_contains($depts, i.department_id))
                      AND i.received_at >= to_timestamp(0) + to_microseconds($t0)
                      AND i.received_at < to_timestamp(0) + to_microseconds($t1))"""
        else:
            raise ValueError(f"no demo calibration for {metric}")
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        value = con.execute(sql, used).fetchone()[0]
        return float(value or 0.0)

    # -- inserting -----------------------------------------------------------------------

    def _insert(self, table: str, frame: pd.DataFrame, select_sql: str, params: dict | None = None) -> None:
        self.con.register("_demo_chunk", frame)
        try:
            self.con.execute(f"INSERT INTO {table} {select_sql}", params or {})
        finally:
            self.con.unregister("_demo_chunk")


# Goals: id, title ({target} = the target as shown), metric, period, departments, status by
# design. Periods: "half" = six months from the first day of the month two months ago;
# "year" = twelve months from five months ago; "last_q" = the last calendar quarter (over);
# "next_q" = the next calendar quarter (not begun).
_GOALS = [
    ("engagement-half", "Earn {target} engagements this half-year", "engagements", "half",
     ["marketing", "pr", "product"], "on track"),
    ("posts-teams", "Publish {target} posts from care, HR and product", "posts", "half",
     ["care", "hr", "product"], "at risk"),
    ("followers-service", "Reach {target} followers on the service and careers accounts", "followers", "year",
     ["care", "hr"], "achieved"),
    ("growth-news", "Grow the news and investor accounts by {target} followers", "follower_growth", "year",
     ["pr", "ir"], "off track"),
    ("response-rate-last-quarter", "Answer {target} of customer mentions", "response_rate", "last_q",
     ["care"], "achieved"),
    ("sla-half", "Answer {target} of mentions within the hour", "sla_attainment", "half",
     ["care", "marketing"], "at risk"),
    ("median-response-half", "Median first response under {target}", "median_response_minutes", "half",
     ["marketing", "pr", "product"], "off track"),
    ("coop-next-quarter", "Reach a co-op index of {target} next quarter", "coop_index", "next_q",
     ["marketing", "care", "pr", "legal", "hr", "ir", "product"], "not started"),
]

_LOWER_IS_BETTER = {"median_response_minutes"}
_CUMULATIVE = {"follower_growth", "likes", "engagements", "posts"}
_RATIOS = {"engagement_rate", "share_of_voice", "response_rate", "sla_attainment"}


def _status(metric: str, actual: float, target: float, elapsed: float) -> str:
    """The goal status of metrics.md (for a period that has begun)."""
    if metric in _LOWER_IS_BETTER:
        progress = target / actual if actual else math.inf
    else:
        progress = actual / target if target else math.inf
    if progress >= 1:
        return "achieved"
    if metric in _CUMULATIVE:
        if progress >= elapsed:
            return "on track"
        return "at risk" if progress >= elapsed - 0.10 else "off track"
    return "at risk" if progress >= 0.9 else "off track"


def _target_for(metric: str, actual: float, status: str, elapsed: float) -> float:
    """A round target that gives ``status`` for ``actual``."""
    if metric in _CUMULATIVE:
        progress = {"achieved": 1.1, "on track": elapsed + 0.4 * (1 - elapsed),
                    "at risk": elapsed - 0.05, "off track": max(elapsed - 0.3, elapsed / 2)}[status]
    else:
        progress = {"achieved": 1.06, "at risk": 0.95, "off track": 0.72}[status]
    if actual <= 0:
        return 1.0
    raw = actual * progress if metric in _LOWER_IS_BETTER else actual / progress
    for candidate in _round_candidates(metric, raw):
        if _status(metric, actual, candidate, elapsed) == status:
            return candidate
    return raw


def _round_candidates(metric: str, raw: float) -> list[float]:
    if metric in _RATIOS:
        return [round(raw, 2), round(raw, 3), raw]
    if metric in _LOWER_IS_BETTER:
        coarse = [float(round(raw / 30) * 30)] if raw >= 120 else []
        return coarse + [float(round(raw / 5) * 5 or 1), float(round(raw)), raw]
    digits = int(math.floor(math.log10(raw))) if raw > 0 else 0
    return [round(raw, -digits + 1), round(raw, -digits + 2), round(raw, -digits + 3), float(round(raw))]


def _format_target(metric: str, target: float) -> str:
    if metric in _RATIOS:
        return f"{target:.0%}" if round(target * 100, 6) == round(target * 100) else f"{target:.1%}"
    if metric in _LOWER_IS_BETTER:
        if target >= 120 and target % 30 == 0:
            return f"{target / 60:g} hours"
        return f"{target:.0f} minutes"
    if metric == "coop_index":
        return f"{target:.0f}"
    if target >= 1_000_000:
        return f"{target / 1_000_000:.3g} million"
    return f"{target:,.0f}"


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """CHECKPOINT a plain database file (written without an open transaction there)."""
    row = con.execute(
        "SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row and row[1] == "duckdb" and row[0] and os.path.isfile(row[0]):
        con.execute("CHECKPOINT")


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _scramble(seq: np.ndarray, salt: int) -> np.ndarray:
    """A bijection of 64-bit integers: distinct sequence numbers give distinct codes."""
    with np.errstate(over="ignore"):
        h = (seq.astype(np.uint64) + np.uint64(salt)) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return h


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B32 = "234567abcdefghijklmnopqrstuvwxyz"
# Ids from the numeric columns: YouTube and Instagram codes (11 characters of base64url),
# Bluesky record keys (13 characters of base32-sortable), numbers elsewhere.
_ID_SQL = (
    "CASE a.platform "
    "WHEN 'youtube' THEN {prefix}array_to_string(list_transform(range(11), i -> "
    f"substr('{_B64}', CAST((c.h >> (6 * i)) & 63 AS INTEGER) + 1, 1)), ''){{suffix}} "
    "WHEN 'instagram' THEN array_to_string(list_transform(range(11), i -> "
    f"substr('{_B64}', CAST((c.h >> (6 * i)) & 63 AS INTEGER) + 1, 1)), '') "
    "WHEN 'bluesky' THEN array_to_string(list_transform(range(13), i -> "
    f"substr('{_B32}', CAST((c.h >> (5 * (12 - i))) & 31 AS INTEGER) + 1, 1)), '') "
    "ELSE CAST(c.num AS VARCHAR) END"
)
_TEXT_SQL = (
    "replace(replace(replace(replace(replace(replace(replace(replace(t.text, "
    "'{dest}', list_element($dests, CAST(c.dest AS INTEGER))), "
    "'{month}', list_element($months, CAST(c.month AS INTEGER))), "
    "'{price}', CAST(c.price AS VARCHAR)), "
    "'{user}', list_element($users, CAST(c.usr AS INTEGER))), "
    "'{brand}', a.brand), '{tag}', a.tag), '{team}', a.team), "
    "'{n}', CAST(c.price % 9 + 2 AS VARCHAR))"
)
