/**
 * Hostile documents for the HTML pass: the pages HTMLRewriter gives up on (frameset,
 * select/template, foreign content), what streaming parsers get wrong (CDATA, NUL, escaped
 * scripts, unclosed and unterminated tags) and what costs memory or time (100,000 nested
 * elements, a 5 MB page, a huge tag). Each carries refused tags, so a test can check they stay
 * inert; `hazard` says whether HTMLRewriter alone fails on it (the others the worker may still
 * take out of its hands early, as for a tag near its memory limit).
 */

const GTM = 'https://www.googletagmanager.com/gtag/js?id=G-CORPUS';
const RAZORPAY = 'https://checkout.razorpay.com/v1/checkout.js';
const YOUTUBE = 'https://www.youtube.com/embed/corpus';

export interface HostileDocument {
  name: string;
  html: string;
  /** HTMLRewriter with this worker's selectors fails on it (ambiguity or memory). */
  hazard: boolean;
  /** The document ends inside a tag or a text element: the worker appends nothing after it. */
  unterminated?: boolean;
}

const page = (body: string, head = '<meta charset="utf-8"><title>corpus</title>') =>
  `<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`;

function fiveMegabytes(): string {
  const paragraphs: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const p = `<p class="c${i % 7}">Paragraph ${i} &amp; text <a href="/r/${i}">link</a> <span>₹${i}</span></p>\n`;
    paragraphs.push(i % 5000 === 0 ? `${p}<script src="${GTM}&n=${i}"></script><script>var a${i}="</p>";</script>\n` : p);
    size += p.length;
  }
  return page(paragraphs.join(''), `<meta charset="utf-8"><script src="${RAZORPAY}"></script>`);
}

export function hostileCorpus(): HostileDocument[] {
  return [
    {
      name: 'frameset document with scripts and an iframe after the frameset',
      html: `<!doctype html><html><head><title>frames</title><script src="${GTM}"></script></head><frameset cols="50%,50%"><frame src="/a"><frame src="/b"><noframes><p>no frames <script src="${GTM}"></script></p></noframes></frameset><script src="${RAZORPAY}"></script><iframe src="${YOUTUBE}" data-consent-category="functional"></iframe><script>var late = 1;</script></html>`,
      hazard: true,
    },
    {
      name: 'select, option, template, option (lol-html cannot tell the template context)',
      html: page(
        `<form><select name="s"><option>1</option><template><option>2</option><script src="${GTM}"></script><style>.x{color:red}</style></template><option>3</option></select></form><p>after</p><iframe src="${YOUTUBE}" width="320" data-consent-category="functional"></iframe><script src="${RAZORPAY}" async></script>`,
      ),
      hazard: true,
    },
    {
      name: 'a style and a textarea inside select, then scripts',
      html: page(
        `<select><option>a<style>b{}</style><textarea>t</textarea></select><script src="${GTM}" type="text/javascript"></script><select><keygen><title>x</title></select>`,
      ),
      hazard: true,
    },
    {
      name: 'foreign content: style and script in SVG and MathML, an integration point, select inside svg',
      html: page(
        `<svg width="10"><style>rect{fill:red}</style><script>var inSvg=1;</script><foreignObject><p>html <script src="${GTM}"></script></p></foreignObject><desc><b>d</b></desc></svg><math><mi><style>i{}</style></mi><annotation-xml encoding="text/html"><p>ann</p></annotation-xml></math><svg><select><style>s{}</style></select></svg><script src="${RAZORPAY}"></script>`,
      ),
      hazard: true,
    },
    {
      name: 'CDATA in foreign content and outside it',
      html: page(`<svg><![CDATA[ <select><style> ]]><text>t</text></svg><p><![CDATA[ x > y ]]></p><script src="${GTM}"></script>`),
      hazard: false,
    },
    {
      name: 'NUL bytes in text, tag names, attributes and scripts',
      html: page(
        `a\u0000b<p\u0000x id="n\u0000">\u0000</p><script src="${GTM}" data-x="\u0000"></script><script>var z="\u0000";</script><iframe src="${YOUTUBE}\u0000"></iframe>`,
      ),
      hazard: false,
    },
    {
      name: 'unclosed tags everywhere',
      unterminated: true,
      html: `<!doctype html><html><head><title>unclosed<body><div><p><b><i><u>text<table><tr><td>cell<td><ul><li>one<li>two<select><option>o<script src="${GTM}"></script>`,
      hazard: false,
    },
    {
      name: 'comments and escaped scripts that look like the hazards',
      html: page(
        `<!-- <select><style> --><!----><!---><p>a</p><script><!--<script>document.write('<select><style>')</script>--></script><script src="${GTM}"></script><textarea><select><style></textarea><title>x</title><noscript><select><style></noscript><xmp><frameset></xmp>`,
      ),
      hazard: false,
    },
    {
      name: 'a document ending inside a tag',
      html: `<!doctype html><html><head><title>cut</title></head><body><p>text</p><script src="${GTM}"></script><div class="unterminated" data-x="<select><style>`,
      hazard: false,
      unterminated: true,
    },
    {
      name: 'a document ending inside a refused script tag',
      html: `<!doctype html><html><head></head><body><select><option>x<style>y</style><script src="${GTM}" async`,
      hazard: true,
      unterminated: true,
    },
    {
      name: 'deep nesting: 100,000 elements',
      html: page(
        `${'<div class="d">'.repeat(100_000)}deep<script src="${GTM}"></script>${'</div>'.repeat(100_000)}<script src="${RAZORPAY}"></script>`,
      ),
      hazard: true,
    },
    {
      name: 'a 5 MB page',
      html: fiveMegabytes(),
      hazard: false,
    },
    {
      name: 'a refused script tag larger than the rewriter can buffer',
      html: page(
        `<p>before</p><script data-blob="${'x'.repeat(600 * 1024)}" src="${GTM}"></script><iframe data-consent-category="functional" src="${YOUTUBE}"></iframe><p>after</p>`,
      ),
      hazard: false,
    },
    {
      name: 'a script with 5,000 attributes',
      html: page(`<script src="${GTM}" ${Array.from({ length: 5000 }, (_, i) => `a${i}="${i}"`).join(' ')}></script><p>after</p>`),
      hazard: false,
    },
    {
      name: 'plaintext to the end',
      unterminated: true,
      html: page(`<p>a</p><plaintext><select><style><script src="${GTM}"></script>`),
      hazard: false,
    },
  ];
}
