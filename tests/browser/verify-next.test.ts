// `npm run verify` on the Next.js fixture: through the worker every choice is enforced (exit 0),
// resource hints and client-side navigations included; the bare Next.js origin sends the Google
// tags' requests against a refusal, and the report names them with their initiators (exit 1).
import { beforeAll, describe, expect, it } from 'vitest';
import { stackHarness } from './support/fixture';
import { buildNextFixture, startNextOrigin } from './support/next-origin';
import { verify } from './support/verify';

beforeAll(() => buildNextFixture(), 300_000);
const t = stackHarness(startNextOrigin);

describe('npm run verify on a Next.js app', () => {
  it('finds no violation through the worker, for every visitor', async () => {
    const { code, output, report } = await verify([t.url, '--pages', '4'], 'next-worker');
    expect(code, output).toBe(0);
    for (const state of report?.states ?? []) expect(state.violations, state.id).toEqual([]);
    const accepted = report?.states.find((s) => s.id === 'accept-all');
    expect(accepted?.hosts.map((h) => h.host)).toContain('www.googletagmanager.com');
    // It navigated the app's own way too: by clicking next/link links.
    expect(accepted?.pages.some((p) => p.via === 'click')).toBe(true);
  });

  it('names the preloads and scripts that reach Google on the bare origin', async () => {
    const { code, output, report } = await verify(
      [t.originUrl, '--pages', '2', '--policy', 'policy.json', '--only', 'reject-all'],
      'next-bare',
    );
    expect(code, output).toBe(1);
    const violations = report?.states[0]?.violations ?? [];
    expect(violations).toContainEqual(expect.objectContaining({ kind: 'request', host: 'www.googletagmanager.com', initiator: 'preload' }));
    expect(violations).toContainEqual(
      expect.objectContaining({ kind: 'request', host: 'www.googletagmanager.com', category: 'analytics' }),
    );
  });
});
