// The visitor's consent as banner.js knows it: the policy's part built into this file by the
// worker, the visitor's read once from the injected state JSON
// (<script type="application/json" id="consent-state">), then updated on each decision,
// and the policy's classifier built with the worker's own lookup code (src/core).
import { type Classifier, classifierOf } from '../../core/client-table';
import { type ClientPolicy, type ClientState, clientState, type PublicState } from '../../core/state';

/** Put in by the worker for its policy and the page's locale (src/policy/compile.ts). */
declare const __CE_POLICY__: ClientPolicy;

/** The state the page and this file make; null when the page has none (banner.js then does nothing). */
export function readState(): ClientState | null {
  try {
    return clientState(__CE_POLICY__, JSON.parse(document.getElementById('consent-state')?.textContent ?? ''));
  } catch {
    return null;
  }
}

/** The page's state and classifier, set once by `start` before anything is patched. */
export let S: ClientState;
export let classifier: Classifier;

export function start(state: ClientState): void {
  S = state;
  classifier = classifierOf(state.classifier, Object.keys(state.categories));
}

/** The public fields of a state (the shape of `GET /__consent`), with its own copy of the categories. */
function publicOf(state: PublicState): PublicState {
  const { revision, decided, categories, gpc, regime, consentId, issuedAt, expiresAt } = state;
  return { revision, decided, categories: { ...categories }, gpc, regime, consentId, issuedAt, expiresAt };
}

/** The public state, a copy so page code cannot change ours. */
export const snapshot = (): PublicState => publicOf(S);

/** Takes the state the worker answered after a decision; returns the categories it revoked. */
export function adopt(next: PublicState): string[] {
  const before = S.categories;
  Object.assign(S, publicOf(next));
  return Object.keys(before).filter((k) => before[k] && !S.categories[k]);
}

/** Whether a category is refused: unknown categories are refused (fail closed). */
export const refused = (category: string | undefined): category is string => !!category && S.categories[category] !== true;
