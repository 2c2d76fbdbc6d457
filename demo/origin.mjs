#!/usr/bin/env node
// Demo origin for Consent Edge: a dependency-free Node HTTP server that behaves like the
// Service (the TrackNCloak Next.js app at trackncloak.com) — its pages, its cookies
// (next-auth, functional, GA4 and Razorpay stand-ins) — plus exact diagnostic routes
// (diagnostics.mjs) for the proxy tests, the browser tests and the benchmark.
//
//   node demo/origin.mjs --port 8788 [--host 127.0.0.1]      (npm start runs it behind wrangler dev)
//   import { startOrigin } from './demo/origin.mjs'          (vitest globalSetup, benchmarks)
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { handleDiagnostics, handleUpgrade } from './diagnostics.mjs';
import { handleFaults } from './faults.mjs';
import {
  appPage,
  dashboardMain,
  notFoundPage,
  RAZORPAY_SCRIPTS,
  reportsMain,
  settingsMain,
  signinPage,
  signoutPage,
  simplePage,
} from './pages.mjs';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': HTML,
  '.json': JSON_TYPE,
};

// /static/* is served from demo/public, read once at start-up.
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const STATIC = new Map(
  readdirSync(PUBLIC_DIR).map((f) => [
    `/static/${f}`,
    { body: readFileSync(join(PUBLIC_DIR, f)), type: TYPES[extname(f)] ?? 'application/octet-stream' },
  ]),
);

function send(res, status, type, body, headers = {}) {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, ...headers });
  res.end(buf);
}

/** Cookie header(s) → Map name → value (first occurrence wins). */
function parseCookies(req) {
  const out = new Map();
  const raw = [].concat(req.headers.cookie ?? []).join('; ');
  for (const part of raw.split(';')) {
    const i = part.indexOf('=');
    const name = (i < 0 ? part : part.slice(0, i)).trim();
    if (name && !out.has(name)) out.set(name, i < 0 ? '' : part.slice(i + 1).trim());
  }
  return out;
}

const SESSION_NAMES = ['next-auth.session-token', '__Secure-next-auth.session-token'];
const isSignedIn = (cookies) => [...cookies.keys()].some((n) => SESSION_NAMES.some((s) => n === s || n.startsWith(`${s}.`)));

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const token = (bytes) => randomBytes(bytes).toString('base64url');

function signinCookies() {
  const csrf = `${token(32)}%7C${token(32)}`;
  return [
    `next-auth.csrf-token=${csrf}; Path=/; HttpOnly; SameSite=Lax`,
    `__Host-next-auth.csrf-token=${csrf}; Path=/; HttpOnly; Secure; SameSite=Lax`,
    '__Secure-next-auth.callback-url=http%3A%2F%2Flocalhost; Path=/; Secure; SameSite=Lax',
    `next-auth.session-token.0=${token(2850)}; Path=/; HttpOnly; SameSite=Lax`,
    `next-auth.session-token.1=${token(450)}; Path=/; HttpOnly; SameSite=Lax`,
    `next-auth.session-token=${token(24)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`,
    `next-auth.state=${token(24)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=900`,
    'tnc_experiment=b; Path=/; Max-Age=86400',
    'sidebar-collapsed=0; Path=/; Max-Age=31536000',
  ];
}

const SIGNOUT_COOKIES = [
  'next-auth.session-token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
  'next-auth.session-token.0=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
  'next-auth.session-token.1=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
  '__Secure-next-auth.session-token=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0',
  'next-auth.state=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
];

function reportFilters(url, cookies) {
  const q = url.searchParams;
  if (q.has('period') || q.has('status')) return { period: q.get('period') ?? 'all', status: q.get('status') ?? 'all' };
  try {
    const saved = JSON.parse(decodeURIComponent(cookies.get('report-filters') ?? ''));
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {};
  }
}

/** The application: pages, auth and small APIs. Returns false when the path is not one. */
async function handleApp(req, res, url) {
  const path = url.pathname;
  const method = req.method;
  const cookies = parseCookies(req);
  const signedIn = isSignedIn(cookies);
  const collapsed = cookies.get('sidebar-collapsed') === '1';
  const pages = {
    '/': () => appPage({ title: 'Dashboard', path, main: dashboardMain(), signedIn, collapsed }),
    '/reports': () => appPage({ title: 'Reports', path, main: reportsMain(reportFilters(url, cookies)), signedIn, collapsed }),
    '/settings': () => appPage({ title: 'Settings', path, main: settingsMain(), signedIn, collapsed, scripts: RAZORPAY_SCRIPTS }),
    '/cookie-policy': () =>
      simplePage(
        'Cookie Policy · TrackNCloak',
        '      <h1>Cookie Policy</h1>\n      <p>In production this page is served by Consent Edge from <code>policy.json</code>.</p>',
      ),
  };
  if ((method === 'GET' || method === 'HEAD') && Object.hasOwn(pages, path)) {
    send(res, 200, HTML, pages[path](), { 'Cache-Control': 'private, no-cache' });
    return true;
  }
  if (STATIC.has(path) && (method === 'GET' || method === 'HEAD')) {
    const { body, type } = STATIC.get(path);
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(body);
    return true;
  }
  switch (`${method} ${path}`) {
    case 'GET /api/sidebar':
    case 'POST /api/sidebar': {
      if (method === 'POST') await readBody(req);
      const value = url.searchParams.get('collapsed') === '0' ? '0' : '1';
      send(res, 200, JSON_TYPE, JSON.stringify({ collapsed: value === '1' }), {
        'Set-Cookie': `sidebar-collapsed=${value}; Path=/; Max-Age=31536000; SameSite=Lax`,
        'Cache-Control': 'no-store',
      });
      return true;
    }
    case 'GET /api/auth/signin':
      send(res, 200, HTML, signinPage(token(16)), { 'Cache-Control': 'no-store' });
      return true;
    case 'POST /api/auth/signin':
      await readBody(req);
      res.setHeader('Set-Cookie', signinCookies());
      res.writeHead(302, { Location: '/', 'Content-Length': 0, 'Cache-Control': 'no-store' });
      res.end();
      return true;
    case 'GET /api/auth/signout':
      send(res, 200, HTML, signoutPage(), { 'Cache-Control': 'no-store' });
      return true;
    case 'POST /api/auth/signout':
      await readBody(req);
      res.setHeader('Set-Cookie', SIGNOUT_COOKIES);
      res.writeHead(302, { Location: '/', 'Content-Length': 0, 'Cache-Control': 'no-store' });
      res.end();
      return true;
    case 'GET /api/me':
      send(res, 200, JSON_TYPE, JSON.stringify({ signedIn, cookies: [...cookies.keys()] }), {
        'Cache-Control': 'no-store',
      });
      return true;
    default:
      return false;
  }
}

async function handle(req, res) {
  let url;
  try {
    url = new URL(req.url ?? '/', 'http://origin.invalid');
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'bad request');
  }
  if (handleDiagnostics(req, res, url)) return;
  if (handleFaults(req, res, url)) return;
  if (await handleApp(req, res, url)) return;
  req.resume();
  send(res, 404, HTML, notFoundPage(url.pathname));
}

/**
 * Starts the demo origin.
 * @param {{ host?: string, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export function startOrigin({ host = '127.0.0.1', port = 0 } = {}) {
  const sockets = new Set();
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[demo origin]', err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => handleUpgrade(req, socket, head, sockets));
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${actual}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const arg = (name) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('port') ?? process.env.PORT ?? 8788);
  const host = arg('host') ?? process.env.HOST ?? '127.0.0.1';
  const origin = await startOrigin({ host, port });
  console.log(`Demo origin (TrackNCloak) listening on ${origin.url}`);
  const stop = () => origin.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
