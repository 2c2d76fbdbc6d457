/**
 * The bench's static server for the pages without the worker (bench/browser/variants.ts), on
 * 127.0.0.1: `/<variant>/` is the demo dashboard with that tool, `/static/*` the demo's own
 * files (demo/public, as the demo origin serves them), `/vendor/*` the tools' dist files from
 * node_modules and their config scripts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { ROOT } from '../cluster';
import { clientPage, KLARO_CONFIG, VANILLA_CONFIG, type VariantId } from './variants';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

interface File {
  body: Buffer;
  type: string;
}

const file = (path: string): File => ({ body: readFileSync(path), type: TYPES[extname(path)] ?? 'application/octet-stream' });
const text = (body: string, type: string): File => ({ body: Buffer.from(body), type });

export interface StaticServer {
  url: string;
  /** The page URL of a variant served here. */
  pageUrl(id: Exclude<VariantId, 'consent-edge'>): string;
  close(): Promise<void>;
}

export function startStaticServer(): Promise<StaticServer> {
  const files = new Map<string, File>();
  const publicDir = join(ROOT, 'demo/public');
  for (const name of readdirSync(publicDir)) files.set(`/static/${name}`, file(join(publicDir, name)));
  const vcc = join(ROOT, 'node_modules/vanilla-cookieconsent/dist');
  files.set('/vendor/vanilla-cookieconsent/cookieconsent.umd.js', file(join(vcc, 'cookieconsent.umd.js')));
  files.set('/vendor/vanilla-cookieconsent/cookieconsent.css', file(join(vcc, 'cookieconsent.css')));
  files.set('/vendor/cookieconsent-config.js', text(VANILLA_CONFIG, TYPES['.js'] ?? ''));
  files.set('/vendor/klaro/klaro.js', file(join(ROOT, 'node_modules/klaro/dist/klaro.js')));
  files.set('/vendor/klaro-config.js', text(KLARO_CONFIG, TYPES['.js'] ?? ''));
  for (const id of ['vanilla-cookieconsent', 'klaro', 'none'] as const) files.set(`/${id}/`, text(clientPage(id), TYPES['.html'] ?? ''));

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bench.invalid').pathname;
    const found = req.method === 'GET' || req.method === 'HEAD' ? files.get(path) : undefined;
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    // As the demo origin answers: no compression, no caching across visits.
    res.writeHead(200, { 'Content-Type': found.type, 'Content-Length': found.body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : found.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        url,
        pageUrl: (id) => `${url}/${id}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
