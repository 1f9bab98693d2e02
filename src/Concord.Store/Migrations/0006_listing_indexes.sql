-- The customer listing a page at a time (issue 11, O1): a site's customers in code order or in
-- name order (case aside, no name first) walk an index, `active` read from it, so a page deep in
-- the listing skips index entries instead of sorting the site's customers.
DROP INDEX ix_customers_site;
CREATE INDEX ix_customers_site_code ON customers (site, code_key, active);
CREATE INDEX ix_customers_site_name ON customers (site, COALESCE(UPPER(name), ''), code_key, active);
