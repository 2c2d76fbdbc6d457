/**
 * The default policy.json and every semantic rule of docs/configuration.md: each crafted bad policy is refused
 * with a problem that names the JSON path at fault.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/policy/compile';
import { parsePolicy, type PolicyProblem } from '../../src/policy/index';

const defaultJson = JSON.parse(readFileSync(new URL('../../policy.json', import.meta.url), 'utf8'));
/** The page a source is found on. */
const PAGE = new URL('https://trackncloak.com/');

// biome-ignore lint/suspicious/noExplicitAny: crafted policies are deliberately untyped JSON
type Json = any;

/** A deep copy of the default policy, edited by `edit`, then parsed. */
function problemsOf(edit: (p: Json) => void): PolicyProblem[] {
  const copy = structuredClone(defaultJson);
  edit(copy);
  const result = parsePolicy(copy);
  return result.ok ? [] : result.problems;
}

const indexOf = (p: Json, id: string): number => p.categories.findIndex((c: Json) => c.id === id);

describe('the default policy.json', () => {
  const result = parsePolicy(defaultJson);
  const policy = result.ok ? result.policy : undefined;
  const compiled = policy ? compilePolicy(policy) : undefined;

  it('passes every check', () => {
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('declares the published cookies under their published categories', () => {
    const published: [string, string, string, string][] = [
      ['next-auth.session-token', 'essential', 'Authentication session', 'Session / 30 days'],
      ['next-auth.csrf-token', 'essential', 'CSRF protection', 'Session'],
      ['next-auth.callback-url', 'essential', 'Redirect after authentication', 'Session'],
      ['sidebar-collapsed', 'functional', 'Remember sidebar state preference', '1 year'],
      ['report-filters', 'functional', 'Remember report filter preferences', 'Session'],
    ];
    for (const [name, category, purpose, duration] of published) {
      const match = compiled?.classifyCookie(name);
      expect(match?.category, name).toBe(category);
      expect(match?.cookie).toMatchObject({ purpose: { en: purpose }, duration: { en: duration } });
    }
  });

  it('classifies the real wire names: prefixes, chunks, OAuth, Cloudflare, GA4, consent', () => {
    const expected: Record<string, string> = {
      '__Secure-next-auth.session-token': 'essential',
      'next-auth.session-token.0': 'essential',
      '__Secure-next-auth.session-token.12': 'essential',
      'next-auth.session-token.1234': 'essential',
      '__Secure-authjs.session-token.98765': 'essential',
      '__Host-next-auth.csrf-token': 'essential',
      '__Secure-next-auth.callback-url': 'essential',
      '__Secure-next-auth.state': 'essential',
      '__Secure-next-auth.pkce.code_verifier': 'essential',
      '__Secure-next-auth.nonce': 'essential',
      '__Secure-authjs.session-token.1': 'essential',
      '__Host-authjs.csrf-token': 'essential',
      __cf_bm: 'essential',
      cf_clearance: 'essential',
      _cfuvid: 'essential',
      ce_consent: 'essential',
      _ga: 'analytics',
      _ga_DEMO123: 'analytics',
    };
    for (const [name, category] of Object.entries(expected)) expect(compiled?.classifyCookie(name)?.category, name).toBe(category);
    expect(compiled?.classifyCookie('tnc_experiment')).toBeUndefined();
    expect(compiled?.classifyCookie('sidebar-collapsed.0')).toBeUndefined();
    for (const name of ['next-auth.session-token.', 'next-auth.session-token.1a', 'next-auth.session-token.-1'])
      expect(compiled?.classifyCookie(name), name).toBeUndefined();
  });

  it('gates the GA and Razorpay scripts and is opt-in everywhere with a 6-month consent', () => {
    expect(compiled?.classifySource('script', 'https://www.googletagmanager.com/gtag/js?id=G-X', PAGE)).toBe('analytics');
    expect(compiled?.classifySource('script', 'https://www.google-analytics.com/analytics.js', PAGE)).toBe('analytics');
    expect(compiled?.classifySource('script', 'https://checkout.razorpay.com/v1/checkout.js', PAGE)).toBe('third-party');
    expect(policy?.regimes).toEqual({ default: 'opt-in', regions: {} });
    expect(policy?.consentCookie.lifetimeDays).toBe(182);
    expect(policy?.undeclared).toBe('block');
    expect(policy?.gpc.refuses).toEqual(['analytics']);
    expect(policy?.effectiveDate).toBe('2026-03-30');
    expect(policy?.content.contactEmail).toBe('help@trackncloak.com');
  });

  it('declares Razorpay as another domain with its privacy policy, and GA with Domain variants', () => {
    const razorpay = compiled?.categories.get('third-party')?.cookies[0];
    expect(razorpay).toMatchObject({ provider: 'Razorpay', otherDomain: 'razorpay.com', policyUrl: 'https://razorpay.com/privacy/' });
    expect(compiled?.classifyCookie('_ga')?.cookie.scopes).toEqual([
      { path: '/' },
      { domain: '$host', path: '/' },
      { domain: 'trackncloak.com', path: '/' },
    ]);
  });

  it('marks Hindi as a draft whose legal-text notice is not empty', () => {
    expect(policy?.locales.hi?.draft).toBe(true);
    expect(policy?.locales.hi?.page.legalTextNotice).not.toBe('');
    expect(policy?.locales.en?.draft).toBe(false);
  });
});

describe('semantic rules name the path at fault', () => {
  it('refuses a second required category', () => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'functional')].required = true;
    });
    expect(problems).toContainEqual({ path: 'categories', message: expect.stringContaining('exactly one') });
    expect(problems).toContainEqual({ path: 'categories[1].required', message: expect.stringContaining('functional') });
  });

  it('refuses a source pattern whose * would stand for part of a host', () => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'analytics')].scripts.push('https://www.google*');
    });
    expect(problems).toContainEqual({
      path: 'categories[2].scripts[2]',
      message: '"https://www.google*": a * cannot stand for part of the host; write "https://www.google/*"',
    });
    expect(
      problemsOf((p) => {
        p.categories[indexOf(p, 'analytics')].iframes = ['https://www.youtube.com/embed/*', '/embed/*'];
      }),
    ).toEqual([]);
  });

  it('takes first-party endpoints as /paths of one optional category, never the worker’s own', () => {
    const at = (edit: (p: Json) => void) => problemsOf(edit);
    expect(
      at((p) => {
        p.categories[indexOf(p, 'analytics')].endpoints = ['/api/track*', '/api/events'];
      }),
    ).toEqual([]);
    expect(
      at((p) => {
        p.categories[indexOf(p, 'analytics')].endpoints = ['https://trackncloak.com/api/track'];
      }),
    ).toContainEqual({
      path: `categories[${indexOf(defaultJson, 'analytics')}].endpoints[0]`,
      message: expect.stringContaining('same-origin /path'),
    });
    const problems = at((p) => {
      p.categories[indexOf(p, 'analytics')].endpoints = ['/api/*', '/__consent/x'];
      p.categories[indexOf(p, 'functional')].endpoints = ['/api/prefs'];
      p.categories[indexOf(p, 'essential')].endpoints = ['/api/health'];
    });
    const analytics = indexOf(defaultJson, 'analytics');
    expect(problems).toContainEqual({
      path: `categories[${analytics}].endpoints[1]`,
      message: expect.stringContaining("covers the worker's own paths"),
    });
    expect(problems).toContainEqual({
      path: `categories[${analytics}].endpoints[0]`,
      message: '"/api/*" overlaps "/api/prefs" (categories[1].endpoints[0]): "functional" and "analytics"',
    });
    expect(problems).toContainEqual({
      path: 'categories[0].endpoints[0]',
      message: expect.stringContaining('the required category is always allowed'),
    });
  });

  it('still takes a policy written before placeholders, with English placeholder texts', () => {
    const copy = structuredClone(defaultJson);
    delete copy.locales.hi.placeholder;
    const result = parsePolicy(copy);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (result.ok) expect(result.policy.locales.hi?.placeholder.allow).toBe('Allow and load');
  });

  it('takes undeclaredSources as block (the default) or allow, nothing else', () => {
    const parsed = parsePolicy(defaultJson);
    expect(parsed.ok && parsed.policy.undeclaredSources).toBe('block');
    expect(problemsOf((p) => (p.undeclaredSources = 'allow'))).toEqual([]);
    expect(problemsOf((p) => (p.undeclaredSources = 'warn'))).toContainEqual({ path: 'undeclaredSources', message: expect.any(String) });
  });

  it('refuses a policy without a required category', () => {
    const problems = problemsOf((p) => {
      p.categories[0].required = false;
    });
    expect(problems).toContainEqual({ path: 'categories', message: expect.stringContaining('found 0') });
  });

  it('refuses duplicate category ids', () => {
    const problems = problemsOf((p) => {
      p.categories[3].id = 'analytics';
    });
    expect(problems).toContainEqual({ path: 'categories[3].id', message: expect.stringContaining('duplicate category id "analytics"') });
  });

  // The rule reports at the later of the two patterns and names the earlier one in its message.
  it('refuses an exact name in one category that a prefix of another matches', () => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'functional')].cookies.push({ name: '_ga_CUSTOM', purpose: 'x', duration: 'x' });
    });
    expect(problems).toEqual([
      {
        path: 'categories[2].cookies[1].name',
        message: '"_ga_*" overlaps "_ga_CUSTOM" (categories[1].cookies[2].name): "functional" and "analytics"',
      },
    ]);
  });

  it('refuses two prefixes where one starts the other, across categories', () => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'functional')].cookies.push({ name: '_g*', purpose: 'x', duration: 'x' });
    });
    expect(problems).toContainEqual({
      path: 'categories[2].cookies[1].name',
      message: '"_ga_*" overlaps "_g*" (categories[1].cookies[2].name): "functional" and "analytics"',
    });
  });

  it('refuses the same exact name declared twice', () => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'analytics')].cookies.push({ name: 'report-filters', purpose: 'x', duration: 'x' });
    });
    expect(problems).toContainEqual({ path: 'categories[2].cookies[2].name', message: expect.stringContaining('overlaps') });
  });

  it.each(['_ga?', '*_ga', '_g*a*', 'a b', ''])('refuses the pattern %j, neither an exact name nor prefix*', (name) => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'analytics')].cookies[0].name = name;
    });
    expect(problems).toContainEqual({ path: 'categories[2].cookies[0].name', message: expect.stringContaining('prefix*') });
  });

  it('refuses a policy page inside the reserved prefix', () => {
    const problems = problemsOf((p) => {
      p.paths.policyPage = '/__consent/cookie-policy';
    });
    expect(problems).toEqual([{ path: 'paths.policyPage', message: expect.stringContaining('reserved prefix "/__consent"') }]);
  });

  it('refuses a policy page that would take over the home page or a /.well-known/ path', () => {
    for (const page of ['/', '/.well-known/gpc.json']) {
      expect(problemsOf((p) => (p.paths.policyPage = page))).toEqual([
        { path: 'paths.policyPage', message: expect.stringContaining('take over') },
      ]);
    }
  });

  it('refuses a javascript: or data: link in the policy', () => {
    const problems = problemsOf((p) => {
      p.categories[indexOf(p, 'analytics')].cookies[0].policyUrl = 'javascript:alert(1)';
    });
    expect(problems).toContainEqual({ path: 'categories[2].cookies[0].policyUrl', message: 'must be an http(s) URL' });
  });

  it('refuses a consent lifetime over 13 months', () => {
    expect(problemsOf((p) => (p.consentCookie.lifetimeDays = 396))).toEqual([
      { path: 'consentCookie.lifetimeDays', message: expect.stringContaining('over 13 months') },
    ]);
    expect(problemsOf((p) => (p.consentCookie.lifetimeDays = 395))).toEqual([]);
  });

  it('refuses a locale that misses an interface string', () => {
    const problems = problemsOf((p) => {
      delete p.locales.hi.page.title;
    });
    expect(problems.map((q) => q.path)).toEqual(['locales.hi.page.title']);
  });

  it('refuses a category title missing a declared locale', () => {
    const problems = problemsOf((p) => {
      delete p.categories[1].title.hi;
    });
    expect(problems).toEqual([{ path: 'categories[1].title.hi', message: 'missing translation for locale "hi"' }]);
  });

  it('refuses a category title in a locale that is not declared', () => {
    const problems = problemsOf((p) => {
      p.categories[0].title.fr = 'Cookies essentiels';
    });
    expect(problems).toEqual([{ path: 'categories[0].title.fr', message: 'locale "fr" is not declared in locales' }]);
  });

  it('refuses a default locale without texts', () => {
    expect(problemsOf((p) => (p.defaultLocale = 'fr')).map((q) => q.path)).toEqual(['defaultLocale']);
  });

  it('reports every problem at once, not only the first', () => {
    const problems = problemsOf((p) => {
      p.consentCookie.lifetimeDays = 1000;
      p.paths.policyPage = '/__consent';
      p.categories[3].id = 'analytics';
    });
    expect(problems.map((q) => q.path)).toEqual(
      expect.arrayContaining(['categories[3].id', 'consentCookie.lifetimeDays', 'paths.policyPage']),
    );
  });
});

describe('declaring cookies as the classifier sees them', () => {
  it('refuses a declared name carrying the implied __Secure-/__Host- prefix', () => {
    const problems = problemsOf((p) => {
      p.categories[1].cookies[0].name = '__Host-sidebar-collapsed';
    });
    expect(problems).toEqual([{ path: 'categories[1].cookies[0].name', message: expect.stringContaining('prefix is implied') }]);
  });

  it('refuses a consent cookie that is not declared under the required category', () => {
    const problems = problemsOf((p) => {
      p.consentCookie.name = 'other_consent';
    });
    expect(problems).toEqual([{ path: 'consentCookie.name', message: expect.stringContaining('"other_consent" must be declared') }]);
  });
});
