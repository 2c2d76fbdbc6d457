/**
 * Golden pages: the exact bytes the worker sends for the demo's pages and its own pages, for a
 * visitor who has not decided and for visitors who have, in English and Hindi. A refactor of the
 * enforcement or the markup must leave every one of them unchanged. Only what is legitimately
 * different between runs is normalised: the consent id and times, the asset version (a hash of
 * the built banner), the demo's random CSRF token.
 * Regenerate on purpose only: `vitest run --project worker tests/worker/golden.test.ts -u`.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signConsent } from '../../src/consent/cookie';
import { formatDate } from '../../src/pages/policy/page';
import { deployedPolicy } from '../../src/policy/load';
import type { CategoryId } from '../../src/policy/schema';
import { NAV, send } from './helpers';

const policy = deployedPolicy();
const CONSENT_ID = 'golden-consent-id-000000';
/** An hour ago: current for the policy's lifetime, whatever day the test runs. */
const issued = Math.floor(Date.now() / 1000) - 3600;

interface Visitor {
  name: string;
  /** Accepted optional categories; null for a visitor who has not decided. */
  accepted: CategoryId[] | null;
  lang?: string;
}

const VISITORS: Visitor[] = [
  { name: 'undecided', accepted: null },
  { name: 'undecided-hi', accepted: null, lang: 'hi-IN,hi;q=0.9' },
  { name: 'rejected', accepted: [] },
  { name: 'functional', accepted: ['functional'] },
  { name: 'accepted-all', accepted: ['functional', 'analytics', 'third-party'] },
  { name: 'accepted-all-hi', accepted: ['functional', 'analytics', 'third-party'], lang: 'hi' },
];

/** The demo's pages through the worker, and the worker's own pages. */
const PAGES: Record<string, string> = {
  dashboard: '/',
  reports: '/reports?period=monthly',
  settings: '/settings',
  signin: '/api/auth/signin',
  'not-found': '/no-such-page',
  csp: '/csp',
  gated: '/gated',
  nohead: '/nohead',
  nocharset: '/nocharset',
  preferences: '/__consent/preferences?return=%2Fsettings%3Fx%3D1',
  'preferences-dialog': '/__consent/preferences?fragment=1&return=%2Freports',
};

/** The policy page is long and differs between visitors only in its choices: fewer visitors. */
const POLICY_PAGES: Record<string, string> = { 'policy-page': '/cookie-policy', 'policy-page-hi': '/cookie-policy?lang=hi' };
const POLICY_PAGE_VISITORS = new Set(['undecided', 'undecided-hi', 'functional', 'accepted-all-hi']);

async function consentCookie(accepted: CategoryId[]): Promise<string> {
  const secret = (env as unknown as { CONSENT_SECRET: string }).CONSENT_SECRET;
  const value = await signConsent({ revision: policy.policy.revision, categories: accepted, issued, gpc: false, id: CONSENT_ID }, secret);
  return `${policy.policy.consentCookie.name}=${value}`;
}

/** Replaces what differs between runs with fixed markers. */
function normalise(text: string): string {
  let out = text
    .replace(/([?&](?:amp;)?v=)[0-9a-z-]+/g, '$1VERSION')
    .replace(/name="csrfToken" value="[^"]*"/g, 'name="csrfToken" value="CSRF"')
    .replace(new RegExp(`"issuedAt":${issued}`, 'g'), '"issuedAt":ISSUED')
    .replace(new RegExp(`"t":${issued}`, 'g'), '"t":ISSUED')
    .replace(new RegExp(`"expiresAt":${issued + policy.policy.consentCookie.lifetimeDays * 86_400}`, 'g'), '"expiresAt":EXPIRES');
  for (const locale of Object.keys(policy.policy.locales)) out = out.replaceAll(formatDate(issued, locale), 'DECIDED_ON');
  return out;
}

/** The response headers a page's bytes and caching depend on (validators are checked elsewhere). */
const HEADERS = ['content-type', 'cache-control', 'vary', 'content-language', 'content-security-policy'];

describe('golden pages', () => {
  for (const visitor of VISITORS) {
    const pages = { ...PAGES, ...(POLICY_PAGE_VISITORS.has(visitor.name) ? POLICY_PAGES : {}) };
    for (const [page, path] of Object.entries(pages)) {
      it(`${page} for a visitor ${visitor.name} is byte for byte as before`, async () => {
        const headers: Record<string, string> = { ...NAV };
        if (visitor.accepted) headers.cookie = await consentCookie(visitor.accepted);
        if (visitor.lang) headers['accept-language'] = visitor.lang;
        const res = await send(path, { headers });
        const head = HEADERS.map((name) => `${name}: ${res.headers.get(name) ?? '-'}`).join('\n');
        const body = normalise(await res.text());
        await expect(`${res.status}\n${head}\n\n${body}`).toMatchFileSnapshot(`./golden/${visitor.name}/${page}.html`);
      });
    }
  }
});
