-- Sync engine: change sequence numbers, connections, correspondence, runs, journal, inbox.

-- One counter for the whole store. Every write to a synced table takes the next number while
-- holding this row, so numbers are handed out in commit order and a cursor never skips one.
CREATE TABLE change_counter (
    name TEXT PRIMARY KEY,
    value {{bigint}} NOT NULL
);
INSERT INTO change_counter (name, value) VALUES ('changes', 0);

ALTER TABLE customers ADD COLUMN change_seq {{bigint}} NOT NULL DEFAULT 0;
CREATE INDEX ix_customers_change_seq ON customers (change_seq);
ALTER TABLE ledger_accounts ADD COLUMN change_seq {{bigint}} NOT NULL DEFAULT 0;
CREATE INDEX ix_ledger_accounts_change_seq ON ledger_accounts (change_seq);

CREATE TABLE sync_connections (
    id {{id}},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    accounting TEXT NOT NULL,
    direction TEXT NOT NULL,
    priority TEXT NOT NULL,
    replace_fields TEXT,
    create_only BOOLEAN NOT NULL,
    include_types TEXT,
    include_inactive BOOLEAN NOT NULL,
    relations TEXT NOT NULL DEFAULT 'customer',
    post_accounts BOOLEAN NOT NULL,
    schedule TEXT,
    site TEXT,
    model TEXT,
    confirmed_company TEXT,
    last_scheduled_at TEXT,
    operational_cursor {{bigint}} NOT NULL,
    accounting_cursor TEXT,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL
);

-- The correspondence table (S3, S7): which operational customer is which accounting customer,
-- the per-record option, and the last synced state both sides agreed on (the merge base, S4).
CREATE TABLE sync_links (
    id {{id}},
    connection_id {{bigint}} NOT NULL,
    operational_code TEXT,
    operational_key TEXT,
    accounting_code TEXT,
    accounting_key TEXT,
    sync_option TEXT NOT NULL,
    base_json TEXT,
    linked_by TEXT NOT NULL,
    synced_at TEXT,
    UNIQUE (connection_id, operational_key),
    UNIQUE (connection_id, accounting_key)
);

CREATE TABLE sync_runs (
    id {{id}},
    connection_id {{bigint}} NOT NULL,
    user_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    created {{bigint}} NOT NULL,
    updated {{bigint}} NOT NULL,
    linked {{bigint}} NOT NULL,
    skipped {{bigint}} NOT NULL,
    conflicts {{bigint}} NOT NULL,
    errors {{bigint}} NOT NULL,
    message TEXT
);
CREATE INDEX ix_sync_runs_connection ON sync_runs (connection_id, id);

-- Intent before effect (S11, S19): a write to the other side is recorded here before it leaves,
-- and its outcome after; an intent without an outcome is settled by reading the target back.
CREATE TABLE sync_journal (
    id {{id}},
    run_id {{bigint}} NOT NULL,
    connection_id {{bigint}} NOT NULL,
    side TEXT NOT NULL,
    action TEXT NOT NULL,
    operational_code TEXT,
    accounting_code TEXT,
    payload_json TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    at TEXT NOT NULL
);
CREATE INDEX ix_sync_journal_open ON sync_journal (connection_id, state);
CREATE INDEX ix_sync_journal_run ON sync_journal (run_id);

-- The conflict inbox (S17): held and failed records wait here until resolved or synced cleanly.
CREATE TABLE sync_inbox (
    id {{id}},
    connection_id {{bigint}} NOT NULL,
    record_key TEXT NOT NULL,
    operational_code TEXT,
    accounting_code TEXT,
    kind TEXT NOT NULL,
    field TEXT,
    reason TEXT NOT NULL,
    operational_json TEXT,
    accounting_json TEXT,
    run_id {{bigint}},
    created_at TEXT NOT NULL,
    take TEXT,
    resolved_by TEXT,
    resolved_at TEXT,
    closed_at TEXT
);
CREATE INDEX ix_sync_inbox_record ON sync_inbox (connection_id, record_key);

-- Records a run looked at but did not settle (not this time, ambiguous, proposed): the next
-- incremental run plans them again even if they have not changed.
CREATE TABLE sync_deferred (
    id {{id}},
    connection_id {{bigint}} NOT NULL,
    side TEXT NOT NULL,
    code TEXT NOT NULL,
    code_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (connection_id, side, code_key)
);
