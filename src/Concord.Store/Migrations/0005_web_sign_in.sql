-- Sign-in for the web app and the REST API (issue 11, U3/U4): a user's password as ASP.NET Core
-- Identity's hash (NULL: the user cannot sign in on the web), failed sign-ins in a row and until
-- when the user is locked out; API keys, each with a role, kept only as a SHA-256 hash.
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;

CREATE TABLE api_keys (
    id {{id}},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
