/**
 * The HTML pass against a corpus of hostile documents, through the worker in front
 * of a real origin that streams each one: every element and text node of the origin's document
 * survives (parse5 trees before and after, the injected parts taken out), the response is never
 * cut, refused tags never run, and each costs bounded time. The same documents through
 * HTMLRewriter alone show which of them it gives up on.
 */
import { describe, expect, it, vi } from 'vitest';
import { bodyMarkup, headMarkup } from '../../src/banner/markup';
import type { ConsentState } from '../../src/consent/state';
import { deployedPolicy } from '../../src/policy/load';
import { PLACEHOLDER_MARKUP } from '../../bench/holding';
import { hostileCorpus } from '../support/hostile-corpus';
import { shapeOf, wouldRun } from '../support/html-shape';
import { NAV, origin, send } from './helpers';

const policy = deployedPolicy();
// Declared under refused categories, or (YouTube) declared by none: undeclared sources are held too.
const REFUSED = /googletagmanager\.com|razorpay\.com|youtube\.com/;

/** The worker's injected markup for an undecided visitor on `path`, to take out again. */
async function injected(path: string): Promise<{ head: string; body: string }> {
  const consent = (await (await send('/__consent')).json()) as ConsentState;
  const input = { policy, consent, locale: policy.policy.defaultLocale, returnTo: path };
  return { head: headMarkup(input), body: bodyMarkup(input) };
}

async function stored(html: string): Promise<string> {
  const id = `corpus-${Math.random()}`;
  const res = await fetch(`${origin()}/faults/doc?id=${encodeURIComponent(id)}`, { method: 'POST', body: html });
  expect(res.status).toBe(204);
  return id;
}

describe.each(hostileCorpus())('$name', ({ html, hazard, unterminated = false }) => {
  it('reaches the visitor whole: every element and text node, never cut, refused tags inert, in bounded time', async () => {
    const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
    const id = await stored(html);
    // Streamed in pieces without a Content-Length, as a server-rendered page is.
    const path = `/faults/doc?id=${encodeURIComponent(id)}&chunk=16384&length=0`;
    const started = Date.now();
    const res = await send(path, { headers: NAV });
    expect(res.status).toBe(200);
    const out = await res.text(); // rejects if the body is cut
    const elapsed = Date.now() - started;
    logs.mockRestore();

    const { head, body } = await injected(path);
    // The head part once; the banner once, or not at all after a page that ends inside a tag or
    // a text element (it would become part of it).
    expect(out.split(head)).toHaveLength(2);
    if (out.split(body).length !== (unterminated ? 1 : 2)) console.error(out.slice(-300));
    expect(out.split(body)).toHaveLength(unterminated ? 1 : 2);
    const without = out.replace(head, '').replace(body, '').replace(PLACEHOLDER_MARKUP, '');

    const before = shapeOf(html);
    const after = shapeOf(without);
    expect(after.nodes.length).toBe(before.nodes.length);
    expect(after.nodes).toEqual(before.nodes);
    for (const element of after.gated) {
      const source = element.attrs.src ?? element.attrs['data-consent-src'] ?? '';
      // An undecided visitor refuses every optional category: a tag of one must not run.
      if (REFUSED.test(source) || element.attrs['data-consent-category'] !== undefined)
        expect(wouldRun(element), JSON.stringify(element.attrs).slice(0, 200)).toBe(false);
    }
    // Bounded: well under a second a megabyte, whatever the document does.
    expect(elapsed).toBeLessThan(3000 + (html.length / 1_000_000) * 1500);
  }, 60_000);

  // Only the documents that hazard the rewriter get this check (registered, not skipped, per document).
  if (hazard)
    it('is a page HTMLRewriter alone gives up on', async () => {
      const rewriter = new HTMLRewriter().on('head, body, script, iframe', { element() {} });
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(html);
          for (let at = 0; at < bytes.length; at += 16384) controller.enqueue(bytes.subarray(at, at + 16384));
          controller.close();
        },
      });
      await expect(rewriter.transform(new Response(chunks)).text()).rejects.toThrow(/Parser error/);
    });
});

describe('a page in another ASCII-compatible charset', () => {
  it('keeps its bytes after the rewriter is cut off (ISO-8859-1)', async () => {
    const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
    const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    const page = `<!doctype html><html><head><title>caf\u00e9</title></head><frameset><frame src="/a"><noframes>\u00a35 caf\u00e9 \u00e9t\u00e9</noframes></frameset><script src="https://www.googletagmanager.com/gtag/js"></script><p>fin \u00ff</p></html>`;
    const id = `latin1-${Math.random()}`;
    await fetch(`${origin()}/faults/doc?id=${id}`, { method: 'POST', body: latin1(page) });
    const res = await send(`/faults/doc?id=${id}&chunk=7&length=0&type=${encodeURIComponent('text/html; charset=iso-8859-1')}`, {
      headers: NAV,
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    logs.mockRestore();
    const out = new TextDecoder('windows-1252').decode(bytes);
    for (const text of ['\u00a35 caf\u00e9 \u00e9t\u00e9', 'fin \u00ff', 'type=text/plain']) expect(out).toContain(text);
    expect(out).not.toContain('\ufffd');
  });
});
