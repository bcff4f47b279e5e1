-- The warehouse (contract section 1). Every statement is idempotent: running this file
-- against an existing warehouse creates what is missing and changes nothing else.
-- Ids are VARCHAR everywhere: platform ids are not always numbers.

CREATE TABLE IF NOT EXISTS organizations (
    org_id   VARCHAR PRIMARY KEY,
    name     VARCHAR NOT NULL,
    is_self  BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS departments (
    department_id  VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    annual_budget  DOUBLE
);

CREATE TABLE IF NOT EXISTS accounts (
    account_id     VARCHAR PRIMARY KEY,
    org_id         VARCHAR NOT NULL,
    platform       VARCHAR NOT NULL,
    handle         VARCHAR NOT NULL,
    department_id  VARCHAR,
    person         VARCHAR
);

CREATE TABLE IF NOT EXISTS account_daily (
    account_id  VARCHAR NOT NULL,
    day         DATE NOT NULL,
    followers   BIGINT,
    PRIMARY KEY (account_id, day)
);

CREATE TABLE IF NOT EXISTS posts (
    platform       VARCHAR NOT NULL,
    post_id        VARCHAR NOT NULL,
    account_id     VARCHAR NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    url            VARCHAR,
    text           VARCHAR,
    likes          BIGINT NOT NULL DEFAULT 0,
    comments       BIGINT NOT NULL DEFAULT 0,
    shares         BIGINT NOT NULL DEFAULT 0,
    views          BIGINT,
    is_reply       BOOLEAN NOT NULL DEFAULT false,
    department_id  VARCHAR,
    observed_at    TIMESTAMPTZ,
    PRIMARY KEY (platform, post_id)
);

CREATE TABLE IF NOT EXISTS interactions (
    platform              VARCHAR NOT NULL,
    interaction_id        VARCHAR NOT NULL,
    account_id            VARCHAR NOT NULL,
    received_at           TIMESTAMPTZ NOT NULL,
    first_response_at     TIMESTAMPTZ,
    responder_account_id  VARCHAR,
    department_id         VARCHAR,
    PRIMARY KEY (platform, interaction_id)
);

CREATE TABLE IF NOT EXISTS goals (
    goal_id       VARCHAR PRIMARY KEY,
    title         VARCHAR NOT NULL,
    metric        VARCHAR NOT NULL,
    target        DOUBLE NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    departments   VARCHAR[]
);

CREATE TABLE IF NOT EXISTS connector_runs (
    run_id        VARCHAR PRIMARY KEY,
    connector     VARCHAR NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,   -- ok / partial / failed
    rows_written  BIGINT,
    error         VARCHAR
);

-- Beyond the contract: what this warehouse holds ('demo' or 'real') and the schema
-- version, so the demo loader can refuse to overwrite real data.
CREATE TABLE IF NOT EXISTS warehouse_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);

-- Beyond the contract, the connectors' own bookkeeping: incremental state per account
-- (connectors/refresh.py) and the alerts already posted to the webhook (connectors/alerts.py).
CREATE TABLE IF NOT EXISTS connector_state (
    account_id        VARCHAR PRIMARY KEY,
    platform          VARCHAR NOT NULL,
    platform_user_id  VARCHAR,          -- the platform's id of the account (DID, user id, user@instance…)
    state             VARCHAR,          -- the connector's own incremental state, JSON
    first_refresh_at  TIMESTAMPTZ,      -- first successful refresh
    history_from      TIMESTAMPTZ,      -- how far back the first successful refresh reached
    last_attempt_at   TIMESTAMPTZ,
    last_success_at   TIMESTAMPTZ,
    last_status       VARCHAR,          -- ok / failed / skipped
    last_error        VARCHAR,
    posts_seen        BIGINT,           -- posts read by the last successful refresh
    items_seen        BIGINT            -- thread items read by the last successful refresh
);

CREATE TABLE IF NOT EXISTS alert_log (
    key      VARCHAR PRIMARY KEY,   -- what was alerted, e.g. 'goal:sla-q1:off-track'
    kind     VARCHAR NOT NULL,      -- overtake / sla / goal
    text     VARCHAR,
    sent_at  TIMESTAMPTZ NOT NULL
);
