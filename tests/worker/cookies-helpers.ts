/**
 * Shared fixtures of the end-to-end cookie tests: real consent cookies obtained from the
 * worker itself, the consent states, concrete wire names for every declared cookie, and the echo.
 */
import { expect } from 'vitest';
import type { CategoryId } from '../../src/policy/schema';
import { deployedPolicy } from '../../src/policy/load';
import { send } from './helpers';

export const policy = deployedPolicy();

export interface ConsentCase {
  label: string;
  /** Categories the visitor accepted, essential excluded. */
  accepted: CategoryId[];
  /** The decision to post, or null for a visitor who never decided. */
  decision: { action: 'reject-all' | 'accept-all' | 'save'; categories: CategoryId[] } | null;
}

/** Every consent state the tests cover. */
export const STATES: ConsentCase[] = [
  { label: 'undecided', accepted: [], decision: null },
  { label: 'reject-all', accepted: [], decision: { action: 'reject-all', categories: [] } },
  { label: 'functional only', accepted: ['functional'], decision: { action: 'save', categories: ['functional'] } },
  { label: 'analytics only', accepted: ['analytics'], decision: { action: 'save', categories: ['analytics'] } },
  { label: 'third-party only', accepted: ['third-party'], decision: { action: 'save', categories: ['third-party'] } },
  { label: 'accept-all', accepted: ['functional', 'analytics', 'third-party'], decision: { action: 'accept-all', categories: [] } },
];

const consentCache = new Map<string, string>();

/**
 * A real consent cookie (`name=value`, ready for a `Cookie` header) from the worker's own
 * `POST /__consent`, for the decision; '' when undecided.
 */
export async function consentPair(state: ConsentCase): Promise<string> {
  if (!state.decision) return '';
  const key = JSON.stringify(state.decision);
  const cached = consentCache.get(key);
  if (cached) return cached;
  const res = await send('/__consent', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify(state.decision),
  });
  expect(res.status).toBe(200);
  const state_ = (await res.json()) as { decided: boolean; categories: Record<string, boolean> };
  expect(state_.decided).toBe(true);
  for (const id of policy.optional) expect(state_.categories[id], id).toBe(state.accepted.includes(id));
  const line = res.headers.getSetCookie().find((l) => l.startsWith(`${policy.policy.consentCookie.name}=`));
  if (!line) throw new Error('POST /__consent set no consent cookie');
  const pair = line.split(';')[0] ?? '';
  consentCache.set(key, pair);
  return pair;
}

/** Whether a cookie of `category` may be stored in this state. */
export function allows(state: ConsentCase, category: CategoryId): boolean {
  return category === policy.required || state.accepted.includes(category);
}

export interface WireCookie {
  /** The name as it appears on the wire. */
  name: string;
  category: CategoryId;
  /** Declared with `otherDomain`: the worker cannot delete it. */
  otherDomain: boolean;
  /** The declared pattern it comes from. */
  declared: string;
}

/**
 * Every declared cookie of the default policy as concrete wire names: patterns get a concrete
 * suffix (`_ga_*` → `_ga_DEMO123`), chunked ones their `.0`/`.1` chunks, and every name its
 * `__Secure-`/`__Host-` variants.
 */
export function wireCookies(): WireCookie[] {
  const out: WireCookie[] = [];
  for (const category of policy.policy.categories) {
    for (const cookie of category.cookies) {
      const base = cookie.name.endsWith('*') ? `${cookie.name.slice(0, -1)}DEMO123` : cookie.name;
      // next-auth writes as many chunks as a token needs: a four-digit index is a chunk too.
      const names = cookie.chunked ? [base, `${base}.0`, `${base}.1`, `${base}.1234`] : [base];
      for (const name of names) {
        for (const prefix of ['', '__Secure-', '__Host-']) {
          out.push({
            name: `${prefix}${name}`,
            category: category.id,
            otherDomain: cookie.otherDomain !== undefined,
            declared: cookie.name,
          });
        }
      }
    }
  }
  return out;
}

/** A realistic `Set-Cookie` for a wire name (prefixed names get what their prefix requires). */
export function setCookieFor(name: string, value = `v-${name}`): string {
  if (name.startsWith('__Host-')) return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax`;
  if (name.startsWith('__Secure-')) return `${name}=${value}; Path=/; Secure; Max-Age=3600; SameSite=Lax`;
  return `${name}=${value}; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT; SameSite=Lax`;
}

/** The demo origin's `/set-cookies` URL that answers with exactly these `Set-Cookie` headers. */
export function setCookiesPath(headers: readonly string[], html = false): string {
  const query = new URLSearchParams();
  for (const h of headers) query.append('c', h);
  return `/set-cookies${html ? '-html' : ''}?${query}`;
}

/** Sends a request with `cookies` (the consent pair prepended when decided). */
export async function sendWith(state: ConsentCase, path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const pair = await consentPair(state);
  const headers = new Headers(init.headers);
  const cookie = [pair, init.cookie ?? ''].filter(Boolean).join('; ');
  if (cookie) headers.set('cookie', cookie);
  return send(path, { ...init, headers });
}

export interface Echo {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** Every value of a request header the origin received, raw. */
export function received(echo: Echo, name: string): string[] {
  return echo.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
}

/** The deleting headers the worker writes for one variant (docs/enforcement.md, RFC 6265bis §5.7). */
export const EXPIRED = 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
export function deletion(name: string, attributes: string): string {
  return `${name}=; ${EXPIRED}; ${attributes}`;
}
