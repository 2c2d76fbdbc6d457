-- Proof of consent (GDPR Art. 7(1)): one row per decision, keyed by the decision id so a
-- redelivered queue message or a retried insert never duplicates. No IP address, ever.
CREATE TABLE consent_decisions (
  id          TEXT PRIMARY KEY,               -- random decision id, the idempotency key
  consent_id  TEXT NOT NULL,                  -- the visitor's consent id (from the signed cookie)
  at          TEXT NOT NULL,                  -- ISO 8601 UTC, e.g. 2026-04-01T09:30:00.000Z
  action      TEXT NOT NULL CHECK (action IN ('accept-all', 'reject-all', 'save', 'withdraw', 'contextual')),
  accepted    TEXT NOT NULL,                  -- JSON array of category ids
  refused     TEXT NOT NULL,                  -- JSON array of category ids
  revision    INTEGER NOT NULL,
  policy_hash TEXT NOT NULL,                  -- SHA-256 hex of the policy and texts shown
  regime      TEXT NOT NULL,
  country     TEXT,                           -- request.cf.country, null when unknown
  gpc         INTEGER NOT NULL CHECK (gpc IN (0, 1)),
  path        TEXT NOT NULL,
  user_agent  TEXT NOT NULL
);

-- The receipt reads one visitor's records in time order; export reads a date range.
CREATE INDEX consent_decisions_by_consent ON consent_decisions (consent_id, at);
CREATE INDEX consent_decisions_by_time ON consent_decisions (at);
