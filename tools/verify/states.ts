/** The visitors `npm run verify` plays: undecided, reject all, accept all, each optional category alone. */
import type { CompiledPolicy } from '../../src/policy/compile';
import type { CategoryId } from '../../src/policy/schema';

export type Decision =
  | { action: 'none' }
  | { action: 'reject-all' }
  | { action: 'accept-all' }
  | { action: 'save'; categories: CategoryId[] };

export interface VisitorState {
  /** A short id for reports and file names: `undecided`, `reject-all`, `accept-all`, `only-analytics`. */
  id: string;
  label: string;
  decision: Decision;
  /** What the visitor may be shown and stored, by their choice (essential always). */
  allowed: Set<CategoryId>;
}

export function visitorStates(policy: CompiledPolicy): VisitorState[] {
  const required = new Set<CategoryId>([policy.required]);
  // Without a decision the default regime applies: opt-in refuses everything optional.
  const undecided = policy.policy.regimes.default === 'opt-out' ? new Set(policy.ids) : required;
  return [
    { id: 'undecided', label: 'Undecided (no choice made)', decision: { action: 'none' }, allowed: undecided },
    { id: 'reject-all', label: 'Reject all', decision: { action: 'reject-all' }, allowed: required },
    { id: 'accept-all', label: 'Accept all', decision: { action: 'accept-all' }, allowed: new Set(policy.ids) },
    ...policy.optional.map((id) => ({
      id: `only-${id}`,
      label: `Only ${id} saved`,
      decision: { action: 'save' as const, categories: [id] },
      allowed: new Set<CategoryId>([policy.required, id]),
    })),
  ];
}
