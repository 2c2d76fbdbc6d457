/**
 * The policy's fingerprint: SHA-256 of its canonical JSON. It ties a logged decision to the exact
 * texts shown (GDPR Art. 7(1)) and versions what the worker's pages render from the policy.
 */
import type { Policy } from './schema';

/**
 * SHA-256 of UTF-8 text, as lowercase hex.
 * @example
 * await sha256Hex('abc') // 'ba7816bf…' (64 hex digits)
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

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

const hashes = new WeakMap<Policy, Promise<string>>();

/**
 * SHA-256 hex of the canonical JSON of the whole policy: the legal text, the categories and every
 * locale's banner and preferences texts, i.e. everything the visitor could have been shown.
 * Computed once per policy object.
 * @example
 * await policyHash(policy) // '3f1c…' (64 hex digits), stable across key order
 */
export function policyHash(policy: Policy): Promise<string> {
  let hash = hashes.get(policy);
  if (!hash) {
    hash = sha256Hex(canonicalJson(policy));
    hashes.set(policy, hash);
  }
  return hash;
}
