/**
 * The consent state JSON the worker injects as
 * `<script type="application/json" id="consent-state">` and banner.js reads: the visitor's public
 * state, the worker's prefix and locale, the policy's client table and the few texts banner.js shows.
 */
import type { ClientTable } from './client-table';

export type Regime = 'opt-in' | 'opt-out';

/** What `ConsentEdge.get()` and the `consentchange` event give page code: the fields of `GET /__consent`. */
export interface PublicState {
  revision: number;
  decided: boolean;
  /** Every category of the policy: allowed (true) or not. */
  categories: Record<string, boolean>;
  gpc: boolean;
  regime: Regime;
  consentId: string | null;
  /** Unix seconds. */
  issuedAt: number | null;
  /** Unix seconds. */
  expiresAt: number | null;
}

export interface ClientTexts {
  /** Contextual prompt; `{category}` is replaced by the category's title. */
  prompt: string;
  allow: string;
  close: string;
  /** Announced once a decision is recorded. */
  saved: string;
  /** The skip link banner.js puts first in the page while the banner is shown. */
  skip: string;
  /** Category id → localized title. */
  titles: Record<string, string>;
}

/** The policy's part of the state JSON: the same on every page of a locale. */
export interface ClientPolicy {
  classifier: ClientTable;
  /** Consent Mode v2 signal → category (or `denied`); null when Consent Mode is off. */
  consentMode: Record<string, string> | null;
  texts: ClientTexts;
}

export interface ClientState extends PublicState, ClientPolicy {
  /** The worker's path prefix, e.g. `/__consent`. */
  prefix: string;
  locale: string;
}
