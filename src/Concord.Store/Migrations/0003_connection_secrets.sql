-- Secrets at rest (issue 8): a connection's accounting setting is kept shown-safe in `accounting`
-- (passwords masked) and, when it holds secrets, in full in `accounting_secret`, encrypted with
-- the data folder's Data Protection keys. Settings saved before this version stay as they were.
ALTER TABLE sync_connections ADD COLUMN accounting_secret TEXT;
