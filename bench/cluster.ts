/**
 * The benchmark's processes, all on 127.0.0.1: the demo origin in its own Node process, and the
 * three workers (pass-through, Consent Edge from its real `wrangler deploy --dry-run` bundle, the
 * naive buffer-and-replace variant), each in its own workerd process via Miniflare.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';

export const ROOT = new URL('..', import.meta.url).pathname;

/** The three variants, in the order they are named in the report. */
export const VARIANTS = ['pass', 'ce', 'naive'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface RunningOrigin {
  url: string;
  close(): Promise<void>;
}

/** Starts demo/origin.mjs in a child Node process (so it does not share the load generator's CPU). */
export function startOriginProcess(): Promise<RunningOrigin> {
  const child = spawn(process.execPath, [join(ROOT, 'demo/origin.mjs'), '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never outlive the benchmark, whatever way it ends.
  process.once('exit', () => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`demo origin exited with ${code} before listening`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ url, close: () => stop(child) });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface ConsentEdgeBuild {
  /** The bundle wrangler would upload. */
  scriptPath: string;
  bytes: number;
  gzipBytes: number;
  /** What wrangler itself printed as "Total Upload", for the record. */
  wranglerSummary: string;
}

/**
 * Builds Consent Edge exactly as deploy would (`wrangler deploy --dry-run --outdir`), offline;
 * `minify: false` keeps function names readable in a CPU profile.
 */
export async function buildConsentEdge(options: { minify?: boolean } = {}): Promise<ConsentEdgeBuild> {
  const outdir = await mkdtemp(join(tmpdir(), 'ce-bench-'));
  const flags = options.minify === false ? ['--minify=false'] : [];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'scripts/run.mjs'), 'wrangler', 'deploy', '--dry-run', '--outdir', outdir, ...flags],
      {
        cwd: ROOT,
        // Loopback only: no banner (it checks npm for updates) and no metrics.
        env: { ...process.env, WRANGLER_HIDE_BANNER: 'true', WRANGLER_SEND_METRICS: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    child.stdout?.on('data', (c: Buffer) => {
      text += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      text += c.toString();
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrangler deploy --dry-run failed:\n${text.split('\n').slice(-25).join('\n')}`)),
    );
  });
  const main = readdirSync(outdir).find((f) => f.endsWith('.js'));
  if (!main) throw new Error(`wrangler wrote no .js file to ${outdir}`);
  const scriptPath = join(outdir, main);
  const source = readFileSync(scriptPath);
  return {
    scriptPath,
    bytes: statSync(scriptPath).size,
    gzipBytes: gzipSync(source, { level: 9 }).length,
    wranglerSummary: /Total Upload:[^\n]*/.exec(output)?.[0] ?? '',
  };
}

/** wrangler.toml's compatibility date, so every worker runs under the same one. */
export function compatibilityDate(): string {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  return /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? '2026-01-01';
}

async function bundleComparison(name: 'passthrough' | 'naive'): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, `bench/workers/${name}.ts`)],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Applies migrations/*.sql to the local D1 database, statement by statement. */
async function applyMigrations(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database('CONSENT_DB');
  const dir = join(ROOT, 'migrations');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(join(dir, file), 'utf8').replace(/--[^\n]*/g, '');
    for (const statement of sql
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean))
      await db.prepare(statement).run();
  }
}

/** The workerd processes running now (empty where `pgrep` is missing). */
export function workerdPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'workerd']).toString().trim().split('\n').map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds (user + system) these processes have used so far, from /proc; NaN off Linux.
 * One workerd thread serves all of a worker's requests, so under load a worker's throughput is
 * one over its CPU time per request.
 */
export function cpuSeconds(pids: readonly number[]): number {
  if (!pids.length || !existsSync('/proc/self/stat')) return Number.NaN;
  let total = 0;
  for (const pid of pids) {
    if (!existsSync(`/proc/${pid}/stat`)) continue;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    total += (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
  }
  return total;
}

/** Starts a Miniflare instance and returns it with its URL and its own workerd process ids. */
export async function startInstance(make: () => Miniflare): Promise<{ mf: Miniflare; url: string; pids: number[] }> {
  const before = new Set(workerdPids());
  const mf = make();
  const url = (await mf.ready).href.replace(/\/$/, '');
  return { mf, url, pids: workerdPids().filter((pid) => !before.has(pid)) };
}

export interface Workers {
  urls: Record<Variant, string>;
  /** Each variant's workerd process ids (for CPU time per request). */
  pids: Record<Variant, number[]>;
  /** Worker log lines by `event` (Consent Edge logs JSON lines), to spot errors under load. */
  logs: Map<string, number>;
  close(): Promise<void>;
}

/** Starts the three workers, each in its own workerd process on its own loopback port. */
export async function startWorkers(originUrl: string, consentEdge: ConsentEdgeBuild, secret: string): Promise<Workers> {
  const logs = new Map<string, number>();
  const shared = {
    host: '127.0.0.1',
    port: 0,
    // No request.cf download from the internet: the placeholder is enough here.
    cf: false,
    handleStructuredLogs: (log: { message?: string }) => {
      const event = /"event":"([^"]+)"/.exec(log.message ?? '')?.[1] ?? 'other';
      logs.set(event, (logs.get(event) ?? 0) + 1);
    },
  };
  const worker = { compatibilityDate: compatibilityDate(), modules: true };
  const comparison = async (name: 'passthrough' | 'naive') => {
    const script = await bundleComparison(name);
    return () =>
      new Miniflare(
        convertV4MiniflareOptions({
          ...shared,
          workers: [{ ...worker, name, script, bindings: { ORIGIN: originUrl } }],
        }),
      );
  };
  // One after another, so each worker's workerd process is known by its pid.
  const pass = await startInstance(await comparison('passthrough'));
  const naive = await startInstance(await comparison('naive'));
  // Miniflare 5 takes its own option shape; the v4 shape (the one its docs describe) converts.
  const ce = await startInstance(
    () =>
      new Miniflare(
        convertV4MiniflareOptions({
          ...shared,
          // Module names are relative to the root: it must hold the bundle (it sits in a temp dir).
          rootPath: dirname(consentEdge.scriptPath),
          workers: [
            {
              ...worker,
              name: 'consent-edge',
              scriptPath: consentEdge.scriptPath,
              bindings: { ORIGIN: originUrl, ORIGIN_TIMEOUT_MS: '15000', CONSENT_SECRET: secret },
              d1Databases: { CONSENT_DB: 'consent-log' },
              queueProducers: { CONSENT_QUEUE: { queueName: 'consent-log' } },
              queueConsumers: {
                'consent-log': { maxBatchSize: 100, maxBatchTimeout: 2, maxRetries: 100, deadLetterQueue: 'consent-log-dead' },
              },
            },
          ],
        }),
      ),
  );
  await applyMigrations(ce.mf);
  return {
    urls: { pass: pass.url, ce: ce.url, naive: naive.url },
    pids: { pass: pass.pids, ce: ce.pids, naive: naive.pids },
    logs,
    close: async () => {
      await Promise.all([pass.mf.dispose(), ce.mf.dispose(), naive.mf.dispose()]);
    },
  };
}

/** A signed consent cookie for a visitor who accepted everything, from the worker itself. */
export async function decidedCookie(ceUrl: string): Promise<string> {
  const res = await fetch(`${ceUrl}/__consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'accept-all' }),
  });
  const line = res.headers.getSetCookie().find((c) => c.startsWith('ce_consent='));
  if (res.status !== 200 || !line) throw new Error(`POST /__consent answered ${res.status} without a consent cookie`);
  return line.split(';')[0] ?? '';
}
