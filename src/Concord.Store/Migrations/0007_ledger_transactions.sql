-- Ledger transactions (issue 12, L7): invoices, credit notes, receipts, refunds and adjustments
-- posted to customer accounts, and the allocations between them. A posted transaction is never
-- edited or deleted: it is reversed by another transaction. Amounts are signed counts of the
-- currency's minor units: what the customer owes grows with a positive amount (invoice, refund,
-- debit adjustment) and shrinks with a negative one (credit note, receipt, credit adjustment).
CREATE TABLE ledger_transactions (
    id {{id}},
    -- The account the amount is posted to (a delivery account's ledger account, L5).
    account_key TEXT NOT NULL,
    -- The account named when it was posted, when that was a delivery account.
    named_key TEXT,
    kind TEXT NOT NULL,
    posted_on TEXT NOT NULL,
    reference TEXT,
    -- Who or what the line is for when it is not the account itself (a generic account's line names the operational customer, O3).
    line_for TEXT,
    currency TEXT,
    amount {{bigint}} NOT NULL,
    vat {{bigint}} NOT NULL,
    -- What is left of the amount once allocations are taken off: the balance is the sum of these.
    outstanding {{bigint}} NOT NULL,
    reverses {{bigint}},
    reversed_by {{bigint}},
    -- What posted it from outside (an operational invoice's number through a sync): posted once.
    source TEXT UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ix_ledger_transactions_account ON ledger_transactions (account_key, posted_on);
-- What was posted through a delivery account, listed on it.
CREATE INDEX ix_ledger_transactions_named ON ledger_transactions (named_key) WHERE named_key IS NOT NULL;
-- The items not yet settled, for aged balances and allocation: few, next to all that were ever posted.
CREATE INDEX ix_ledger_transactions_open ON ledger_transactions (account_key, posted_on, outstanding) WHERE outstanding <> 0;

CREATE TABLE ledger_allocations (
    id {{id}},
    account_key TEXT NOT NULL,
    debit_id {{bigint}} NOT NULL,
    credit_id {{bigint}} NOT NULL,
    amount {{bigint}} NOT NULL,
    allocated_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ix_ledger_allocations_debit ON ledger_allocations (debit_id);
CREATE INDEX ix_ledger_allocations_credit ON ledger_allocations (credit_id);
