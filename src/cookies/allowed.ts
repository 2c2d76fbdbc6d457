/** The allowed categories of a request as a set, the shape the cookie filters take. */
import type { ConsentState } from '../consent/state';
import { allowedCategories } from '../consent/state';
import type { CategoryId } from '../policy/schema';

/**
 * Essential plus every category the consent state allows.
 * @example
 * allowedSet(state).has('analytics') // false before consent
 */
export function allowedSet(state: ConsentState): ReadonlySet<CategoryId> {
  const allowed = new Set<CategoryId>(allowedCategories(state));
  allowed.add('essential');
  return allowed;
}
