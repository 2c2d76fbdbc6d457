/**
 * What banner.js knows, from two places: the policy's part, built into the versioned banner.js
 * (one per policy, build and locale, cached immutable), and the visitor's part, the page's
 * `<script type="application/json" id="consent-state">` (only what differs per visitor).
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
  /** Announced once a decision is recorded. */
  saved: string;
  /** The skip link banner.js puts first in the page while the banner is shown. */
  skip: string;
}

/** The contextual prompt's texts: built into dialog.js (which shows the prompt), one per locale. */
export interface PromptTexts {
  /** `{category}` is replaced by the category's title. */
  prompt: string;
  allow: string;
  close: string;
  /** Category id → localized title. */
  titles: Record<string, string>;
}

/** The policy's part, the same for every visitor of a locale: built into banner.js, never in the page. */
export interface ClientPolicy {
  /** The worker's path prefix, e.g. `/__consent`. */
  prefix: string;
  /** The interface language of the pages that load this banner.js. */
  locale: string;
  /** The policy's revision: every state banner.js reads is of it. */
  revision: number;
  /** The consent's lifetime in seconds: `expiresAt` is `issuedAt` plus this. */
  lifetime: number;
  /** Category ids in policy order, and the one always allowed. */
  ids: string[];
  required: string;
  classifier: ClientTable;
  /** Consent Mode v2 signal → category (or `denied`), all seven; null when Consent Mode is off. */
  consentMode: Record<string, string> | null;
  /** Consent Mode's `wait_for_update` (ms). */
  waitForUpdate: number;
  texts: ClientTexts;
}

/**
 * The page's state JSON: the visitor's consent, compactly (absent keys are false, null or empty).
 * `a` the categories allowed, as bits over the policy's category ids (`1 << index`, the required
 * one left out: it always is); `d` decided; `g` a GPC signal; `o` an opt-out region;
 * `i` the consent id; `t` when it was issued (Unix seconds).
 */
export interface PageState {
  a?: number;
  d?: 1;
  g?: 1;
  o?: 1;
  i?: string;
  t?: number;
}

export interface ClientState extends PublicState, ClientPolicy {}

/**
 * The page's state JSON for a visitor; `ids` are the policy's category ids in order.
 * @example pageState({ decided: true, categories: { essential: true, analytics: true }, … }, ['essential', 'functional', 'analytics'], 'essential') // { a: 4, d: 1, … }
 */
export function pageState(
  state: Omit<PublicState, 'categories'> & { categories: Partial<Record<string, boolean>> },
  ids: readonly string[],
  required: string,
): PageState {
  const out: PageState = {};
  let allowed = 0;
  ids.forEach((id, i) => {
    if (id !== required && state.categories[id] === true) allowed |= 1 << i;
  });
  if (allowed) out.a = allowed;
  if (state.decided) out.d = 1;
  if (state.gpc) out.g = 1;
  if (state.regime === 'opt-out') out.o = 1;
  if (state.consentId !== null) out.i = state.consentId;
  if (state.issuedAt !== null) out.t = state.issuedAt;
  return out;
}

/** The state banner.js works with: its policy's part and the page's. */
export function clientState(policy: ClientPolicy, page: PageState): ClientState {
  const categories: Record<string, boolean> = {};
  policy.ids.forEach((id, i) => {
    categories[id] = id === policy.required || ((page.a ?? 0) & (1 << i)) !== 0;
  });
  return {
    ...policy,
    decided: !!page.d,
    categories,
    gpc: !!page.g,
    regime: page.o ? 'opt-out' : 'opt-in',
    consentId: page.i ?? null,
    issuedAt: page.t ?? null,
    expiresAt: page.t === undefined ? null : page.t + policy.lifetime,
  };
}
