// An origin serving a server-rendered React 19 document and its hydrating client bundle, to
// check that the worker's injected markup does not break `hydrateRoot(document)`.
// React is an optionalDependency, not a devDependency, on purpose: listed as a devDependency it
// switches on Biome's React lint rules for the whole codebase, whose JSX is hono/jsx.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { App } from './react-app.mjs';

/** @returns {Promise<{ url: string, close: () => Promise<void> }>} */
export async function startReactOrigin() {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./react-client.mjs', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    define: { 'process.env.NODE_ENV': '"development"' }, // development React reports every mismatch
    logLevel: 'silent',
  });
  const client = bundle.outputFiles[0]?.text ?? '';
  const page = `<!DOCTYPE html>${renderToString(createElement(App)).replace('</body>', '<script src="/client.js"></script></body>')}`;
  const server = createServer((req, res) => {
    if (req.url === '/client.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(client);
    } else if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(page);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
