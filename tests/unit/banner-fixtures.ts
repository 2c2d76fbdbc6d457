// Shared inputs for the banner unit tests: the deployed policy, variants of it, and states.
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { defaultPolicy } from '../support/fixtures';
import type { Policy } from '../../src/policy/schema';

export const policy: CompiledPolicy = defaultPolicy;

/** The deployed policy with some fields replaced. */
export function variant(change: Partial<Policy>): CompiledPolicy {
  return compilePolicy({ ...policy.policy, ...change });
}

export { consentState as state } from '../support/fixtures';
