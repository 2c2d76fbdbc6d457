/**
 * The HTML stream in workerd against the real demo origin (docs/enforcement.md): where the worker injects,
 * where it must not, what it holds, and the validators that keep a 304 honest.
 */
import type { CategoryId } from '../../src/policy/schema';
import { describe, expect, it } from 'vitest';
import { rewriteHtml } from '../../src/html/rewriter';
import { holdingBytes } from '../../bench/holding';
import { spliceHtml } from '../../src/html/splice';
import { deployedPolicy } from '../../src/policy/load';
import { consentCookie, direct, NAV, origin, send, workerWith } from './helpers';

describe('HTML injection', () => {
  it('injects the state JSON and the banner assets (banner.js sets the Consent Mode default) as the first child of <head>', async () => {
    const html = await (await send('/', { headers: NAV })).text();
    const head = html.slice(html.indexOf('<head>') + '<head>'.length);
    expect(head.startsWith('<script type="application/json" id="consent-state">')).toBe(true);
    const firstPageTag = head.indexOf('<meta charset');
    expect(head.indexOf('<script src="/__consent/banner.js?v=')).toBeGreaterThan(0);
    expect(head.indexOf('/__consent/banner.js?v=')).toBeLessThan(firstPageTag);
    expect(head.indexOf('/__consent/banner.css?v=')).toBeLessThan(firstPageTag);
  });

  // Every page pays these bytes: what depends only on the policy is in the cached banner.js. A
  // page also gains the held form of its refused and undeclared tags (the Google tag, the video
  // embed here) and the embed's placeholder, counted apart: that is the hold, not the banner.
  it('adds at most 1,200 bytes to a page for an undecided visitor and 400 for one who accepted (besides held tags and placeholders)', async () => {
    const cookie = await consentCookie('save', ['functional', 'analytics', 'third-party']);
    for (const path of ['/html?size=2048', '/html?size=102400', '/html?size=1048576']) {
      const origin = new TextEncoder().encode(await (await direct(path)).text()).length;
      const added = async (init: RequestInit) => {
        const page = await (await send(path, init)).text();
        const held = holdingBytes(page);
        return { held, rest: new TextEncoder().encode(page).length - origin - held };
      };
      const undecided = await added({ headers: NAV });
      const decided = await added({ headers: { ...NAV, cookie } });
      console.log(
        `${path}: +${undecided.rest} B undecided (+${undecided.held} B holding tags), +${decided.rest} B decided (+${decided.held} B holding tags)`,
      );
      expect(undecided.held, path).toBeGreaterThan(0);
      expect(undecided.rest, path).toBeGreaterThan(900); // the banner is there
      expect(undecided.rest, path).toBeLessThanOrEqual(1200);
      expect(decided.rest, path).toBeGreaterThan(200);
      expect(decided.rest, path).toBeLessThanOrEqual(400);
    }
  });

  it('puts the banner in one container as the last child of <body> while undecided', async () => {
    const html = await (await send('/', { headers: NAV })).text();
    const start = html.indexOf('<section id="consent-edge"');
    expect(start).toBeGreaterThan(html.indexOf('<body'));
    expect(html.slice(start)).toMatch(/<\/section>\s*<\/body>/);
    expect(html.match(/id="consent-edge"/g)).toHaveLength(1);
    expect(html.slice(start)).toContain('<form method=post action=/__consent>');
  });

  it('shows no banner once the visitor has decided', async () => {
    const cookie = await consentCookie('save', []);
    const html = await (await send('/', { headers: { ...NAV, cookie } })).text();
    expect(html).toContain('id="consent-state"');
    expect(html).not.toContain('id="consent-edge"');
    expect(html).toMatch(/id="consent-state">\{[^<]*"d":1[,}]/);
  });

  it('writes injected non-ASCII text as character references', async () => {
    const html = await (await send('/', { headers: { ...NAV, 'accept-language': 'hi-IN,hi;q=0.9' } })).text();
    const head = html.slice(html.indexOf('<head>'), html.indexOf('<meta charset'));
    const banner = html.slice(html.indexOf('<section id="consent-edge"'), html.lastIndexOf('</body>'));
    expect(banner).toContain('&#x');
    for (const part of [head, banner]) expect(/[\u0080-\uffff]/.test(part)).toBe(false);
  });

  it('carries the nonce of the origin CSP on every injected script', async () => {
    const res = await send('/csp', { headers: NAV });
    const html = await res.text();
    const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
    const injected = head.slice(0, head.indexOf('<meta') > 0 ? head.indexOf('<meta') : undefined);
    const scripts = injected.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const tag of scripts.filter((t) => !t.includes('application/json'))) expect(tag).toContain('nonce="demoNonce123"');
    expect(res.headers.get('content-security-policy')).toContain("'nonce-demoNonce123'");
  });

  it('leaves #cookie-settings links as the page wrote them and adds their no-JavaScript target', async () => {
    const cookie = await consentCookie('save', ['functional']);
    const html = await (await send('/reports?period=7d', { headers: { ...NAV, cookie } })).text();
    expect(html).toContain('<a href="#cookie-settings">Cookie settings</a>');
    expect(html).toMatch(
      /<div id="cookie-settings" class=ce-target[^>]*><a href="\/__consent\/preferences\?return=%2Freports%3Fperiod%3D7d"/,
    );
    expect(html).not.toContain('id="consent-edge"');
  });

  it('injects into a document without <head> or <body>', async () => {
    const html = await (await send('/nohead', { headers: NAV })).text();
    expect(html).toContain('<p>fragment only</p>');
    expect(html).toContain('id="consent-state"');
    expect(html).toContain('id="consent-edge"');
  });

  it('keeps <meta charset> within the first 1024 bytes when the header names no charset', async () => {
    const html = await (await send('/nocharset', { headers: NAV })).text();
    const meta = html.indexOf('<meta charset="utf-8">');
    expect(meta).toBeGreaterThan(0);
    expect(new TextEncoder().encode(html.slice(0, meta)).length).toBeLessThan(1024);
    expect(html.indexOf('id="consent-state"')).toBeGreaterThan(meta);
    expect(html.indexOf('id="consent-state"')).toBeLessThan(html.indexOf('/static/app.js'));
  });

  it('rewrites an ASCII-compatible charset (ISO-8859-1)', async () => {
    const html = await (await send('/latin1', { headers: NAV })).text();
    expect(html).toContain('id="consent-state"');
  });

  it('rewrites gzip and brotli origin responses', async () => {
    for (const path of ['/gzip', '/br']) {
      const html = await (await send(path, { headers: { ...NAV, 'accept-encoding': 'gzip, br' } })).text();
      expect(html, path).toContain('id="consent-state"');
    }
  });

  it('streams: the first bytes arrive while the origin is still sending', async () => {
    const res = await send('/stream?chunks=4&interval=400&size=200', { headers: NAV });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const text = new TextDecoder().decode(first.value);
    expect(text).toContain('<html');
    expect(text).not.toContain('</html>');
    await reader.cancel();
  });
});

describe('responses left untouched', () => {
  const untouched: [string, RequestInit][] = [
    ['/html?size=2000', { method: 'HEAD' }],
    ['/status/204', {}],
    ['/range.html', { headers: { range: 'bytes=0-99' } }],
    ['/status/304', {}],
    ['/download', {}],
    ['/empty-html', {}],
    ['/utf16', {}],
    ['/json', {}],
  ];
  it.each(untouched)('%s', async (path, init) => {
    const [viaWorker, straight] = await Promise.all([send(path, init), direct(path, init)]);
    expect(viaWorker.status).toBe(straight.status);
    const bytes = new Uint8Array(await viaWorker.arrayBuffer());
    expect(bytes).toEqual(new Uint8Array(await straight.arrayBuffer()));
    expect(new TextDecoder().decode(bytes)).not.toContain('consent-state');
  });
});

describe('held tags', () => {
  it('makes refused scripts and iframes inert, by attribute and by source pattern', async () => {
    const html = await (await send('/gated', { headers: NAV })).text();
    // A held script keeps its src (never fetched as text/plain), so frameworks find it by src.
    for (const tag of html.match(/<script[^>]*\ssrc="https:\/\/www\.googletagmanager\.com[^>]*>/g) ?? ['none'])
      expect(tag).toContain('type="text/plain"');
    expect(html).toMatch(
      /<script[^>]*data-consent-category="analytics"[^>]*data-consent-src="https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=G-X"[^>]*type="text\/plain"/,
    );
    expect(html).toMatch(/data-consent-category="third-party"[^>]*data-consent-src="https:\/\/checkout\.razorpay\.com\/v1\/checkout\.js"/);
    const late = html.match(/<script[^>]*late-tag\.js[^>]*>/)?.[0] ?? '';
    for (const attr of ['data-consent-src="/static/late-tag.js"', 'data-consent-type="module"', 'type="text/plain"'])
      expect(late).toContain(attr);
    expect(html).toMatch(/<iframe[^>]*data-consent-category="functional"[^>]*data-consent-src="https:\/\/www\.youtube\.com\/embed\/x"/);
    expect(html).not.toMatch(/<iframe[^>]*\ssrc=/);
    expect(html).toContain('<script src="/static/app.js"></script>');
  });

  it('leaves accepted categories running', async () => {
    const cookie = await consentCookie('save', ['functional', 'analytics', 'third-party']);
    const html = await (await send('/gated', { headers: { ...NAV, cookie } })).text();
    expect(html).toContain('<script src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>');
    expect(html).toContain('<script src="https://checkout.razorpay.com/v1/checkout.js"></script>');
    expect(html).not.toContain('data-consent-src');
  });

  it('holds only what is refused', async () => {
    const cookie = await consentCookie('save', ['analytics']);
    const html = await (await send('/gated', { headers: { ...NAV, cookie } })).text();
    expect(html).toContain('<script src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>');
    expect(html).toMatch(/data-consent-src="https:\/\/checkout\.razorpay\.com/);
  });
});

describe('validators and caching', () => {
  it('marks rewritten pages private, varying on Cookie and Accept-Language, without Content-Length', async () => {
    const res = await send('/html?size=3000', { headers: NAV });
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    expect(res.headers.get('vary')).toMatch(/Cookie/);
    expect(res.headers.get('vary')).toMatch(/Accept-Language/);
    expect(res.headers.get('content-length')).toBeNull();
    expect((await res.text()).length).toBeGreaterThan(3000);
  });

  it('answers HEAD with the headers GET has', async () => {
    const [head, get] = await Promise.all([send('/etag', { method: 'HEAD', headers: NAV }), send('/etag', { headers: NAV })]);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['etag', 'cache-control', 'vary', 'last-modified']) expect(head.headers.get(name), name).toBe(get.headers.get(name));
  });

  it("never lets the origin's own validators confirm an unrewritten page", async () => {
    const since = new Date(Date.now() + 86_400_000).toUTCString();
    const conditionals: Record<string, string>[] = [{ 'if-none-match': '"v1"' }, { 'if-none-match': '*' }, { 'if-modified-since': since }];
    for (const conditional of conditionals) {
      const res = await send('/etag', { headers: { ...NAV, ...conditional } });
      expect(res.status, JSON.stringify(conditional)).toBe(200);
      expect(await res.text()).toContain('id="consent-state"');
    }
  });

  it('gives a state-specific weak ETag, answers 304 for it, and never serves it after a decision', async () => {
    const first = await send('/etag', { headers: NAV });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"v1~ce[0-9a-z]+"$/);
    const again = await send('/etag', { headers: { ...NAV, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);

    const cookie = await consentCookie('save', ['functional']);
    const decided = await send('/etag', { headers: { ...NAV, cookie, 'if-none-match': etag } });
    expect(decided.status).toBe(200);
    expect(decided.headers.get('etag')).not.toBe(etag);
    expect(await decided.text()).not.toContain('id="consent-edge"');
  });
});

// headFirst: the page opens with <head>, so the rewriter hands only the tags that can be held to its handler.
describe.each([false, true])('the rewriter on markup in upper case (headFirst %s)', (headFirst) => {
  it('finds HEAD, BODY and SCRIPT however they are spelled, and holds the refused script', async () => {
    const page =
      '<!DOCTYPE html><HTML><HEAD><TITLE>t</TITLE></HEAD><BODY><SCRIPT SRC="https://www.google-analytics.com/analytics.js"></SCRIPT>' +
      '<SCRIPT DATA-CONSENT-CATEGORY="analytics">inline()</SCRIPT><script type="module" data-consent-category="analytics">m()</script>' +
      '<SCRIPT>self.__next_f.push([1,""])</SCRIPT><IFRAME SRC="https://api.razorpay.com/v1/frame"></IFRAME></BODY></HTML>';
    const res = rewriteHtml(new Response(page), {
      policy: deployedPolicy(),
      allowed: new Set(['essential']),
      page: new URL('https://shop.test/'),
      head: '<!--head-->',
      body: '<!--body-->',
      charsetInHeader: true,
      headFirst,
      onError: (error) => {
        throw error;
      },
    });
    const html = await res.text();
    expect(html).toContain('<HEAD><!--head--><TITLE>');
    expect(html).toMatch(/<SCRIPT [^>]*data-consent-category="analytics"[^>]*type="text\/plain"[^>]*><\/SCRIPT>/);
    expect(html).not.toMatch(/<SCRIPT SRC="[^"]*"><\/SCRIPT>/);
    expect(html).toMatch(/<SCRIPT [^>]*type="text\/plain"[^>]*>inline\(\)<\/SCRIPT>/i);
    expect(html).toMatch(/<script [^>]*data-consent-type="module"[^>]*>m\(\)<\/script>/);
    expect(html).toContain('<SCRIPT>self.__next_f.push([1,""])</SCRIPT>');
    expect(html).toMatch(/<IFRAME [^>]*data-consent-src="https:\/\/api.razorpay.com\/v1\/frame"[^>]*><\/IFRAME>/);
    expect(html).not.toContain('SRC="https://api.razorpay.com');
    expect(html).toContain('<!--body--></BODY>');
  });
});

describe.each([false, true])('resource hints (headFirst %s)', (headFirst) => {
  const hints =
    '<!doctype html><html><head>' +
    '<link rel="preload" as="script" href="https://www.googletagmanager.com/gtag/js?id=G-1">' +
    '<link rel="modulepreload" href="https://checkout.razorpay.com/v2/module.js">' +
    '<link rel="prefetch" href="https://region1.google-analytics.com/g/collect">' +
    '<LINK REL="dns-prefetch preconnect" HREF="https://www.googletagmanager.com">' +
    '<link rel="preconnect" href="https://region9.analytics.google.com" crossorigin>' +
    '<link rel="preload" as="style" href="/_next/static/css/app.css">' +
    '<link rel="stylesheet" href="https://www.googletagmanager.com/not-a-hint.css">' +
    '<link rel="preload" as="script" href="https://cdn.example.net/undeclared.js">' +
    '</head><body></body></html>';
  const rewrite = (allowed: CategoryId[]) =>
    rewriteHtml(new Response(hints), {
      policy: deployedPolicy(),
      allowed: new Set(['essential', ...allowed]),
      page: new URL('https://shop.test/'),
      head: '',
      body: '',
      charsetInHeader: true,
      headFirst,
      onError: (error) => {
        throw error;
      },
    }).text();

  it("holds preload, modulepreload, prefetch, preconnect and dns-prefetch of a refused category's hosts", async () => {
    const html = await rewrite([]);
    const links = html.match(/<link[^>]*>/gi) ?? [];
    expect(links).toEqual([
      '<link as="script" data-consent-category="analytics" data-consent-src="https://www.googletagmanager.com/gtag/js?id=G-1" data-consent-rel="preload">',
      '<link data-consent-category="third-party" data-consent-src="https://checkout.razorpay.com/v2/module.js" data-consent-rel="modulepreload">',
      '<link data-consent-category="analytics" data-consent-src="https://region1.google-analytics.com/g/collect" data-consent-rel="prefetch">',
      '<LINK data-consent-category="analytics" data-consent-src="https://www.googletagmanager.com" data-consent-rel="dns-prefetch preconnect">',
      '<link crossorigin data-consent-category="analytics" data-consent-src="https://region9.analytics.google.com" data-consent-rel="preconnect">',
      // Same-origin, and not a hint: left alone.
      '<link rel="preload" as="style" href="/_next/static/css/app.css">',
      '<link rel="stylesheet" href="https://www.googletagmanager.com/not-a-hint.css">',
      // A hint to a host no category declares: held for good, like the tag it announces.
      '<link as="script" data-consent-category="undeclared" data-consent-src="https://cdn.example.net/undeclared.js" data-consent-rel="preload">',
    ]);
  });

  it('leaves the hints of accepted categories as the origin sent them, and holds the undeclared one still', async () => {
    const html = await rewrite(['analytics', 'third-party']);
    const undeclared = '<link rel="preload" as="script" href="https://cdn.example.net/undeclared.js">';
    expect(html).toBe(
      hints.replace(
        undeclared,
        '<link as="script" data-consent-category="undeclared" data-consent-src="https://cdn.example.net/undeclared.js" data-consent-rel="preload">',
      ),
    );
  });
});

describe('everything allowed under undeclaredSources: block', () => {
  const everything = () => consentCookie('save', ['functional', 'analytics', 'third-party']);
  /** Serves `html` from the origin as stored, in pieces of `chunk` bytes (all at once by default). */
  const served = async (html: string, query = '') => {
    const id = `splice-${Math.random()}`;
    await fetch(`${origin()}/faults/doc?id=${encodeURIComponent(id)}`, { method: 'POST', body: html });
    return `/faults/doc?id=${encodeURIComponent(id)}${query}`;
  };
  const SETTINGS_TARGET = /<div id="cookie-settings" class=ce-target[^>]*>.*<\/div>$/;

  it('splices a page read whole with nothing to hold: the head part after <head>, the body part after the end', async () => {
    const page =
      '<!doctype html><html><head><title>t</title><script src="/_next/static/chunks/main.js"></script></head><body><p>hi</p><script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></body></html>';
    const html = await (await send(await served(page), { headers: { ...NAV, cookie: await everything() } })).text();
    // The rewriter would have put the body part inside <body>; the splice puts it after the page.
    expect(html).toMatch(SETTINGS_TARGET);
    const head = html.indexOf('<head>') + '<head>'.length;
    expect(html.slice(head).startsWith('<script type="application/json" id="consent-state">')).toBe(true);
    const injected = html.slice(head, html.indexOf('<title>'));
    expect(html.replace(injected, '').replace(SETTINGS_TARGET, '')).toBe(page);
  });

  for (const [what, tag] of [
    ['an undeclared script', '<script src="https://cdn.example.net/undeclared.js"></script>'],
    ['an undeclared script written with a character reference', '<script src="https&#x3a;//cdn.example.net/undeclared.js"></script>'],
    ['a hint to an undeclared host', '<link rel="preconnect" href="https://cdn.example.net">'],
    [
      'a declared embed, whose placeholder id the no-JavaScript Allow returns to',
      '<iframe src="https://www.youtube.com/embed/x" width="560" height="315"></iframe>',
    ],
  ] as const) {
    it(`gives a page with ${what} the full pass`, async () => {
      const page = `<!doctype html><html><head><title>t</title></head><body><p>hi</p>${tag}</body></html>`;
      const html = await (await send(await served(page), { headers: { ...NAV, cookie: await everything() } })).text();
      // The rewriter's pass: the body part inside <body>, and the tag held or given its id.
      expect(html).not.toMatch(SETTINGS_TARGET);
      expect(html).toMatch(/data-consent-category="undeclared"|id="ce-ph-1"/);
      expect(html).toContain('<p>hi</p>');
    });
  }

  it('puts the head part after the whole <head> tag, a quoted > in it included', async () => {
    const page = '<!doctype html><html><head data-x="a>b"><title>t</title></head><body><p>hi</p></body></html>';
    const html = await (await send(await served(page), { headers: { ...NAV, cookie: await everything() } })).text();
    expect(html).toMatch(SETTINGS_TARGET);
    expect(html).toContain('<head data-x="a>b"><script type="application/json" id="consent-state">');
  });

  it('gives a page in another charset the full pass: its bytes are read in that charset', async () => {
    const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    const page =
      '<!doctype html><html><head><title>t</title></head><body><script src="https://tr\u00e9cker.example/x.js"></script></body></html>';
    const id = `latin1-splice-${Math.random()}`;
    await fetch(`${origin()}/faults/doc?id=${encodeURIComponent(id)}`, { method: 'POST', body: latin1(page) });
    const type = encodeURIComponent('text/html; charset=windows-1252');
    const res = await send(`/faults/doc?id=${encodeURIComponent(id)}&type=${type}`, { headers: { ...NAV, cookie: await everything() } });
    const html = new TextDecoder('windows-1252').decode(await res.arrayBuffer());
    expect(html).toContain('data-consent-category="undeclared"');
    expect(html).not.toMatch(SETTINGS_TARGET);
  });

  it('gives a page of unannounced length the full pass, and holds an undeclared source in its last piece', async () => {
    const filler = '<p>x</p>'.repeat(2000);
    const page = `<!doctype html><html><head><title>t</title></head><body>${filler}<script src="https://cdn.example.net/late.js"></script></body></html>`;
    const res = await send(await served(page, '&chunk=4096&length=0'), { headers: { ...NAV, cookie: await everything() } });
    const html = await res.text();
    expect(html).toContain(filler);
    expect(html).toContain('data-consent-category="undeclared" data-consent-src="https://cdn.example.net/late.js"');
    expect(html).not.toContain('<script src="https://cdn.example.net/late.js">');
    expect(html.endsWith('</body></html>')).toBe(true);
  });
});

describe('past the point the rewriter would give up on', () => {
  it('holds a source written with a character reference, as the browser decodes it', async () => {
    const page = `<!doctype html><html><head><title>t</title></head><frameset><frame src="/a"></frameset><script src="https&#x3a;//www.googletagmanager.com/gtag/js"></script></html>`;
    const id = `cut-${Math.random()}`;
    await fetch(`${origin()}/faults/doc?id=${encodeURIComponent(id)}`, { method: 'POST', body: page });
    const html = await (await send(`/faults/doc?id=${encodeURIComponent(id)}`, { headers: NAV })).text();
    expect(html).toContain('<script type=text/plain data-consent-category=analytics');
  });
});

describe('everything allowed: the splice fast path', () => {
  // Only when undeclared sources may run: otherwise even this visitor's page has tags to hold.
  const allowUndeclared = workerWith((p) => ({ ...p, undeclaredSources: 'allow' }));
  it('injects after <head> and appends the body part, leaving the rest byte for byte', async () => {
    const cookie = await consentCookie('save', ['functional', 'analytics', 'third-party']);
    const [res, straight] = await Promise.all([send('/', { headers: { ...NAV, cookie } }, {}, allowUndeclared), direct('/')]);
    const html = await res.text();
    const origin = await straight.text();
    const head = html.indexOf('<head>') + '<head>'.length;
    expect(html.slice(head).startsWith('<script type="application/json" id="consent-state">')).toBe(true);
    expect(html).toMatch(/<div id="cookie-settings" class=ce-target[^>]*>.*<\/div>$/);
    const injectedHead = html.slice(head, html.indexOf('\n', head));
    const withoutInjected = html.replace(injectedHead, '').replace(/<div id="cookie-settings" class=ce-target.*<\/div>$/, '');
    expect(withoutInjected).toBe(origin);
    expect(res.headers.get('cache-control')).toMatch(/^private/);
  });

  it('reports a body that fails before <head> is found, without hanging and without a page', async () => {
    let pulls = 0;
    const origin = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('<!doctype html><html><he'));
        else controller.error(new Error('origin connection reset'));
      },
    });
    const spliced = await spliceHtml(origin, { headers: { 'content-type': 'text/html' } }, '<!--head-->', '<!--body-->');
    expect(spliced.ok).toBe(false);
    if (!spliced.ok) expect(String(spliced.error)).toContain('origin connection reset');
  });

  it('answers at once when the announced length has arrived, without waiting for the stream to end', async () => {
    const page = '<!doctype html><html><head><title>t</title></head><body>hi</body></html>';
    const bytes = new TextEncoder().encode(page);
    // Sends every byte, then never closes: only the length says the page is complete.
    const origin = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(bytes) });
    const spliced = await spliceHtml(origin, {}, '<!--head-->', '<!--body-->', bytes.length);
    if (!spliced.ok) throw spliced.error;
    expect(await spliced.response?.text()).toBe(`${page.replace('<head>', '<head><!--head-->')}<!--body-->`);
  });

  it('works on a gzip origin and still streams', async () => {
    const cookie = await consentCookie('save', ['functional', 'analytics', 'third-party']);
    const gz = await (await send('/gzip', { headers: { ...NAV, cookie, 'accept-encoding': 'gzip' } })).text();
    expect(gz).toContain('id="consent-state"');
    const res = await send('/stream?chunks=4&interval=400&size=200', { headers: { ...NAV, cookie } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('<html');
    expect(first).not.toContain('</html>');
    await reader.cancel();
  });
});
