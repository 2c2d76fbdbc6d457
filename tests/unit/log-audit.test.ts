/**
 * The drift audit's proposals: cookie families become `prefix*`, declared cookies drop out, and
 * every proposal is a valid `policy.json` cookie entry once ops fill it in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type DriftRow,
  formatDriftReport,
  formatProposals,
  formatSourceProposals,
  guessCategory,
  parseDriftRows,
  patternFor,
  proposeEntries,
  proposeSources,
} from '../../tools/audit/audit';
import { SourcePattern } from '../../src/policy/schema';
import { compilePolicy } from '../../src/policy/compile';
import { parsePolicy } from '../../src/policy/index';
import { DeclaredCookie } from '../../src/policy/schema';

const seen = (name: string, source: DriftRow['source'] = 'set-cookie', count = 1): DriftRow => ({
  name,
  source,
  count,
  first_seen: '2026-04-01T00:00:00.000Z',
  last_seen: '2026-04-02T00:00:00.000Z',
  sample_path: '/',
});

describe('patternFor', () => {
  it('collapses id-suffixed families and keeps plain names exact', () => {
    expect(patternFor('_ga_ABC123XYZ')).toBe('_ga_*');
    expect(patternFor('_hjSession_4711')).toBe('_hjSession_*');
    expect(patternFor('tnc_experiment')).toBe('tnc_experiment');
    expect(patternFor('__Secure-tnc_experiment')).toBe('tnc_experiment');
  });
});

describe('guessCategory', () => {
  it('guesses from well-known names and says why', () => {
    expect(guessCategory('tnc_experiment')).toMatchObject({ category: 'analytics', reason: expect.stringContaining('A/B') });
    expect(guessCategory('_hjSessionUser').category).toBe('analytics');
    expect(guessCategory('__stripe_mid').category).toBe('third-party');
    expect(guessCategory('theme').category).toBe('functional');
    expect(guessCategory('zzz')).toMatchObject({ category: 'functional', reason: expect.stringContaining('ops decide') });
  });
});

describe('proposeEntries', () => {
  const policy = parsePolicy(JSON.parse(readFileSync(new URL('../../policy.json', import.meta.url), 'utf8')));
  if (!policy.ok) throw new Error('policy.json is invalid');
  const compiled = compilePolicy(policy.policy);
  const isDeclared = (name: string) => compiled.classifyCookie(name) !== undefined;

  it('proposes undeclared cookies only, one entry per family, busiest first', () => {
    const proposals = proposeEntries(
      [
        seen('_ga_XYZ789', 'cookie', 50),
        seen('tnc_experiment', 'set-cookie', 7),
        seen('_hjSession_4711', 'cookie', 2),
        seen('_hjSession_4712', 'cookie', 3),
        seen('tnc_experiment', 'cookie', 1),
      ],
      isDeclared,
    );
    expect(proposals.map((p) => [p.entry.name, p.category, p.seen.count, p.seen.sources])).toEqual([
      ['tnc_experiment', 'analytics', 8, ['set-cookie', 'cookie']],
      ['_hjSession_*', 'analytics', 5, ['cookie']],
    ]);
  });

  it('produces entries the policy schema accepts', () => {
    for (const p of proposeEntries([seen('tnc_experiment'), seen('_hjSession_1')])) {
      expect(DeclaredCookie.safeParse(p.entry).success).toBe(true);
    }
  });

  it('prints JSON that parses back to the entries', () => {
    const proposals = proposeEntries([seen('tnc_experiment')]);
    const text = formatProposals(proposals);
    const json = text.slice(text.indexOf('\n[') + 1);
    expect(JSON.parse(json)).toEqual([proposals[0]?.entry]);
    expect(formatProposals([])).toContain('nothing to add');
  });
});

describe('drift report', () => {
  it('keeps only well-formed rows and lines columns up', () => {
    const rows = parseDriftRows([seen('a_long_cookie_name'), { name: 'broken' }, seen('b', 'cookie', 12)]);
    expect(rows).toHaveLength(2);
    const lines = formatDriftReport(rows).split('\n');
    expect(lines[0]?.indexOf('SOURCE')).toBe(lines[1]?.indexOf('set-cookie'));
    expect(lines[2]?.indexOf('cookie')).toBe(lines[0]?.indexOf('SOURCE'));
    expect(formatDriftReport([])).toBe('No undeclared cookies or sources have been seen.');
  });
});

describe('undeclared sources', () => {
  const compiled = (() => {
    const result = parsePolicy(JSON.parse(readFileSync('policy.json', 'utf8')));
    if (!result.ok) throw new Error('policy.json');
    return compilePolicy(result.policy);
  })();
  const page = { href: 'https://site.invalid/', origin: 'https://site.invalid' };
  const declared = (kind: 'script' | 'iframe', url: string) => compiled.classifySource(kind, url, page) !== undefined;

  it('proposes one pattern per host and kind, busiest first, leaving declared sources out', () => {
    const proposals = proposeSources(
      [
        seen('https://www.youtube-nocookie.com/embed/tnc-tour', 'iframe', 4),
        seen('https://www.youtube-nocookie.com/embed/other', 'iframe', 2),
        seen('https://cdn.widgets.example/w.js', 'script', 9),
        seen('https://www.googletagmanager.com/gtag/js', 'script', 30),
        seen('tnc_experiment', 'set-cookie', 7),
      ],
      declared,
    );
    expect(proposals.map((p) => [p.kind, p.pattern, p.category, p.seen.count])).toEqual([
      ['scripts', 'https://cdn.widgets.example/*', 'third-party', 9],
      ['iframes', 'https://www.youtube-nocookie.com/*', 'third-party', 6],
    ]);
    for (const p of proposals) expect(SourcePattern.safeParse(p.pattern).success).toBe(true);
    // Cookies and sources stay apart.
    expect(proposeEntries([seen('https://www.youtube-nocookie.com/embed/x', 'iframe')])).toEqual([]);
  });

  it('prints, per category and kind, the JSON to append', () => {
    const text = formatSourceProposals(proposeSources([seen('https://www.youtube-nocookie.com/embed/tnc-tour', 'iframe', 4)]));
    expect(text).toContain('// categories[id="third-party"].iframes (guessed category; ops decide):');
    expect(text).toContain('an embed of a third-party platform');
    expect(JSON.parse(text.slice(text.lastIndexOf('\n') + 1))).toEqual(['https://www.youtube-nocookie.com/*']);
    expect(formatSourceProposals([])).toContain('nothing to add');
  });
});
