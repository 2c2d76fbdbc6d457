/**
 * The deployed policy: `policy.json`, validated and compiled once per isolate. The build runs
 * the same validation first (`npm run policy:check`), so this never fails in a deployed worker.
 */
import policyJson from '../../policy.json';
import { type CompiledPolicy, compilePolicy } from './compile';
import { parsePolicy } from './index';

let compiled: CompiledPolicy | undefined;

/** The compiled default policy (memoised). */
export function deployedPolicy(): CompiledPolicy {
  if (!compiled) {
    const result = parsePolicy(policyJson);
    if (!result.ok) {
      const detail = result.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new Error(`policy.json is invalid (run npm run policy:check): ${detail}`);
    }
    compiled = compilePolicy(result.policy);
  }
  return compiled;
}
