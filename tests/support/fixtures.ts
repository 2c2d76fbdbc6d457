/** Shared test inputs: the deployed policy, compiled once, and consent states built from it. */
import type { ConsentState } from '../../src/consent/state';
import type { CompiledPolicy } from '../../src/policy/compile';
import { deployedPolicy } from '../../src/policy/load';

export const defaultPolicy: CompiledPolicy = deployedPolicy();

/** An undecided opt-in visitor (essential only), with any field replaced. */
export function consentState(change: Partial<ConsentState> = {}): ConsentState {
  return {
    revision: defaultPolicy.policy.revision,
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
