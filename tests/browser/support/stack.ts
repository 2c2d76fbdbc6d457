/**
 * The browser tests' stack: the demo origin (a real Node server) behind `wrangler dev`, on free
 * local ports, torn down after the file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrigin } from '../../../demo/origin.mjs';

export interface Stack {
  /** The worker's URL (what the browser visits). */
  url: string;
  originUrl: string;
  stop(): Promise<void>;
}

const ROOT = new URL('../../../', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer ${url} within ${ms} ms:\n${log()}`);
}

/** Starts an origin (the demo by default) and the worker in front of it. */
export async function startStack(
  makeOrigin: () => Promise<{ url: string; close(): Promise<void> }> = () => startOrigin({ host: '127.0.0.1', port: 0 }),
): Promise<Stack> {
  const origin = await makeOrigin();
  const port = await freePort();
  const persist = mkdtempSync(join(tmpdir(), 'ce-wrangler-'));
  const child = spawn(
    process.execPath,
    [
      'scripts/run.mjs',
      'wrangler',
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--var',
      `ORIGIN:${origin.url}`,
      '--var',
      'CONSENT_SECRET:test',
      '--persist-to',
      persist,
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM'); // the process group we started: run.mjs and wrangler
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
    await origin.close();
    rmSync(persist, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(`${url}/__consent`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, originUrl: origin.url, stop };
}
