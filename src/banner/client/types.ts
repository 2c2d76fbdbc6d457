/**
 * The state JSON the worker injects as `<script type="application/json" id="consent-state">`
 * (SPEC §8) and banner.js reads: shared by the server (markup.tsx) and the client.
 */

/** A source or cookie pattern with its category: an exact value, or a prefix ending in `*`. */
export type PatternEntry = [pattern: string, category: string];

/** What banner.js needs to classify `document.cookie` writes and inserted tags by itself. */
export interface ClientClassifier {
  /** Exact cookie name → category. */
  cookies: Record<string, string>;
  /** Cookie name prefixes (without the `*`) → category, longest first. */
  cookiePrefixes: PatternEntry[];
  /** Declared patterns (as written in the policy) that also match `name.0`, `name.1`, … */
  chunked: string[];
  /** Script and iframe source patterns (with their `*`), in policy order. */
  scripts: PatternEntry[];
  iframes: PatternEntry[];
  /** What happens to a cookie the policy does not declare. */
  undeclared: 'block' | 'allow';
  /** Categories a Global Privacy Control signal refuses. */
  gpc: string[];
}

export interface ClientTexts {
  /** Contextual prompt; `{category}` is replaced by the category's title. */
  prompt: string;
  allow: string;
  close: string;
  /** Announced once a decision is recorded. */
  saved: string;
  /** Category id → localized title. */
  titles: Record<string, string>;
}

export interface ClientState {
  revision: number;
  decided: boolean;
  categories: Record<string, boolean>;
  gpc: boolean;
  regime: 'opt-in' | 'opt-out';
  consentId: string | null;
  issuedAt: number | null;
  expiresAt: number | null;
  /** The worker's path prefix, e.g. `/__consent`. */
  prefix: string;
  locale: string;
  classifier: ClientClassifier;
  /** Consent Mode v2 signal → category (or `denied`); null when Consent Mode is off. */
  consentMode: Record<string, string> | null;
  texts: ClientTexts;
}
