-- Drift audit: cookies seen at the edge that policy.json does not declare, one row per name and
-- where it was seen. Counts are lower bounds (see docs/consent-log.md, "Drift audit").
CREATE TABLE cookie_drift (
  name        TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('set-cookie', 'cookie')),
  count       INTEGER NOT NULL,
  first_seen  TEXT NOT NULL,                  -- ISO 8601 UTC
  last_seen   TEXT NOT NULL,                  -- ISO 8601 UTC
  sample_path TEXT NOT NULL,                  -- one path where it was seen (the first flushed)
  PRIMARY KEY (name, source)
);
