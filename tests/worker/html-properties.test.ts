/**
 * Properties of the HTML pass over generated documents, in workerd with the real HTMLRewriter:
 * built from the constructs the rewriter and streaming tokenizers find hard (select, template,
 * frameset, SVG and MathML, text elements, comments, CDATA, quotes holding `<` and `>`, NUL,
 * unclosed tags), streamed in pieces of any size. Whatever the document, the page comes out whole
 * (parse5 sees the same elements and text as in the origin's), never cut, and no refused tag runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedRewriter } from '../../src/html/feed';
import { InertGate, refusedTags } from '../../src/html/inert';
import { rewriteHtml } from '../../src/html/rewriter';
import { deployedPolicy } from '../../src/policy/load';
import type { CategoryId } from '../../src/policy/schema';
import { shapeOf, wouldRun } from '../support/html-shape';

const policy = deployedPolicy();
const allowed = new Set<CategoryId>(['essential']);
const page = new URL('https://shop.test/p');
const HEAD = '<!--ce-head-->';
const BODY = '<!--ce-body-->';
const GTM = 'https://www.googletagmanager.com/gtag/js?id=G-P';

const names = [
  'div',
  'p',
  'b',
  'span',
  'select',
  'option',
  'template',
  'frameset',
  'frame',
  'noframes',
  'svg',
  'math',
  'mi',
  'mtext',
  'foreignObject',
  'desc',
  'title',
  'textarea',
  'style',
  'script',
  'iframe',
  'xmp',
  'noscript',
  'noembed',
  'table',
  'td',
  'font',
  'annotation-xml',
  'input',
  'keygen',
  'head',
  'body',
  'html',
  'br',
  'img',
];
const attribute = fc.constantFrom(
  '',
  ' a="x>y"',
  " b='<select><style>'",
  ' c=d',
  ` src="${GTM}"`,
  ' type="module"',
  ' type="text/plain"',
  ' color=red',
  ' encoding="text/html"',
  ' data-consent-category="functional"',
  ' x="\u0000"',
);
const token = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...names), attribute, attribute).map(([n, a, b]) => `<${n}${a}${b}>`) },
  { weight: 4, arbitrary: fc.constantFrom(...names).map((n) => `</${n}>`) },
  { weight: 4, arbitrary: fc.constantFrom('text', 'a < b', 'x > y', '&amp;', '"', "'", '\u0000', ' ', '\n', '₹') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '<!-- c -->',
      '<!--',
      '-->',
      '<!-->',
      '<![CDATA[ <select><style> ]]>',
      ']]>',
      '<!doctype html>',
      '<?pi>',
      '<',
      '</',
      '<scr',
      `<script src="${GTM}"></script>`,
      `<iframe src="https://www.youtube.com/embed/p" data-consent-category="functional"></iframe>`,
      '<script><!--<script>x</script>--></script>',
      `<link rel="preload" as="script" href="${GTM}">`,
      // Self-closing, but not <svg/> or <math/>: lol-html enters foreign content on those where
      // the browser does not, and then takes text of the page for tags (and holds them) on its own.
      '<br/>',
      '<g/>',
      '<mi/>',
      '<foreignObject/>',
      '<p/>',
    ),
  },
);
const documents = fc.array(token, { minLength: 1, maxLength: 60 }).map((tokens) => tokens.join(''));

function chunked(html: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(html);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/**
 * The page without what the inert gate inserted. Past a cut the gate holds anything that looks
 * like a refused tag, text that is one under another reading of the page included; taking its
 * insertions out again must give back the origin's page exactly.
 */
function withoutGateInsertions(html: string): string {
  return (
    html
      // The gate's own copy of a script's src is never quoted; a quoted data-consent-src is an
      // iframe's renamed src, which the last line turns back.
      .replace(
        / type=text\/plain data-consent-category=[a-z-]+(?: data-consent-src=(?!["'])[^\s>]*)?(?: data-consent-type(?=[\s/>]))?/g,
        '',
      )
      .replace(/ data-consent-category=[a-z-]+(?: data-consent-src=(?!["'])[^\s>]*)?(?=[\s/>])/g, '')
      .replace(/data-consent-(?=(?:type|src|rel)\b)/gi, '')
  );
}

/** The HTML pass as the worker runs it for an undecided visitor, with markers for its markup. */
async function throughWorker(html: string, size: number): Promise<string> {
  const fed = await feedRewriter(chunked(html, size), {
    length: null,
    gate: () => new InertGate(refusedTags(policy, allowed, page)),
  });
  if (!fed.ok) throw fed.error;
  if (fed.whole) throw new Error('an undecided visitor has refused categories: the page is never taken whole');
  const res = rewriteHtml(new Response(fed.body), {
    policy,
    allowed,
    page,
    head: HEAD,
    body: BODY,
    charsetInHeader: true,
    onError: (error) => {
      throw error;
    },
    rest: fed.rest,
  });
  return res.text();
}

describe('the HTML pass on generated documents', () => {
  it('never cuts a page, keeps every element and text node, and lets no refused tag run', async () => {
    await fc.assert(
      fc.asyncProperty(documents, fc.integer({ min: 1, max: 200 }), async (html, size) => {
        const out = await throughWorker(html, size);
        const without = out.split(HEAD).join('').split(BODY).join('');
        expect(shapeOf(withoutGateInsertions(without)).nodes).toEqual(shapeOf(html).nodes);
        for (const element of shapeOf(without).gated) {
          const source = element.attrs.src ?? element.attrs['data-consent-src'] ?? '';
          if ((element.name === 'script' && source.includes('googletagmanager')) || element.attrs['data-consent-category'] !== undefined)
            expect(wouldRun(element)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('gives the same page however the origin splits its body', async () => {
    await fc.assert(
      fc.asyncProperty(documents, fc.integer({ min: 1, max: 64 }), async (html, size) => {
        expect(await throughWorker(html, size)).toBe(await throughWorker(html, 1 << 20));
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
