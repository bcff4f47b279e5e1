"""connectors.attribution: the config's signatures give brand posts to departments."""

import datetime as dt

import pandas as pd
import pytest

from connectors.attribution import META_KEY, apply_attribution, attribute, attribution_rules, rules_fingerprint
from socialdash import metrics
from socialdash.config import Settings, parse_config
from socialdash.period import Period
from socialdash.viewstate import View
from socialdash.warehouse import meta, open_warehouse, upsert, writing

T = dt.datetime(2026, 1, 6, 15, 0, tzinfo=dt.timezone.utc)

RULES = """
[[organizations]]
id = "acme"
name = "Acme"
self = true

[[departments]]
id = "care"
name = "Customer Service"
signatures = ["^CS\\\\b"]

[[departments]]
id = "pr"
name = "Public Relations"
signatures = ["#AcmeNews"]

[[departments]]
id = "legal"
name = "Legal"
signatures = ["^Notice:"]
"""

POSTS = [
    # post_id, account, text, is_reply, department already stored
    ("b1", "acme-x", "CS: delays at the airport today", False, None),
    ("b2", "acme-x", "Big news! #AcmeNews", False, None),
    ("b3", "acme-x", "CS: an update on the strike #AcmeNews", False, None),  # both: care comes first
    ("b4", "acme-x", "Hello world", False, None),
    ("b5", "acme-x", "CS: thanks, we are on it", True, None),            # a reply is attributed too
    ("b6", "acme-x", "cs: lower case is not the signature", False, None),
    ("b7", "acme-x", None, False, None),                                 # no text
    ("b8", "acme-x", "CSV export is live", False, None),                 # ^CS\b needs a word boundary
    ("s1", "acme-x", "An old post", False, "legal"),                     # stale attribution
    ("h1", "acme-help", "Big news! #AcmeNews", False, None),             # department account: untouched
    ("h2", "acme-help", "Hello", False, "legal"),                        # untouched, even if no rule matches
    ("a1", "acme-ana", "CS: hi from Ana", False, None),                  # employee: untouched
    ("r1", "rival-x", "CS: rival's care", False, None),                  # competitor: untouched
]


def build(path) -> str:
    with writing(str(path)) as con:
        upsert(con, "organizations", pd.DataFrame(
            [("acme", "Acme", True), ("rival", "Rival", False)], columns=["org_id", "name", "is_self"]))
        upsert(con, "departments", pd.DataFrame(
            [("care", "Customer Service", None), ("pr", "Public Relations", None), ("legal", "Legal", None)],
            columns=["department_id", "name", "annual_budget"]))
        upsert(con, "accounts", pd.DataFrame([
            ("acme-x", "acme", "x", "acme", None, None),
            ("acme-help", "acme", "x", "acmehelp", "care", None),
            ("acme-ana", "acme", "x", "ana", "care", "Ana"),
            ("rival-x", "rival", "x", "rival", None, None),
        ], columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        upsert(con, "posts", pd.DataFrame([
            {"platform": "x", "post_id": pid, "account_id": acc, "created_at": T, "url": None, "text": text,
             "likes": 1, "comments": 0, "shares": 0, "views": None, "is_reply": reply, "department_id": dept,
             "observed_at": T}
            for pid, acc, text, reply, dept in POSTS
        ]))
    return str(path)


def attributions(path) -> dict:
    con = open_warehouse(path)
    try:
        rows = con.execute("SELECT post_id, department_id FROM posts ORDER BY post_id").fetchall()
        return dict(rows)
    finally:
        con.close()


def apply(path, config_text: str) -> int:
    with writing(path) as con:
        return apply_attribution(con, parse_config(config_text))


@pytest.fixture()
def warehouse(tmp_path) -> str:
    return build(tmp_path / "attribution.duckdb")


def test_matching_posts_are_attributed_and_the_rest_untouched(warehouse):
    changed = apply(warehouse, RULES)
    got = attributions(warehouse)
    assert got["b1"] == "care"
    assert got["b2"] == "pr"
    assert got["b3"] == "care"   # the first matching department in the file's order wins
    assert got["b5"] == "care"   # replies on brand accounts too
    assert got["b4"] is None and got["b6"] is None and got["b7"] is None and got["b8"] is None
    assert got["s1"] is None     # stale attribution cleared
    # never touched: department accounts, employees' accounts, competitors
    assert got["h1"] is None and got["h2"] == "legal" and got["a1"] is None and got["r1"] is None
    assert changed == 5  # b1, b2, b3, b5 set; s1 cleared


def test_applying_the_same_rules_again_changes_nothing(warehouse):
    apply(warehouse, RULES)
    before = attributions(warehouse)
    assert apply(warehouse, RULES) == 0
    assert attributions(warehouse) == before


def test_rules_changed_are_re_applied_to_every_post(warehouse):
    apply(warehouse, RULES)
    con = open_warehouse(warehouse)
    first = meta(con, META_KEY)
    con.close()
    # pr now comes first and also claims "Hello"; care's rule is gone
    changed_rules = """
[[organizations]]
id = "acme"
name = "Acme"
self = true

[[departments]]
id = "pr"
name = "Public Relations"
signatures = ["#AcmeNews", "^Hello"]

[[departments]]
id = "care"
name = "Customer Service"

[[departments]]
id = "legal"
name = "Legal"
signatures = ["^Notice:"]
"""
    changed = apply(warehouse, changed_rules)
    got = attributions(warehouse)
    assert got["b3"] == "pr"                        # moved: pr is first now
    assert got["b4"] == "pr"                        # newly matched
    assert got["b1"] is None and got["b5"] is None  # no longer matched: cleared
    assert got["b2"] == "pr"                        # unchanged
    assert got["h2"] == "legal" and got["a1"] is None
    assert changed == 4
    con = open_warehouse(warehouse)
    assert meta(con, META_KEY) == rules_fingerprint(parse_config(changed_rules)) != first
    con.close()


def test_new_posts_written_later_are_attributed_on_the_next_run(warehouse):
    apply(warehouse, RULES)
    with writing(warehouse) as con:
        upsert(con, "posts", pd.DataFrame([{
            "platform": "x", "post_id": "n1", "account_id": "acme-x", "created_at": T, "url": None,
            "text": "Notice: new terms", "likes": 0, "comments": 0, "shares": 0, "views": None,
            "is_reply": False, "department_id": None, "observed_at": T}]))
        # a refresh re-writes b1 with its department unknown
        con.execute("UPDATE posts SET department_id = NULL WHERE post_id = 'b1'")
        assert apply_attribution(con, parse_config(RULES)) == 2
    got = attributions(warehouse)
    assert got["n1"] == "legal" and got["b1"] == "care"


def test_the_department_of_a_post_follows_the_attribution(warehouse):
    apply(warehouse, RULES)
    con = open_warehouse(warehouse)
    try:
        d = metrics.department_contributions(
            con, View(Period(dt.date(2026, 1, 6), dt.date(2026, 1, 6))), Settings())
    finally:
        con.close()
    posts = d.set_index("department_id")["posts"].to_dict()
    # care: b1, b3 (attributed) + h1, h2? no: h2 carries legal; h1 is care's own account; a1 is Ana's
    # → b1, b3, h1, a1 = 4 (b5 is a reply). pr: b2. legal: h2.
    assert posts == {"care": 4, "pr": 1, "legal": 1}


def test_attribute_and_fingerprint():
    config = parse_config(RULES)
    rules = attribution_rules(config)
    assert [d for d, _ in rules] == ["care", "pr", "legal"]
    assert attribute("Notice: x", rules) == "legal"
    assert attribute("", rules) is None and attribute(None, rules) is None
    assert rules_fingerprint(config) == rules_fingerprint(parse_config(RULES))
    no_rules = parse_config('[[departments]]\nid = "care"\nname = "Care"\n')
    assert attribution_rules(no_rules) == []
    assert rules_fingerprint(no_rules) != rules_fingerprint(config)


def test_without_any_rule_every_brand_attribution_is_cleared(warehouse):
    apply(warehouse, RULES)
    no_rules = '[[organizations]]\nid = "acme"\nname = "Acme"\nself = true\n'
    assert apply(warehouse, no_rules) == 4  # b1, b2, b3, b5
    got = attributions(warehouse)
    assert [p for p, d in got.items() if d is not None] == ["h2"]  # the department account's, untouched
