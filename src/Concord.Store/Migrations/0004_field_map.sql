-- Field maps (S8, issue 9): per connection, which Concord field goes to which field of the
-- accounting system, custom fields included, each with an optional condition; JSON, NULL for none.
ALTER TABLE sync_connections ADD COLUMN field_map TEXT;
