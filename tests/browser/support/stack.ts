/**
 * The browser tests' stack: the demo origin (a real Node server) behind `wrangler dev`, on free
 * local ports, torn down after the file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrigin } from '../../../demo/origin.mjs';
import { freePort, waitForProcess } from './process';

export interface Stack {
  /** The worker's URL (what the browser visits). */
  url: string;
  originUrl: string;
  /** wrangler's local state directory (the consent log's D1), removed by `stop`. */
  persist: string;
  stop(): Promise<void>;
}

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Makes the origin; it is told the worker's URL, which is where the browser reaches it. */
export type OriginFactory = (workerUrl: string) => Promise<{ url: string; close(): Promise<void> }>;

export interface StackOptions {
  /** Apply the consent-log migrations first, as `npm start` does, so decisions reach D1 (a few seconds). */
  consentLog?: boolean;
  /** The worker's entry module instead of wrangler.toml's `main` (a worker built with a test policy). */
  entry?: string;
}

/**
 * Starts an origin (the demo by default) and the worker in front of it. Miniflare's placeholder
 * location stands in for `request.cf` (no fetch of the machine's own), as on a machine offline.
 */
export async function startStack(
  makeOrigin: OriginFactory = () => startOrigin({ host: '127.0.0.1', port: 0 }),
  options: StackOptions = {},
): Promise<Stack> {
  const port = await freePort();
  const origin = await makeOrigin(`http://127.0.0.1:${port}`);
  const persist = mkdtempSync(join(tmpdir(), 'ce-wrangler-'));
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  if (options.consentLog) {
    execFileSync(
      process.execPath,
      ['scripts/run.mjs', 'wrangler', 'd1', 'migrations', 'apply', 'consent-log', '--local', '--persist-to', persist],
      { cwd: ROOT, env: { ...env, CI: 'true' }, stdio: 'ignore' },
    );
  }
  const child = spawn(
    process.execPath,
    [
      'scripts/run.mjs',
      'wrangler',
      'dev',
      ...(options.entry ? [options.entry] : []),
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
      // GET /__scheduled runs the Cron Trigger's handler (the consent log's upkeep) on demand.
      '--test-scheduled',
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
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
    await waitForProcess(`${url}/__consent`, child, 'wrangler dev', 120_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, originUrl: origin.url, persist, stop };
}
