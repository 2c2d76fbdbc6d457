// `npm run verify` end to end: the real command, in Chromium, against the demo through the worker
// (every choice enforced: exit 0) and against the bare demo origin (the GA cookies and the Google
// requests found and named: exit 1).
import { describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';
import { verify } from './support/verify';

const t = stackHarness();

describe('npm run verify', () => {
  it('finds no violation on the demo through the worker, for every visitor, and exits 0', async () => {
    const { code, output, report, html } = await verify([t.url, '--pages', '3'], 'worker');
    expect(code, output).toBe(0);
    expect(report?.states.map((s) => s.id)).toEqual([
      'undecided',
      'reject-all',
      'accept-all',
      'only-functional',
      'only-analytics',
      'only-third-party',
    ]);
    for (const state of report?.states ?? []) {
      expect(state.pages.length, state.id).toBe(3);
      expect(state.violations, state.id).toEqual([]);
    }
    const byId = new Map(report?.states.map((s) => [s.id, s]));
    // The crawl really made each choice on the banner: the site reports it back.
    expect(byId.get('reject-all')?.reported).toEqual(['essential']);
    expect(byId.get('only-analytics')?.reported).toEqual(['essential', 'analytics']);
    // And it saw what the accepted tags do: the GA stand-in's cookies, the Google host.
    expect(byId.get('accept-all')?.cookies.map((c) => c.name)).toEqual(expect.arrayContaining(['_ga', 'ce_consent']));
    expect(byId.get('accept-all')?.hosts.map((h) => h.host)).toContain('www.googletagmanager.com');
    expect(byId.get('reject-all')?.hosts).toEqual([]);
    expect(html).toContain('Every choice was enforced');
  });

  it('names the GA cookies, the Google requests and their initiators on the bare origin, and exits 1', async () => {
    const { code, output, report, html } = await verify(
      [t.originUrl, '--pages', '2', '--policy', 'policy.json', '--only', 'reject-all'],
      'bare',
    );
    expect(code, output).toBe(1);
    const violations = report?.states[0]?.violations ?? [];
    expect(violations).toContainEqual(expect.objectContaining({ kind: 'decision', message: expect.stringContaining('no consent banner') }));
    expect(violations).toContainEqual(expect.objectContaining({ kind: 'cookie', name: '_ga', category: 'analytics' }));
    expect(violations).toContainEqual(
      expect.objectContaining({ kind: 'request', host: 'www.googletagmanager.com', category: 'analytics', initiator: 'parser' }),
    );
    expect(output).toMatch(/request to www\.googletagmanager\.com: analytics \(refused\), parser/);
    expect(html).toContain('violation(s) found');
  });

  it('exits 2 with a clear message when the site has no policy and none is given', async () => {
    const { code, output } = await verify([t.originUrl, '--pages', '1'], 'no-policy');
    expect(code).toBe(2);
    expect(output).toContain('/__consent/policy.json answered 404');
  });
});
