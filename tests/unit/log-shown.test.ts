/**
 * What the log keeps of a policy version: the texts and cookie tables as the worker renders them
 * per locale, the canonical policy whose hash is the fingerprint, and how a record finds its texts.
 */
import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { bodyMarkup } from '../../src/banner/markup';
import { shownFor, withShown } from '../../src/log/evidence';
import { shownTexts } from '../../src/log/shown';
import { policyVersion, verifiesFingerprint } from '../../src/log/version';
import { PreferencesDialog, PreferencesPage } from '../../src/pages/preferences/view';
import { compilePolicy } from '../../src/policy/compile';
import { policyHash } from '../../src/policy/digest';
import { localText } from '../../src/policy/locale';
import { consentState, decisionRecord, defaultPolicy } from '../support/fixtures';

const policy = defaultPolicy;
const hi = policy.policy.locales.hi;
const en = policy.policy.locales.en;

describe('shownTexts', () => {
  it('holds the banner, the dialog and the prompt exactly as the locale renders them', () => {
    const shown = shownTexts(policy, 'hi');
    expect(shown.banner).toEqual({ ...hi?.banner, policyLink: hi?.preferences.policyLink });
    expect(shown.dialog.intro).toBe(hi?.preferences.intro);
    expect(shown.placeholder).toEqual({
      prompt: hi?.preferences.contextualPrompt,
      allow: hi?.preferences.allow,
      close: hi?.preferences.close,
    });
    expect(shown.draft).toBe(hi?.draft);
  });

  it('lists every category in the locale with its cookie table, every column the pages render', () => {
    const shown = shownTexts(policy, 'hi');
    expect(shown.categories.map((c) => c.id)).toEqual(policy.ids);
    const essential = policy.policy.categories[0];
    expect(shown.categories[0]?.title).toBe(essential?.title.hi);
    expect(shown.categories[0]?.cookies).toHaveLength(essential?.cookies.length ?? -1);
    const razorpay = shown.categories.find((c) => c.id === 'third-party')?.cookies[0];
    expect(razorpay).toMatchObject({
      provider: expect.any(String),
      otherDomain: expect.any(String),
      policyUrl: expect.stringMatching(/^https:/),
    });
  });

  it("keeps each locale's cookie purposes and durations as that locale renders them", () => {
    const first = policy.policy.categories[0]?.cookies[0];
    for (const locale of ['en', 'hi']) {
      const row = shownTexts(policy, locale).categories[0]?.cookies[0];
      expect(row?.purpose).toBe(localText(policy.policy, first?.purpose ?? '', locale).text);
      expect(row?.duration).toBe(localText(policy.policy, first?.duration ?? '', locale).text);
    }
    expect(shownTexts(policy, 'hi').categories[0]?.cookies[0]?.purpose).not.toBe(
      shownTexts(policy, 'en').categories[0]?.cookies[0]?.purpose,
    );
  });

  it('carries the legal-text notice only where the legal text is in another language', () => {
    expect(shownTexts(policy, 'en').page.legalTextNotice).toBeNull();
    expect(shownTexts(policy, 'hi').page.legalTextNotice).toBe(hi?.page.legalTextNotice || null);
  });

  it('falls back to the default locale for a category text a locale lacks, as the banner does', () => {
    const edited = structuredClone(policy.policy);
    const analytics = edited.categories.find((c) => c.id === 'analytics');
    if (analytics) delete analytics.description.hi;
    const shown = shownTexts(compilePolicy(edited), 'hi');
    expect(shown.categories.find((c) => c.id === 'analytics')?.description).toBe(analytics?.description.en);
  });
});

describe('policyVersion', () => {
  it('is keyed by the fingerprint decisions carry, over policy JSON anyone can re-hash', async () => {
    const version = await policyVersion(policy);
    expect(version.fingerprint).toBe(await policyHash(policy.policy));
    expect(await verifiesFingerprint(version)).toBe(true);
    expect(await verifiesFingerprint({ ...version, policy: version.policy.replace('Cookie', 'Biscuit') })).toBe(false);
    expect(Object.keys(version.shown.locales)).toEqual(Object.keys(policy.policy.locales));
    expect(version.shown.legal.sections).toEqual(policy.policy.content.sections);
  });
});

describe('a record finds what it was shown', () => {
  it('in its own locale, the default one when it names none or one the version lacks, nothing without a version', async () => {
    const { shown } = await policyVersion(policy);
    expect(shownFor({ locale: 'hi' }, shown)?.texts.banner.body).toBe(hi?.banner.body);
    expect(shownFor({ locale: null }, shown)?.locale).toBe('en');
    expect(shownFor({ locale: 'fr' }, shown)?.texts.banner.body).toBe(en?.banner.body);
    expect(shownFor({ locale: 'hi' }, undefined)).toBeNull();
  });

  it('joins each record with its version, keeping the order', async () => {
    const version = await policyVersion(policy);
    const known = decisionRecord({ policyHash: version.fingerprint, locale: 'hi' });
    const unknown = decisionRecord({ policyHash: '9'.repeat(64) });
    const joined = withShown([known, unknown], new Map([[version.fingerprint, version.shown]]));
    expect(joined.map((r) => r.id)).toEqual([known.id, unknown.id]);
    expect(joined[0]?.shown?.locale).toBe('hi');
    expect(joined[1]?.shown).toBeNull();
  });
});

describe('the forms say where a choice is made, and in which language', () => {
  it('the banner names itself and its locale', () => {
    const html = bodyMarkup({ policy, consent: consentState(), locale: 'hi', returnTo: '/' });
    expect(html).toContain('<input type=hidden name=surface value=banner>');
    expect(html).toContain('<input type=hidden name=locale value=hi>');
  });

  it('the dialog and the page without JavaScript name themselves', () => {
    const props = { policy, consent: consentState(), locale: 'en', returnTo: '/' };
    expect(String(jsx(PreferencesDialog, props))).toContain('name="surface" value="dialog"');
    expect(String(jsx(PreferencesPage, props))).toContain('name="surface" value="page"');
  });
});
