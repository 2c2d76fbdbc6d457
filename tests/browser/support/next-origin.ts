/**
 * The Next.js fixture (tests/fixtures/next-app) as an origin: built once (again only when its
 * sources or Next.js change) and started with `next start` on a free port, with `NEXTAUTH_URL`
 * set to the worker's URL so next-auth's redirects come back through the worker.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForProcess } from './process';

const APP = new URL('../../fixtures/next-app/', import.meta.url).pathname;
const NEXT_BIN = new URL('../../../node_modules/next/dist/bin/next', import.meta.url).pathname;
const STAMP = join(APP, '.next', 'fixture-sources.sha256');

function sources(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name !== '.next' && name !== 'node_modules')
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : [path];
    })
    .sort();
}

/** A digest of the fixture's sources and the Next.js version that builds them. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(new URL('../../../node_modules/next/package.json', import.meta.url)));
  for (const path of sources(APP)) hash.update(path.slice(APP.length)).update(readFileSync(path));
  return hash.digest('hex');
}

const env = () => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' });

/** Builds the fixture unless the last build was of the same sources (about a minute on 2 cores). */
export async function buildNextFixture(): Promise<void> {
  const digest = sourceDigest();
  if (existsSync(join(APP, '.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) return;
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: APP, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c) => (output = (output + c).slice(-20_000)));
  child.stderr?.on('data', (c) => (output = (output + c).slice(-20_000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output}`);
  writeFileSync(STAMP, digest);
}

/** Starts the built fixture; `workerUrl` is where the browser reaches it. */
export async function startNextOrigin(workerUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  await buildNextFixture();
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env: { ...env(), NEXTAUTH_URL: workerUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  try {
    await waitForProcess(`${url}/about`, child, 'next start');
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}
