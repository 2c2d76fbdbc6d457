// Misbehaving-origin routes of the demo origin (see origin.mjs), for the failure tests: an origin
// that resets after its headers, a compressed page streamed under the test's control, and a
// counter of how often the origin was asked.
import { constants as zc, createBrotliCompress, createGzip } from 'node:zlib';

const HTML = 'text/html; charset=utf-8';
/** Requests seen per `id` query parameter, so a test can tell how often the origin was asked. */
const hits = new Map();
/** Gated streams waiting for their release, by id. */
const gates = new Map();
/** Documents a test stored to be served back (`/faults/doc`), by id; the oldest go first. */
const docs = new Map();
const MAX_DOCS = 64;

function readAll(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * POST stores a document under `id`; GET serves it as `text/html`, in pieces of `chunk` bytes
 * (each written on its own turn), with a Content-Length unless `length=0`.
 */
async function doc(req, res, q) {
  const id = q.get('id') ?? '';
  if (req.method === 'POST') {
    docs.set(id, await readAll(req));
    if (docs.size > MAX_DOCS) docs.delete(docs.keys().next().value);
    res.writeHead(204, { 'Content-Length': '0' });
    return res.end();
  }
  const body = docs.get(id);
  if (!body) {
    res.writeHead(404, { 'Content-Length': '0' });
    return res.end();
  }
  const chunk = Math.max(1, Number(q.get('chunk') ?? body.length) || body.length);
  res.writeHead(200, {
    'Content-Type': q.get('type') ?? HTML,
    ...(q.get('length') === '0' ? {} : { 'Content-Length': String(body.length) }),
  });
  for (let at = 0; at < body.length; at += chunk) {
    if (!res.write(body.subarray(at, at + chunk))) await new Promise((resolve) => res.once('drain', resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

const count = (q) => {
  const id = q.get('id');
  if (id) hits.set(id, (hits.get(id) ?? 0) + 1);
};

/**
 * `200 text/html` with a Content-Length of `length`, `bytes` bytes of a page, then a reset:
 * the origin "fails after its headers".
 */
function resetAfterHeaders(_req, res, q) {
  count(q);
  const page = Buffer.from(`<!doctype html><html><head><title>reset</title></head><body>${'<p>lost</p>'.repeat(200)}</body></html>`);
  const bytes = Math.min(Number(q.get('bytes') ?? 0) || 0, page.length - 1);
  res.writeHead(200, { 'Content-Type': q.get('type') ?? HTML, 'Content-Length': String(Number(q.get('length') ?? page.length)) });
  if (bytes > 0) res.write(page.subarray(0, bytes));
  // Let the headers (and the bytes) leave before the connection is torn down.
  setTimeout(() => res.socket?.destroy(), 30);
}

/** A streamed page whose compressed pieces are flushed one by one. */
function encoder(kind) {
  if (kind === 'br') return { stream: createBrotliCompress(), flush: (s) => s.flush(zc.BROTLI_OPERATION_FLUSH) };
  if (kind === 'gzip') return { stream: createGzip(), flush: (s) => s.flush(zc.Z_SYNC_FLUSH) };
  return null;
}

/**
 * The start of a page (head and a first paragraph), then nothing until `/faults/release?id=` is
 * asked, then the rest: a test can check the visitor got the start while the origin still holds
 * the end, without measuring time. `encoding` is `gzip`, `br` or `identity`.
 */
function gatedStream(_req, res, q) {
  count(q);
  const id = q.get('id') ?? '';
  const kind = q.get('encoding') ?? 'identity';
  const head = `<!doctype html><html><head><title>gated</title></head><body><p>first ${'x'.repeat(200)}</p>`;
  const tail = `${'<p>later</p>'.repeat(50)}</body></html>`;
  const enc = encoder(kind);
  res.writeHead(200, {
    'Content-Type': HTML,
    'Cache-Control': 'no-store',
    ...(enc ? { 'Content-Encoding': kind, Vary: 'Accept-Encoding' } : {}),
  });
  const out = enc ? enc.stream : res;
  if (enc) enc.stream.pipe(res);
  out.write(head);
  if (enc) enc.flush(enc.stream);
  const release = () => {
    gates.delete(id);
    out.end(tail);
  };
  gates.set(id, release);
  res.on('close', () => gates.delete(id));
}

const ROUTES = {
  '/faults/reset-after-headers': resetAfterHeaders,
  '/faults/doc': doc,
  '/faults/gated': gatedStream,
  '/faults/release': (_req, res, q) => {
    const release = gates.get(q.get('id') ?? '');
    release?.();
    res.writeHead(release ? 204 : 404, { 'Content-Length': '0' });
    res.end();
  },
  '/faults/hits': (_req, res, q) => {
    const body = String(hits.get(q.get('id') ?? '') ?? 0);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) });
    res.end(body);
  },
};

/** Handles a fault route; returns false when the path is not one. */
export function handleFaults(req, res, url) {
  const handler = Object.hasOwn(ROUTES, url.pathname) ? ROUTES[url.pathname] : null;
  if (!handler) return false;
  if (handler !== doc) req.resume();
  Promise.resolve(handler(req, res, url.searchParams)).catch(() => res.destroy());
  return true;
}
