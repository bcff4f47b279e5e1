"""Attribution of posts on the company's shared brand accounts to departments.

The configuration gives each department optional ``signatures``: regular expressions
(Python's ``re`` syntax, the one the configuration is checked with). A post or reply on a
brand account of the company (an official account, ``person`` NULL, with no department of
its own) whose text matches a signature is given to that department in
``posts.department_id``; the first department in the file's order with a matching
signature wins. The department of a post is then ``COALESCE(posts.department_id,
accounts.department_id)`` (contract section 1).

``apply_attribution`` evaluates every brand post against the current rules each time it
runs (inside the writer's ``warehouse.writing()`` block, after each refresh), so new and
re-written posts are attributed, and attributions that no longer match (the rules or the
text changed) are cleared. Posts of department-owned and employees' accounts, and of
competitors, are never touched. A fingerprint of the rules is kept in ``warehouse_meta``
(``attribution_rules``), so one can tell which rules the stored attribution reflects.
"""

from __future__ import annotations

import hashlib
import json
import re

import duckdb
import pandas as pd

from socialdash.config import Config

META_KEY = "attribution_rules"


def attribution_rules(config: Config) -> list[tuple[str, list[re.Pattern]]]:
    """(department id, compiled signatures) in the file's order; departments without
    signatures are left out."""
    return [(d.id, [re.compile(s) for s in d.signatures]) for d in config.departments if d.signatures]


def rules_fingerprint(config: Config) -> str:
    """A hash of the rules as they are applied: departments in order with their signatures."""
    payload = json.dumps([(d.id, list(d.signatures)) for d in config.departments if d.signatures])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def attribute(text: str | None, rules: list[tuple[str, list[re.Pattern]]]) -> str | None:
    """The department whose signature first matches ``text`` (``re.search``), or None."""
    if not text:
        return None
    for department_id, patterns in rules:
        if any(p.search(text) for p in patterns):
            return department_id
    return None


# Posts and replies on the company's brand accounts: official (person NULL), no department.
_BRAND_POSTS = """
    SELECT p.platform, p.post_id, p.text, p.department_id
    FROM posts p
    JOIN accounts a ON a.account_id = p.account_id
    JOIN organizations o ON o.org_id = a.org_id AND o.is_self
    WHERE a.person IS NULL AND a.department_id IS NULL
"""


def apply_attribution(con: duckdb.DuckDBPyConnection, config: Config) -> int:
    """Set ``posts.department_id`` of the company's brand posts by the config's signatures.

    Call inside a ``socialdash.warehouse.writing()`` block. Returns the number of posts
    whose attribution changed (set, moved to another department, or cleared).
    """
    rules = attribution_rules(config)
    updates = []
    for platform, post_id, text, current in con.execute(_BRAND_POSTS).fetchall():
        wanted = attribute(text, rules)
        if wanted != current:
            updates.append((platform, post_id, wanted))
    if updates:
        frame = pd.DataFrame(updates, columns=["platform", "post_id", "department_id"], dtype="object")
        con.register("_attribution_updates", frame)
        try:
            con.execute(
                """UPDATE posts SET department_id = CAST(u.department_id AS VARCHAR)
                   FROM _attribution_updates u
                   WHERE posts.platform = u.platform AND posts.post_id = u.post_id"""
            )
        finally:
            con.unregister("_attribution_updates")
    con.execute(
        "INSERT OR REPLACE INTO warehouse_meta VALUES ($key, $value)",
        {"key": META_KEY, "value": rules_fingerprint(config)},
    )
    return len(updates)
