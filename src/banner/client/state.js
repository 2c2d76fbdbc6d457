// The visitor's consent as banner.js knows it: read once from the injected state JSON
// (<script type="application/json" id="consent-state">, SPEC §8), then updated on each decision.

/** @type {import('./types').ClientState | null} */
export const S = (() => {
  try {
    return JSON.parse(document.getElementById('consent-state')?.textContent ?? '');
  } catch {
    return null;
  }
})();

const PUBLIC = ['revision', 'decided', 'categories', 'gpc', 'regime', 'consentId', 'issuedAt', 'expiresAt'];

/** The public state (SPEC §8 shape), a copy so page code cannot change ours. */
export function snapshot() {
  const out = {};
  for (const k of PUBLIC) out[k] = k === 'categories' ? { ...S.categories } : S[k];
  return out;
}

/** Takes the state the worker answered after a decision; returns the categories it revoked. */
export function adopt(next) {
  const before = S.categories;
  for (const k of PUBLIC) if (k in next) S[k] = next[k];
  return Object.keys(before).filter((k) => before[k] && !S.categories[k]);
}

/** Whether a category is refused: unknown categories are refused (fail closed). */
export const refused = (category) => !!category && S.categories[category] !== true;
