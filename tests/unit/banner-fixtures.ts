// Shared inputs for the banner unit tests: the deployed policy, variants of it, and states.
import type { ConsentState } from '../../src/consent/state';
import { type CompiledPolicy, compilePolicy } from '../../src/policy/compile';
import { deployedPolicy } from '../../src/policy/load';
import type { Policy } from '../../src/policy/schema';

export const policy: CompiledPolicy = deployedPolicy();

/** The deployed policy with some fields replaced. */
export function variant(change: Partial<Policy>): CompiledPolicy {
  return compilePolicy({ ...policy.policy, ...change });
}

export function state(change: Partial<ConsentState> = {}): ConsentState {
  return {
    revision: 1,
    decided: false,
    categories: { essential: true, functional: false, analytics: false, 'third-party': false },
    gpc: false,
    regime: 'opt-in',
    consentId: null,
    issuedAt: null,
    expiresAt: null,
    ...change,
  };
}
