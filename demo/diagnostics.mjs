// Diagnostic routes of the demo origin (see origin.mjs), used by the proxy tests and the
// benchmark. Every answer is exact and deterministic; do not change them casually.
import { brotliCompressSync, gzipSync, constants as zc } from 'node:zlib';
import { esc, simplePage, sizedHtml } from './pages.mjs';

const HTML = 'text/html; charset=utf-8';
const MAX_SIZE = 64 * 1024 * 1024;
const LAST_MODIFIED = 'Wed, 01 Apr 2026 00:00:00 GMT';
const NO_BODY = new Set([204, 205, 304]);

const intParam = (q, name, dflt, max) => {
  const n = Number.parseInt(q.get(name) ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : dflt;
};

function send(res, status, type, body, headers = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, ...headers });
  res.end(buf);
}

const page = (title, text) => simplePage(title, `      <h1>${esc(title)}</h1>\n      <p>${esc(text)}</p>`);

/** Deterministic bytes: byte i is (i * 31 + 7) mod 256. */
export function blobBytes(size) {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 255;
  return b;
}

const RANGE_BIN = blobBytes(1000);
const RANGE_HTML = Buffer.from(sizedHtml(1000), 'utf8');
const htmlCache = new Map();

function echo(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const json = JSON.stringify({
      method: req.method,
      url: req.url,
      headers,
      body: body.toString('utf8'),
      bodyLength: body.length,
    });
    send(res, 200, 'application/json; charset=utf-8', json, { 'Cache-Control': 'no-store' });
  });
  req.on('error', () => res.destroy());
}

function compressed(res, kind, type, text) {
  const raw = Buffer.from(text, 'utf8');
  const body = kind === 'br' ? brotliCompressSync(raw, { params: { [zc.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(raw);
  send(res, 200, type, body, { 'Content-Encoding': kind, Vary: 'Accept-Encoding' });
}

function range(req, res, body, type) {
  const total = body.length;
  const base = { 'Accept-Ranges': 'bytes', 'Content-Type': type };
  const h = req.headers.range;
  if (!h) return send(res, 200, type, body, base);
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  let start;
  let end;
  if (m && m[1] !== '') {
    start = Number(m[1]);
    end = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1);
  } else if (m && m[2] !== '') {
    start = Math.max(0, total - Number(m[2]));
    end = total - 1;
  }
  if (start === undefined || start > end || start >= total) {
    if (!m) return send(res, 200, type, body, base); // unparseable or multi-range: ignore it
    res.writeHead(416, { ...base, 'Content-Range': `bytes */${total}`, 'Content-Length': 0 });
    return res.end();
  }
  send(res, 206, type, body.subarray(start, end + 1), { ...base, 'Content-Range': `bytes ${start}-${end}/${total}` });
}

function stream(_req, res, q) {
  const n = intParam(q, 'chunks', 5, 10000);
  const interval = intParam(q, 'interval', 100, 60000);
  const size = intParam(q, 'size', 100, 1024 * 1024);
  res.writeHead(200, { 'Content-Type': HTML, 'Cache-Control': 'no-store' });
  res.write('<!doctype html><html><head><title>stream</title></head><body>');
  let i = 0;
  let timer;
  const tick = () => {
    if (i >= n) return res.end('</body></html>');
    const prefix = `<p>chunk ${i} `;
    const text = `${prefix}${'x'.repeat(Math.max(0, size - prefix.length - 4))}</p>`;
    i++;
    res.write(text);
    timer = setTimeout(tick, interval);
  };
  res.on('close', () => clearTimeout(timer));
  timer = setTimeout(tick, interval);
}

function etag(req, res) {
  const headers = { ETag: '"v1"', 'Last-Modified': LAST_MODIFIED, 'Cache-Control': 'no-cache' };
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const matches = inm
    ? inm.split(',').some((t) => ['"v1"', 'W/"v1"', '*'].includes(t.trim()))
    : ims !== undefined && Date.parse(ims) >= Date.parse(LAST_MODIFIED);
  if (matches) {
    res.writeHead(304, headers);
    return res.end();
  }
  send(res, 200, HTML, page('ETag', 'This page has ETag "v1".'), headers);
}

/** Diagnostic routes: exact path → handler(req, res, query). */
const ROUTES = {
  '/set-cookies': (_req, res, q) => send(res, 200, 'text/plain; charset=utf-8', 'ok', { 'Set-Cookie': q.getAll('c') }),
  '/set-cookies-html': (_req, res, q) =>
    send(res, 200, HTML, page('Set cookies', `Set ${q.getAll('c').length} cookie(s).`), {
      'Set-Cookie': q.getAll('c'),
    }),
  '/redirect': (_req, res, q) => {
    const status = intParam(q, 'status', 302, 999);
    res.writeHead([300, 301, 302, 303, 307, 308].includes(status) ? status : 302, {
      Location: q.get('to') ?? '/',
      'Content-Length': 0,
    });
    res.end();
  },
  '/download': (_req, res) =>
    send(res, 200, HTML, page('Report', 'Downloaded report.'), {
      'Content-Disposition': 'attachment; filename="report.html"',
    }),
  '/gzip': (_req, res) => compressed(res, 'gzip', HTML, page('gzip', 'This page was sent gzip-compressed. Price: ₹499.')),
  '/br': (_req, res) => compressed(res, 'br', HTML, page('brotli', 'This page was sent brotli-compressed. Price: ₹499.')),
  '/gzip.json': (_req, res) =>
    compressed(res, 'gzip', 'application/json; charset=utf-8', JSON.stringify({ compressed: 'gzip', price: '₹499' })),
  '/etag': etag,
  // Hop-by-hop fields a careless origin sends: a proxy must not pass them on (RFC 9110 §7.6.1).
  '/hop-by-hop': (_req, res) =>
    send(res, 200, 'text/plain; charset=utf-8', 'ok', {
      Connection: 'keep-alive, x-hop',
      'X-Hop': 'for this connection only',
      'Proxy-Connection': 'keep-alive',
      'Proxy-Authenticate': 'Basic realm="origin proxy"',
      'X-End-To-End': 'kept',
    }),
  '/range': (req, res) => range(req, res, RANGE_BIN, 'application/octet-stream'),
  '/range.html': (req, res) => range(req, res, RANGE_HTML, HTML),
  '/slow': (_req, res, q) => {
    const ms = intParam(q, 'ms', 1000, 120000);
    const t = setTimeout(() => send(res, 200, HTML, page('Slow', `Answered after ${ms} ms.`)), ms);
    res.on('close', () => clearTimeout(t));
  },
  '/stream': stream,
  '/html': (_req, res, q) => {
    const size = intParam(q, 'size', 10000, MAX_SIZE);
    let body = htmlCache.get(size);
    if (!body) {
      body = Buffer.from(sizedHtml(size), 'utf8');
      if (htmlCache.size < 32) htmlCache.set(size, body);
    }
    send(res, 200, HTML, body);
  },
  '/blob': (_req, res, q) => send(res, 200, 'application/octet-stream', blobBytes(intParam(q, 'size', 1000, MAX_SIZE))),
  '/json': (_req, res) =>
    send(
      res,
      200,
      'application/json; charset=utf-8',
      JSON.stringify({
        service: 'TrackNCloak',
        plan: 'pro',
        price: { amount: 499, currency: 'INR', display: '₹499' },
        features: ['reports', 'billing'],
      }),
    ),
  '/nohead': (_req, res) => send(res, 200, 'text/html', '<p>fragment only</p>'),
  '/utf16': (_req, res) =>
    send(
      res,
      200,
      'text/html; charset=utf-16le',
      Buffer.from('<!doctype html><html><head><title>utf16</title></head><body><p>UTF-16LE page: ₹499 café</p></body></html>', 'utf16le'),
    ),
  '/nocharset': (_req, res) =>
    send(
      res,
      200,
      'text/html',
      '<!doctype html><html><head><title>no charset header</title><meta charset="utf-8"><script src="/static/app.js"></script></head><body><p>₹499</p></body></html>',
    ),
  '/latin1': (_req, res) =>
    send(
      res,
      200,
      'text/html; charset=iso-8859-1',
      Buffer.from('<!doctype html><html><head><title>latin1</title></head><body><p>Latin-1 page: café £5 ©</p></body></html>', 'latin1'),
    ),
  '/empty-html': (_req, res) => send(res, 200, HTML, ''),
  '/csp': (_req, res) =>
    send(
      res,
      200,
      HTML,
      simplePage(
        'CSP',
        '      <h1>CSP page</h1>\n      <p id="csp-status">inline script not run</p>',
        `\n    <script nonce="demoNonce123">window.__cspInlineRan=true;document.addEventListener('DOMContentLoaded',function(){document.getElementById('csp-status').textContent='inline script ran';});</script>`,
      ),
      { 'Content-Security-Policy': "script-src 'nonce-demoNonce123' 'strict-dynamic'; object-src 'none'" },
    ),
  // Nonce-only script-src and style-src (two nonces, no 'strict-dynamic', no 'unsafe-inline'):
  // whatever banner.js inserts (dialog.js, dialog.css) loads only with the right nonce.
  '/csp-strict': (_req, res) =>
    send(
      res,
      200,
      HTML,
      `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Strict CSP</title>
  </head>
  <body>
    <main>
      <h1>Strict CSP page</h1>
    </main>
    <footer><a href="#cookie-settings">Cookie settings</a></footer>
  </body>
</html>
`,
      { 'Content-Security-Policy': "script-src 'nonce-demoNonce123'; style-src 'nonce-demoStyle456'; object-src 'none'" },
    ),
  '/gated': (_req, res) =>
    send(
      res,
      200,
      HTML,
      simplePage(
        'Gated',
        `      <h1>Gated tags</h1>
      <iframe src="https://www.youtube.com/embed/x" data-consent-category="functional" title="video" width="320" height="180"></iframe>
      <script src="/static/app.js"></script>`,
        `
    <script src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
    <script src="https://checkout.razorpay.com/v1/checkout.js"></script>
    <script type="module" src="/static/late-tag.js" data-consent-category="analytics"></script>`,
      ),
    ),
};

export { handleUpgrade } from './ws.mjs';

/** Requests that reached the first-party tracking endpoints (which the tests' own policy declares). */
let trackHits = 0;

/** Handles a diagnostic route; returns false when the path is not one. */
export function handleDiagnostics(req, res, url) {
  const path = url.pathname;
  if (path.startsWith('/api/track') || path === '/api/events') {
    trackHits += 1;
    req.resume();
    send(res, 200, 'application/json', '{"ok":true}', { 'Cache-Control': 'no-store' });
    return true;
  }
  if (path === '/diag/track-hits') {
    send(res, 200, 'text/plain; charset=utf-8', String(trackHits), { 'Cache-Control': 'no-store' });
    return true;
  }
  if (path.startsWith('/api/echo')) {
    echo(req, res);
    return true;
  }
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status) {
    const code = Number(status[1]);
    if (code < 200 || code > 599) send(res, 400, 'text/plain; charset=utf-8', 'bad status');
    else if (NO_BODY.has(code)) {
      res.writeHead(code, code === 205 ? { 'Content-Length': 0 } : {});
      res.end();
    } else send(res, code, HTML, code === 200 ? '<p>ok</p>' : page(`Status ${code}`, `This is a ${code} response.`));
    return true;
  }
  if (path === '/ws') {
    // A plain request to the WebSocket endpoint (RFC 7231 §6.5.15).
    send(res, 426, 'text/plain; charset=utf-8', 'Upgrade Required', { Upgrade: 'websocket', Connection: 'Upgrade' });
    return true;
  }
  const handler = Object.hasOwn(ROUTES, path) ? ROUTES[path] : null;
  if (!handler) return false;
  handler(req, res, url.searchParams);
  return true;
}
