"""Copy what the configuration says about the company into the warehouse.

Organizations, departments and goals are replaced by the file's (the file is their
source of truth); accounts are upserted, so an account dropped from the file keeps its
history in the warehouse.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialdash.config import Config, account_id, handles
from socialdash.warehouse import upsert

ACCOUNT_COLUMNS = ["account_id", "org_id", "platform", "handle", "department_id", "person"]


def configured_accounts(config: Config) -> pd.DataFrame:
    """Every account the file names, with its organization, department and person."""
    rows = []
    company = config.company
    for org in config.organizations:
        for platform, value in org.accounts.items():
            for handle in handles(value):
                rows.append((account_id(platform, handle), org.id, platform, handle, None, None))
    if company is not None:
        for dept in config.departments:
            for platform, value in dept.accounts.items():
                for handle in handles(value):
                    rows.append((account_id(platform, handle), company.id, platform, handle, dept.id, None))
        for person in config.people:
            for platform, value in person.accounts.items():
                for handle in handles(value):
                    rows.append((account_id(platform, handle), company.id, platform, handle, person.department, person.name))
    frame = pd.DataFrame(rows, columns=ACCOUNT_COLUMNS)
    # A handle named twice (say, by an organization and by a department) is one account;
    # the most specific owner wins: a person, then a department, then the organization.
    return frame.drop_duplicates("account_id", keep="last").reset_index(drop=True)


def sync_config(con: duckdb.DuckDBPyConnection, config: Config) -> int:
    """Write organizations, departments, accounts and goals from the file; rows written."""
    orgs = pd.DataFrame(
        [(o.id, o.name, o.self_) for o in config.organizations], columns=["org_id", "name", "is_self"]
    )
    depts = pd.DataFrame(
        [(d.id, d.name, d.annual_budget) for d in config.departments],
        columns=["department_id", "name", "annual_budget"],
    )
    goals = pd.DataFrame(
        [(g.id, g.title, g.metric, g.target, g.start, g.end, list(g.departments)) for g in config.goals],
        columns=["goal_id", "title", "metric", "target", "period_start", "period_end", "departments"],
    )
    written = 0
    for table, frame in (("organizations", orgs), ("departments", depts), ("goals", goals)):
        con.execute(f"DELETE FROM {table}")
        written += upsert(con, table, frame)
    written += upsert(con, "accounts", configured_accounts(config))
    return written
