/**
 * The model of HTMLRewriter's parser and the inert gate, as pure code: where the model cuts and
 * why, that splitting the body never changes its answer, and that the gate only ever inserts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RewriterModel } from '../../src/html/bailout/model';
import type { HoldKind } from '../../src/core/hold';
import { holdsNothing, InertGate } from '../../src/html/inert';
import type { CategoryId } from '../../src/policy/schema';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function cutOf(html: string, size = 1 << 30): { cut: number; reason: string } {
  const model = new RewriterModel();
  const all = bytes(html);
  for (let at = 0; at < all.length; at += size) {
    const { cut, reason } = model.scan(all.subarray(at, at + size));
    if (cut !== -1) return { cut, reason };
  }
  return { cut: -1, reason: '' };
}

describe('RewriterModel: where HTMLRewriter would give up', () => {
  it.each([
    ['<p>a</p><select><option>b<style>x</style>', '<style>', '<style> in <select>'],
    ['<select><option></option><template><option><script>', '<script>', '<script> in <template> in <select>'],
    ['<frameset><frame><script src=x>', '<script', '<script> after <frameset>'],
    ['<svg><select><title>t</title>', '<title>', '<title> in <select>'],
    ['<select><template><template></template><xmp>', '<xmp>', '<xmp> in <template> in <select>'],
  ])('%s', (html, at, reason) => {
    expect(cutOf(html)).toEqual({ cut: html.indexOf(at), reason });
  });

  it.each([
    '<select><script>a</script><option>b</option></select><style>s</style>',
    '<select><input><style>x</style>',
    '<select><textarea></textarea><style>x</style>',
    '<select></select><script>x</script>',
    '<frameset><noframes>n</noframes><frame></frameset>',
    '<!-- <select><style> --><p>x</p>',
    '<p title="<select><style>">x</p><style>y</style>',
    '<textarea><select><style></textarea><style>y</style>',
    '<script>"<select><style>"</script><style>y</style>',
    '<script><!--<script>"</select>"</script>--></script><style>y</style>',
    '<svg><![CDATA[<select>]]></svg><style>y</style>',
    '<plaintext><select><style>',
    '<math><mi><select><script>x</script></select></mi></math>',
  ])('does not cut %s', (html) => {
    expect(cutOf(html).cut).toBe(-1);
  });

  it('cuts before the rewriter runs out of memory: deep nesting, huge tags, thousands of attributes', () => {
    expect(cutOf('<div>'.repeat(5000)).reason).toBe('more than 4096 open elements');
    expect(cutOf(`${'<br>'.repeat(20000)}${'<p></p>'.repeat(20000)}`).cut).toBe(-1);
    const huge = `<p>a</p><script data-x="${'x'.repeat(600 * 1024)}"></script>`;
    expect(cutOf(huge, 16384)).toEqual({ cut: 8, reason: 'a tag larger than 512 KB' });
    expect(cutOf(huge)).toEqual({ cut: 8, reason: 'a tag larger than 512 KB' });
    const many = `<i></i><script ${Array.from({ length: 5000 }, (_, i) => `a${i}`).join(' ')}>`;
    expect(cutOf(many)).toEqual({ cut: 7, reason: 'a tag with more than 4096 attributes' });
  });

  it('holds back a tag split across chunks until it ends, and releases text at once', () => {
    const model = new RewriterModel();
    expect(model.scan(bytes('<p>hello <scr'))).toMatchObject({ cut: -1, safe: 9 });
    expect(model.scan(bytes('ipt src="a'))).toMatchObject({ cut: -1, safe: 9 });
    expect(model.scan(bytes('">x</script>'))).toMatchObject({ cut: -1, safe: 35 });
  });

  it('answers the same however the body is split', () => {
    const piece = fc.constantFrom(
      '<select>',
      '<option>',
      '<template>',
      '</template>',
      '</select>',
      '<style>',
      '</style>',
      '<svg>',
      '</svg>',
      '<![CDATA[',
      ']]>',
      '<!--',
      '-->',
      '<script>',
      '</script>',
      '<frameset>',
      'a"b',
      "'",
      '<p x="',
      '">',
      '<',
      '>',
      'text',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 16 }), (pieces, size) => {
        const html = pieces.join('');
        expect(cutOf(html, size)).toEqual(cutOf(html));
      }),
      { numRuns: 500 },
    );
  });
});

const GTM = 'https://www.googletagmanager.com/gtag/js';
const decide = (kind: HoldKind, attribute: (name: string) => string | null): CategoryId | undefined => {
  const source = attribute(kind === 'link' ? 'href' : 'src');
  if (kind === 'link' && !/preload|preconnect/.test(attribute('rel') ?? '')) return undefined;
  return attribute('data-consent-category') === 'functional'
    ? 'functional'
    : source?.startsWith('https://www.googletagmanager.com/')
      ? 'analytics'
      : undefined;
};

function gated(input: string, size = 1 << 30): string {
  const gate = new InertGate(decide);
  const all = bytes(input);
  const out: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += size) out.push(gate.push(all.subarray(at, at + size)));
  out.push(gate.end());
  const joined = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of out) {
    joined.set(c, offset);
    offset += c.length;
  }
  return text(joined);
}

describe('InertGate: the rest of a page, held without parsing it', () => {
  it('holds a refused script by inserting type=text/plain, its category and a copy of src, and renaming its type', () => {
    expect(gated(`<p>a</p><SCRIPT type="module" src="${GTM}?id=1&amp;x=2" async></SCRIPT>`)).toBe(
      `<p>a</p><SCRIPT type=text/plain data-consent-category=analytics data-consent-src=${GTM}?id&#61;1&amp;x&#61;2 data-consent-type="module" src="${GTM}?id=1&amp;x=2" async></SCRIPT>`,
    );
  });

  it('holds a refused iframe by renaming every src, and leaves allowed tags alone', () => {
    expect(gated('<iframe data-consent-category="functional" src="https://v.example/e" src=x>')).toBe(
      '<iframe data-consent-category=functional data-consent-category="functional" data-consent-src="https://v.example/e" data-consent-src=x>',
    );
    expect(gated('<script src="/app.js"></script><iframe src="/own"></iframe>')).toBe(
      '<script src="/app.js"></script><iframe src="/own"></iframe>',
    );
  });

  it('holds a resource hint of a refused host by renaming its rel, keeping its href where banner.js restores it', () => {
    expect(gated(`<link rel="preload" as="script" href="${GTM}"><link rel=stylesheet href="/a.css">`)).toBe(
      `<link data-consent-category=analytics data-consent-src=${GTM} data-consent-rel="preload" as="script" href="${GTM}"><link rel=stylesheet href="/a.css">`,
    );
  });

  it('holds a tag wherever it is, split across chunks too: in a comment, in a script string', () => {
    const input = `<!-- <script src="${GTM}"> --><script>var s = '<script src="${GTM}">';</script>`;
    for (const size of [1, 3, 7, 1 << 30]) {
      const out = gated(input, size);
      expect(out.match(/type=text\/plain/g), String(size)).toHaveLength(2);
      expect(out).not.toMatch(/['"\\`$]data-consent|data-consent-src=[^ ]*['"]/);
    }
  });

  it("holds a tag inside another one's quoted value: under another reading of the page it is a tag", () => {
    // A fake tag in a comment whose quote runs over a real one, the fake one allowed or held.
    for (const outer of ['<!-- <script data-x=" -->', `<!-- <script src="${GTM}" data-x=" -->`]) {
      const input = `${outer}<script src="${GTM}?real"></script><!-- " -->`;
      for (const size of [1, 5, 1 << 30]) {
        const out = gated(input, size);
        expect(out, `${outer} / ${size}`).toContain(`<script type=text/plain data-consent-category=analytics data-consent-src=${GTM}?real`);
      }
    }
  });

  it('only ever inserts: the input is a subsequence of the output, for any bytes and any split', () => {
    const piece = fc.constantFrom(
      '<script',
      '<iframe',
      '<SCRIPT',
      ' src="',
      GTM,
      '"',
      "'",
      '>',
      ' ',
      'type=x',
      'data-consent-category=functional',
      '</script>',
      '<',
      '=',
      '\u0000',
      'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 12 }), (pieces, size) => {
        const input = pieces.join('');
        const output = gated(input, size);
        let i = 0;
        for (const ch of output) if (ch === input[i]) i++;
        expect(i).toBe(input.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('holdsNothing: a whole page the splice may take as it is', () => {
  const page = (body: string) => bytes(`<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`);
  it('takes a page whose tags all run', () => {
    expect(holdsNothing(page('<script src="/app.js"></script><p>hi</p>'), decide)).toBe(true);
  });
  it('refuses a page with a held tag anywhere: in the page, a comment, a script string', () => {
    expect(holdsNothing(page(`<script src="${GTM}"></script>`), decide)).toBe(false);
    expect(holdsNothing(page(`<!-- <script src="${GTM}"> -->`), decide)).toBe(false);
    expect(holdsNothing(page(`<script>var s='<iframe data-consent-category=functional>'</script>`), decide)).toBe(false);
  });
  it("refuses a held tag inside another one's quoted value, and a tag the page ends in", () => {
    expect(holdsNothing(page(`<!-- <script data-x=" --><script src="${GTM}"></script><!-- " -->`), decide)).toBe(false);
    expect(holdsNothing(bytes(`<script>var s="<link rel='";</script><script src="${GTM}"></script>`), decide)).toBe(false);
    expect(holdsNothing(bytes('<p>a</p><script src="/app.js"'), decide)).toBe(false);
  });
  it('answers as the gate does, for any bytes: nothing held there exactly when the gate changes nothing', () => {
    const piece = fc.constantFrom(
      '<script',
      '<iframe',
      '<link rel=preload',
      ' src="',
      ' href="',
      GTM,
      '/a.js',
      '"',
      "'",
      '>',
      ' ',
      '<!--',
      '-->',
      '<',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const input = pieces.join('');
        // The gate keeps a tag the input ends in; the splice never takes one.
        if (holdsNothing(bytes(input), decide)) expect(gated(input)).toBe(input);
        if (gated(input) !== input) expect(holdsNothing(bytes(input), decide)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
