/**
 * Consent Edge's page API, for the site's own code: `window.ConsentEdge` and the
 * `consentchange` event on `document`, both defined by banner.js, which the worker injects at
 * the top of every HTML page.
 *
 * @example
 * document.addEventListener('consentchange', (e) => {
 *   if (e.detail.categories.analytics) startAnalytics();
 * });
 * if (await window.ConsentEdge?.request('third-party')) openCheckout();
 */

/** The categories of the wire format. */
export type ConsentCategory = 'essential' | 'functional' | 'analytics' | 'third-party';

/** The visitor's consent, as `GET /__consent` answers it. */
export interface ConsentEdgeState {
  /** The policy revision the state is for. */
  revision: number;
  /** The visitor has made a decision for this revision. */
  decided: boolean;
  /** Every category of the policy: allowed (true) or not. Essential is always true. */
  categories: Partial<Record<ConsentCategory, boolean>>;
  /** The browser sent Global Privacy Control (`Sec-GPC: 1`). */
  gpc: boolean;
  regime: 'opt-in' | 'opt-out';
  /** The random id of the decision, kept across decisions until withdrawal. */
  consentId: string | null;
  /** Unix seconds. */
  issuedAt: number | null;
  /** Unix seconds. */
  expiresAt: number | null;
}

export interface ConsentEdge {
  /** A copy of the current state. */
  get(): ConsentEdgeState;
  /** Opens the preferences dialog (or, when it cannot be loaded, the preferences page). */
  open(): Promise<void>;
  /**
   * Asks the visitor, in context, to allow one category (e.g. `third-party` before a checkout).
   * Resolves true once it is allowed and its held tags are released, false when declined (or
   * when the prompt cannot be loaded).
   * Rejects with a `TypeError`, showing nothing, when `category` is not a category of the policy.
   */
  request(category: ConsentCategory): Promise<boolean>;
}

/** Dispatched on `document` after each decision made in the page, with the new state. */
export type ConsentChangeEvent = CustomEvent<ConsentEdgeState>;

declare global {
  interface Window {
    /** Defined by banner.js before any of the page's own scripts run. */
    ConsentEdge?: ConsentEdge;
  }
  interface DocumentEventMap {
    consentchange: ConsentChangeEvent;
  }
}
