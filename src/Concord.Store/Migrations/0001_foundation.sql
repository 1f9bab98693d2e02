-- Foundation schema: users, audit, sites, operational customers, the embedded sales ledger.
-- Tokens: {{id}} is the engine's auto-increment primary key, {{bigint}} a 64-bit integer.
-- Money is stored as a 64-bit count of minor units (cents): exact, never a float.
-- Codes are unique case-insensitively through a *_key column holding the upper-cased code.
-- Timestamps are ISO-8601 UTC text, which sorts correctly on both engines.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id {{id}},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id {{id}},
    at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_key TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX ix_audit_log_record ON audit_log (entity, record_key);

CREATE TABLE sites (
    id {{id}},
    code TEXT NOT NULL,
    code_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL
);

CREATE TABLE customers (
    id {{id}},
    code TEXT NOT NULL,
    code_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    relation TEXT NOT NULL,
    type TEXT,
    name TEXT,
    department TEXT,
    department_name TEXT,
    site TEXT NOT NULL,
    credit_limit {{bigint}},
    web_site TEXT,
    phone TEXT,
    email TEXT,
    vat TEXT,
    address TEXT,
    postcode TEXT,
    country TEXT,
    account TEXT,
    customer_class TEXT,
    sync_to_accounting BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL
);
CREATE INDEX ix_customers_site ON customers (site, code_key);
CREATE INDEX ix_customers_vat ON customers (vat);
CREATE INDEX ix_customers_account ON customers (account);

CREATE TABLE ledger_reference (
    id {{id}},
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    code_key TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (kind, code_key)
);

CREATE TABLE ledger_options_profiles (
    id {{id}},
    code TEXT NOT NULL,
    code_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    control_account TEXT,
    bank TEXT
);

CREATE TABLE ledger_terms_profiles (
    id {{id}},
    code TEXT NOT NULL,
    code_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    credit_limit {{bigint}} NOT NULL,
    payment_days {{bigint}} NOT NULL
);

CREATE TABLE ledger_accounts (
    id {{id}},
    code TEXT NOT NULL,
    code_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT,
    postcode TEXT,
    ac_contact TEXT,
    ac_email TEXT,
    order_contact TEXT,
    order_email TEXT,
    phone TEXT,
    web_site TEXT,
    vat TEXT,
    currency TEXT,
    control_account TEXT,
    bank TEXT,
    credit_limit {{bigint}} NOT NULL,
    payment_days {{bigint}},
    region TEXT,
    territory TEXT,
    customer_type TEXT,
    cost_centre TEXT,
    department TEXT,
    despatch_method TEXT,
    route TEXT,
    country TEXT,
    options_profile TEXT,
    terms_profile TEXT,
    ledger_account TEXT,
    invoice_account TEXT,
    memo TEXT,
    is_model BOOLEAN NOT NULL,
    dormant BOOLEAN NOT NULL,
    marked_for_deletion BOOLEAN NOT NULL,
    balance {{bigint}} NOT NULL,
    first_created TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
CREATE INDEX ix_ledger_accounts_vat ON ledger_accounts (vat);
CREATE INDEX ix_ledger_accounts_ledger_account ON ledger_accounts (ledger_account);
CREATE INDEX ix_ledger_accounts_invoice_account ON ledger_accounts (invoice_account);

CREATE TABLE ledger_contacts (
    id {{id}},
    account_key TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    phone TEXT,
    email TEXT
);
CREATE INDEX ix_ledger_contacts_account ON ledger_contacts (account_key);
