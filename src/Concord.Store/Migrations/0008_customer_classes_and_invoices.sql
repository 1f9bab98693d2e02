-- Customer classes and operational invoices (issue 12, O3). A class says how the invoices of the
-- customers in it post to the ledger: "account" posts 1:1 to the customer's own ledger account,
-- "generic" to one generic account (cash sales), with the operational customer named on the line.
CREATE TABLE customer_classes (
    id {{id}},
    code TEXT NOT NULL,
    code_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    posting TEXT NOT NULL,
    generic_account TEXT,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL
);

-- The customers' class was one of two words until now: each becomes a class of that name.
INSERT INTO customer_classes (code, code_key, name, posting, generic_account, created_at, modified_at)
VALUES ('ACCOUNT', 'ACCOUNT', 'Account: invoices post 1:1 to the customer''s account', 'account', NULL, '2026-12-02T00:00:00.0000000Z', '2026-12-02T00:00:00.0000000Z');
INSERT INTO customer_classes (code, code_key, name, posting, generic_account, created_at, modified_at)
SELECT 'GENERIC', 'GENERIC', 'Generic: invoices post to a generic account (set it)', 'generic', NULL, '2026-12-02T00:00:00.0000000Z', '2026-12-02T00:00:00.0000000Z'
WHERE EXISTS (SELECT 1 FROM customers WHERE LOWER(customer_class) = 'generic');
UPDATE customers SET customer_class = UPPER(customer_class) WHERE customer_class IS NOT NULL;

-- Invoices and credit notes the operational side raised; a sync posts each once to the ledger.
CREATE TABLE operational_invoices (
    id {{id}},
    number TEXT NOT NULL,
    number_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    customer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    currency TEXT,
    -- Amounts VAT included, in ten-thousandths (exact for every currency); posted in the ledger account's currency units.
    amount {{bigint}} NOT NULL,
    vat {{bigint}} NOT NULL,
    reference TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ix_operational_invoices_customer ON operational_invoices (customer);

-- Which invoices a connection has posted, to which ledger account, as which transaction, in which run.
CREATE TABLE invoice_postings (
    connection_id {{bigint}} NOT NULL,
    invoice_id {{bigint}} NOT NULL,
    account TEXT NOT NULL,
    transaction_id {{bigint}} NOT NULL,
    run_id {{bigint}} NOT NULL,
    posted_at TEXT NOT NULL,
    PRIMARY KEY (connection_id, invoice_id)
);

ALTER TABLE sync_runs ADD COLUMN posted {{bigint}} NOT NULL DEFAULT 0;
