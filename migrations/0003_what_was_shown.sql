-- What each visitor was shown. Decisions record the locale of the texts and where the choice was
-- made; rows from before this migration keep NULL in both ("not recorded", never guessed).
ALTER TABLE consent_decisions ADD COLUMN locale TEXT;
ALTER TABLE consent_decisions ADD COLUMN surface TEXT CHECK (surface IN ('banner', 'dialog', 'page', 'placeholder', 'api'));

-- Every policy version the worker served, once, keyed by the fingerprint decisions carry in
-- policy_hash. Written through the queue with INSERT ... ON CONFLICT DO NOTHING; never updated.
-- Not personal data, and small (one row per policy edit): kept while any record may point at it.
CREATE TABLE policy_versions (
  fingerprint    TEXT PRIMARY KEY,            -- SHA-256 hex of `policy`
  revision       INTEGER NOT NULL,
  effective_date TEXT NOT NULL,               -- YYYY-MM-DD
  first_seen     TEXT NOT NULL,               -- ISO 8601 UTC, when it was first stored
  policy         TEXT NOT NULL,               -- canonical JSON of policy.json as deployed
  shown          TEXT NOT NULL                -- JSON: per locale, the texts and cookie tables as rendered
);
