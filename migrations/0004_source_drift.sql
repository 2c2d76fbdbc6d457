-- Drift audit, widened: besides undeclared cookies, the cross-origin <script> and <iframe>
-- sources no category declares (named by origin and path). SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt with its rows.
CREATE TABLE cookie_drift_next (
  name        TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('set-cookie', 'cookie', 'script', 'iframe')),
  count       INTEGER NOT NULL,
  first_seen  TEXT NOT NULL,                  -- ISO 8601 UTC
  last_seen   TEXT NOT NULL,                  -- ISO 8601 UTC
  sample_path TEXT NOT NULL,                  -- one path where it was seen (the first flushed)
  PRIMARY KEY (name, source)
);
INSERT INTO cookie_drift_next (name, source, count, first_seen, last_seen, sample_path)
  SELECT name, source, count, first_seen, last_seen, sample_path FROM cookie_drift;
DROP TABLE cookie_drift;
ALTER TABLE cookie_drift_next RENAME TO cookie_drift;
