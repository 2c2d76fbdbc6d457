/**
 * The signed consent cookie (docs/wire-formats.md): `v1.<revision>.<categories>.<issued>.<gpc>.<id>.<mac>`.
 * Reading never throws: anything missing, tampered, garbled or signed with an unknown key is
 * simply "no decision".
 */
import { type CategoryId, isCategoryId } from '../policy/schema';

export interface ConsentDecision {
  revision: number;
  /** Optional categories the visitor accepted (essential is implied, never stored). */
  categories: CategoryId[];
  /** Unix seconds. */
  issued: number;
  /** The decision was made while the browser sent `Sec-GPC: 1`. */
  gpc: boolean;
  /** Random URL-safe id, kept across decisions until withdrawal. */
  id: string;
}

const VERSION = 'v1';
const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keyCache.set(secret, key);
  }
  return key;
}

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** A fresh consent id: 128 random bits, base64url. */
export function newConsentId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The payload that is signed: everything before the MAC. */
function payload(d: ConsentDecision): string {
  const categories = d.categories.length ? d.categories.join('+') : '-';
  return [VERSION, d.revision, categories, d.issued, d.gpc ? 1 : 0, d.id].join('.');
}

/**
 * Serialises and signs a decision with HMAC-SHA256.
 * @example
 * await signConsent({ revision: 1, categories: ['analytics'], issued: 1767225600, gpc: false, id }, secret)
 * // 'v1.1.analytics.1767225600.0.<id>.<mac>'
 */
export async function signConsent(decision: ConsentDecision, secret: string): Promise<string> {
  const body = payload(decision);
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(body));
  return `${body}.${base64url(mac)}`;
}

/** Splits a cookie value into a decision without checking the signature; null when garbled. */
export function parseConsentValue(value: string): { decision: ConsentDecision; body: string; mac: string } | null {
  const parts = value.split('.');
  if (parts.length !== 7 || parts[0] !== VERSION) return null;
  const [, revision, categories, issued, gpc, id, mac] = parts as [string, string, string, string, string, string, string];
  if (!/^\d{1,9}$/.test(revision) || !/^\d{1,12}$/.test(issued) || (gpc !== '0' && gpc !== '1') || !ID_PATTERN.test(id)) {
    return null;
  }
  const names = categories === '-' ? [] : categories.split('+');
  const list = names.filter(isCategoryId);
  if (list.length !== names.length || new Set(list).size !== list.length) return null;
  return {
    decision: { revision: Number(revision), categories: list, issued: Number(issued), gpc: gpc === '1', id },
    body: parts.slice(0, 6).join('.'),
    mac,
  };
}

export type VerifiedConsent = { decision: ConsentDecision; signedWith: 'current' | 'previous' };

/**
 * Checks a cookie value against the current key, then the previous one (key rotation).
 * Returns null for anything that is not a well-formed value signed by one of them.
 */
export async function verifyConsent(
  value: string | undefined,
  secrets: { current: string; previous?: string },
): Promise<VerifiedConsent | null> {
  if (!value || value.length > 512) return null;
  // A visitor sends the same value on every request: verify it once per isolate.
  const key = `${secrets.current}\u0000${secrets.previous ?? ''}\u0000${value}`;
  let result = verified.get(key);
  if (result === undefined) {
    result = await verifyUncached(value, secrets);
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value ?? '');
    verified.set(key, result);
  }
  // A copy: callers may change their decision without touching the cached one.
  return result && { decision: { ...result.decision, categories: [...result.decision.categories] }, signedWith: result.signedWith };
}

/** Results of recent verifications, oldest first; bounded so garbage cannot grow it. */
const verified = new Map<string, VerifiedConsent | null>();
const VERIFIED_CACHE_SIZE = 2048;

async function verifyUncached(value: string, secrets: { current: string; previous?: string }): Promise<VerifiedConsent | null> {
  const parsed = parseConsentValue(value);
  if (!parsed) return null;
  const mac = fromBase64url(parsed.mac);
  // Only the canonical encoding: the last base64url character carries 2 unused bits, so 4 spellings decode to the same MAC.
  if (mac?.length !== 32 || base64url(mac) !== parsed.mac) return null;
  const data = encoder.encode(parsed.body);
  if (await crypto.subtle.verify('HMAC', await hmacKey(secrets.current), mac, data)) {
    return { decision: parsed.decision, signedWith: 'current' };
  }
  if (secrets.previous && (await crypto.subtle.verify('HMAC', await hmacKey(secrets.previous), mac, data))) {
    return { decision: parsed.decision, signedWith: 'previous' };
  }
  return null;
}
