/**
 * Issue 5, request side, end to end in workerd against the real demo origin (`/api/echo`): the
 * exact `Cookie` header and the `Consent-Categories` header the origin receives in every state.
 */
import { describe, expect, it } from 'vitest';
import type { CategoryId } from '../../src/policy/schema';
import { direct, send } from './helpers';
import {
  allows,
  consentPair,
  type ConsentCase,
  type Echo,
  policy,
  received,
  STATES,
  sendWith,
  setCookiesPath,
  wireCookies,
} from './cookies-helpers';

/** Sub-resource requests, so no expiry `Set-Cookie` is in the way of what is asserted here. */
const FETCH = { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' };

async function originSees(state: ConsentCase, cookie: string, headers: Record<string, string> = {}) {
  const res = await sendWith(state, '/api/echo/cookies', { cookie, headers: { ...FETCH, ...headers } });
  expect(res.status).toBe(200);
  return { res, echo: (await res.json()) as Echo };
}

/** Pairs as the client sends them, each with the category it belongs to (null: undeclared). */
const ODD_PAIRS: [pair: string, category: CategoryId | null][] = [
  ['tnc_experiment=%20x', null],
  ['q="quoted value; not split"', null],
  ['sidebar-collapsed=1', 'functional'],
  ['sidebar-collapsed=2', 'functional'],
  ['sid=dup1', null],
  ['sid=dup2', null],
  ['spaced = a b ', null],
  ['_ga=GA1.1.123.456', 'analytics'],
  ['abc', null],
  ['=nameless', null],
  ['next-auth.session-token.0=chunk%2B0', 'essential'],
  ['__Host-next-auth.csrf-token=a%7Cb', 'essential'],
  ['report-filters=%7B%22period%22%3A%2230d%22%7D', 'functional'],
  ['rzp_DEMO123=checkout', 'third-party'],
  ['__Secure-_ga_DEMO123=GS1.1.1', 'analytics'],
];

describe.each(STATES)('the origin, for a visitor: $label', (state) => {
  it('receives every declared cookie of an allowed category, and none of a refused one', async () => {
    const declared = wireCookies();
    const sent = declared.map((c, i) => `${c.name}=v${i}`);
    const { echo } = await originSees(state, sent.join('; '));
    const pair = await consentPair(state);
    const kept = sent.filter((_, i) => allows(state, declared[i]?.category as CategoryId));
    expect(received(echo, 'cookie')).toEqual([[pair, ...kept].filter(Boolean).join('; ')]);
  });

  it('receives the kept pairs with their exact bytes: escapes, quotes, duplicates, spacing, undeclared and nameless', async () => {
    // The browser separates pairs with "; "; odd separators are normalised to that, never the pairs.
    const { echo } = await originSees(state, ODD_PAIRS.map(([p]) => p).join(';  '));
    const pair = await consentPair(state);
    const kept = ODD_PAIRS.filter(([, c]) => c === null || allows(state, c)).map(([p]) => p.trim());
    expect(received(echo, 'cookie')).toEqual([[pair, ...kept].filter(Boolean).join('; ')]);
  });

  it('receives the allowed categories in Consent-Categories, never the client-sent one', async () => {
    const { echo } = await originSees(state, '', { 'consent-categories': 'essential, functional, analytics, third-party' });
    const expected = policy.ids.filter((id) => allows(state, id)).join(', ');
    expect(received(echo, 'consent-categories')).toEqual([expected]);
  });
});

describe('the Cookie header to the origin', () => {
  const undecided = STATES[0] as ConsentCase;

  it('carries non-ASCII and unusual bytes exactly as a direct request would', async () => {
    const cookie = 'utf8=caf\u00e9; tab=a\tb; \u00e9t\u00e9=1; sidebar-collapsed=1; json={"a":[1,2]}';
    const { echo } = await originSees(undecided, cookie);
    const straight = (await (
      await direct('/api/echo/cookies', { headers: { cookie: cookie.replace('; sidebar-collapsed=1', '') } })
    ).json()) as Echo;
    expect(received(echo, 'cookie')).toEqual(received(straight, 'cookie'));
    expect(received(echo, 'cookie')[0]).toContain('json={"a":[1,2]}');
  });

  it('judges each cookie of a second Cookie field on its own (the runtime joins fields with ", ")', async () => {
    // curl -H twice, or HTTP/2 crumbs: the worker sees "a=1, _ga=2; …". A refused cookie must not
    // ride inside another cookie's value, nor take an essential cookie down with it.
    const headers = new Headers(FETCH);
    headers.append('cookie', 'tnc_experiment=a, b; _ga=GA1.1.1');
    headers.append('cookie', 'next-auth.session-token=s; sidebar-collapsed=1');
    headers.append('cookie', 'x=1');
    headers.append('cookie', '_ga_DEMO123=GS1, plain=2');
    expect(headers.get('cookie')).toBe(
      'tnc_experiment=a, b; _ga=GA1.1.1, next-auth.session-token=s; sidebar-collapsed=1, x=1, _ga_DEMO123=GS1, plain=2',
    );
    const res = await send('/api/echo/joined', { headers });
    const echo = (await res.json()) as Echo;
    // Any `name=` after ", " starts a cookie of its own (RFC 6265 keeps ", " out of values): the
    // undeclared `x` and `plain` are forwarded, the refused `_ga` and `_ga_DEMO123` are not, and
    // "a, b" (no `=`) stays one value.
    expect(received(echo, 'cookie')).toEqual(['tnc_experiment=a, b; next-auth.session-token=s; x=1, plain=2']);
  });

  it('a tampered consent cookie counts as no decision: nothing optional is forwarded', async () => {
    const acceptAll = STATES.find((s) => s.label === 'accept-all') as ConsentCase;
    const forged = (await consentPair(acceptAll)).replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const headers = new Headers({ ...FETCH, cookie: `${forged}; _ga=1; sidebar-collapsed=1; rzp_DEMO123=2` });
    const echo = (await (await send('/api/echo/forged', { headers })).json()) as Echo;
    expect(received(echo, 'cookie')).toEqual([forged]);
    expect(received(echo, 'consent-categories')).toEqual(['essential']);
  });

  it('Sec-GPC: 1 refuses analytics even after accept-all (decided without GPC)', async () => {
    const acceptAll = STATES.find((s) => s.label === 'accept-all') as ConsentCase;
    const { echo } = await originSees(acceptAll, '_ga=1; sidebar-collapsed=1; rzp_DEMO123=2', { 'sec-gpc': '1' });
    expect(received(echo, 'cookie')).toEqual([`${await consentPair(acceptAll)}; sidebar-collapsed=1; rzp_DEMO123=2`]);
    expect(received(echo, 'consent-categories')).toEqual(['essential, functional, third-party']);
    const res = await sendWith(acceptAll, setCookiesPath(['_ga=GA1; Path=/', 'sidebar-collapsed=1; Path=/']), {
      headers: { ...FETCH, 'sec-gpc': '1' },
    });
    expect(res.headers.getSetCookie()).toEqual(['sidebar-collapsed=1; Path=/']);
  });

  it('is dropped entirely when every cookie the browser sent is refused', async () => {
    const { echo } = await originSees(undecided, '_ga=GA1.1.1; sidebar-collapsed=1; rzp_DEMO123=x');
    expect(received(echo, 'cookie')).toEqual([]);
  });

  it('is forwarded unchanged in content when nothing is refused', async () => {
    const { echo } = await originSees(undecided, 'next-auth.session-token=s%3D; tnc_experiment=b; ce_consent=garbled');
    expect(received(echo, 'cookie')).toEqual(['next-auth.session-token=s%3D; tnc_experiment=b; ce_consent=garbled']);
    expect(received(echo, 'consent-categories')).toEqual(['essential']);
  });

  it('names sent with the consent of a different visitor state are judged by that state alone', async () => {
    const functional = STATES.find((s) => s.label === 'functional only') as ConsentCase;
    const { echo } = await originSees(functional, '_ga=1; sidebar-collapsed=1; _ga_DEMO123=2');
    expect(received(echo, 'cookie')).toEqual([`${await consentPair(functional)}; sidebar-collapsed=1`]);
    expect(received(echo, 'consent-categories')).toEqual(['essential, functional']);
  });
});
