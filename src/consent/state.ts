/**
 * The visitor's consent as every part of the worker sees it (and as `GET /__consent` shows it,
 * docs/wire-formats.md).
 */
import { type CategoryId, isCategoryId } from '../policy/schema';

export type RegimeName = 'opt-in' | 'opt-out';

export interface ConsentState {
  revision: number;
  /** A valid decision for the current revision exists. */
  decided: boolean;
  /** Every category of the policy: allowed (true) or not. Essential is always true. */
  categories: Partial<Record<CategoryId, boolean>>;
  /** The request carried `Sec-GPC: 1`. */
  gpc: boolean;
  regime: RegimeName;
  consentId: string | null;
  /** Unix seconds. */
  issuedAt: number | null;
  /** Unix seconds. */
  expiresAt: number | null;
  /** A configuration fault the visitor cannot fix, e.g. a missing CONSENT_SECRET. */
  error?: string;
}

/** The categories allowed for this request, essential first (the state's order is the policy's). */
export function allowedCategories(state: ConsentState): CategoryId[] {
  return Object.keys(state.categories)
    .filter(isCategoryId)
    .filter((id) => state.categories[id] === true);
}

/**
 * Essential plus every category the consent state allows, the shape the filters take.
 * @example
 * allowedSet(state).has('analytics') // false before consent
 */
export function allowedSet(state: ConsentState): ReadonlySet<CategoryId> {
  const allowed = new Set<CategoryId>(allowedCategories(state));
  allowed.add('essential');
  return allowed;
}
