/**
 * The policy's fingerprint: SHA-256 of its canonical JSON. It ties a logged decision to the exact
 * texts shown (GDPR Art. 7(1)) and versions what the worker's pages render from the policy. The
 * compiled policy carries it (`CompiledPolicy.fingerprint`), computed once.
 */
import { sha256Hex } from '../core/sha256';
import type { Policy } from './schema';

/**
 * JSON with object keys sorted at every level, so the same policy always hashes the same.
 * @example
 * canonicalJson({ b: 1, a: { c: undefined } }) // '{"a":{},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * SHA-256 hex of the canonical JSON of the whole policy: the legal text, the categories and every
 * locale's banner and preferences texts, i.e. everything the visitor could have been shown.
 * @example
 * policyHash(policy) // '3f1c…' (64 hex digits), stable across key order
 */
export function policyHash(policy: Policy): string {
  return sha256Hex(canonicalJson(policy));
}
