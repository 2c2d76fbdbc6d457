/**
 * Where Consent Edge's time goes inside workerd: the real bundle (unminified, so names read) in
 * a bare `workerd serve` with the V8 inspector on, in front of the demo origin, under load; the
 * CPU profile is taken over the inspector protocol while autocannon drives one path.
 *   node scripts/run.mjs tsx bench/profile-workerd.ts [--path /json] [--seconds 5] [--cookie 'ce_consent=…' | --accepted]
 * (`--accepted`: as a visitor who accepted everything, with a cookie signed here)
 * It prints the functions with the most samples (self, then inclusive) and writes the whole
 * profile to a .cpuprofile file (open it in Chrome DevTools). No D1 or queue bindings: profile
 * page and asset requests, not consent decisions.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { newConsentId, signConsent } from '../src/consent/cookie';
import { deployedPolicy } from '../src/policy/load';
import { buildConsentEdge, compatibilityDate, startOriginProcess } from './cluster';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Node 22's global WebSocket, as used here (the project's types describe the Workers one). */
interface SocketLike {
  onopen: (() => void) | null;
  onerror: ((error: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

/** A minimal DevTools-protocol client over the inspector WebSocket. */
async function inspector(url: string) {
  const ws = new (globalThis as unknown as { WebSocket: new (url: string) => SocketLike }).WebSocket(url);
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  return {
    send: (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

function report(profile: CpuProfile, top: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const sample of profile.samples) {
    const node = byId.get(sample);
    if (!node) continue;
    self.set(label(node), (self.get(label(node)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: ProfileNode | undefined = node; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
      const key = label(cur);
      if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
      seen.add(key);
    }
  }
  const total = profile.samples.length;
  const print = (title: string, counts: Map<string, number>) => {
    console.log(`\n${title} (% of ${total} samples)`);
    for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${((100 * n) / total).toFixed(1).padStart(6)}  ${key}`);
  };
  print('Self time', self);
  print('Inclusive time', inclusive);
}

const SECRET = 'profile-secret';

/** The consent cookie of a visitor who accepted every category, signed as the worker would. */
async function acceptedCookie(): Promise<string> {
  const policy = deployedPolicy();
  const decision = {
    revision: policy.policy.revision,
    categories: policy.optional,
    issued: Math.floor(Date.now() / 1000),
    gpc: false,
    id: newConsentId(),
  };
  return `${policy.policy.consentCookie.name}=${await signConsent(decision, SECRET)}`;
}

async function main() {
  const path = arg('path', '/json');
  const seconds = Number(arg('seconds', '5'));
  const cookie = process.argv.includes('--accepted') ? await acceptedCookie() : arg('cookie', '');
  const [origin, build] = await Promise.all([startOriginProcess(), buildConsentEdge({ minify: false })]);
  const [port, inspectPort] = await Promise.all([freePort(), freePort()]);
  const dir = await mkdtemp(join(tmpdir(), 'ce-profile-'));
  const module = basename(build.scriptPath);
  // workerd embeds files relative to the config.
  copyFileSync(build.scriptPath, join(dir, module));
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .ce), (name = "internet", network = (allow = ["private", "public", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const ce :Workerd.Worker = (
  modules = [ (name = "${module}", esModule = embed "${module}") ],
  compatibilityDate = "${compatibilityDate()}",
  globalOutbound = "internet",
  bindings = [ (name = "ORIGIN", text = "${origin.url}"), (name = "CONSENT_SECRET", text = "${SECRET}") ],
);
`,
  );
  const workerdBin = join(dirname(createRequire(import.meta.url).resolve('workerd/package.json')), 'bin', 'workerd');
  const workerd = spawn(workerdBin, ['serve', join(dir, 'config.capnp'), `--inspector-addr=127.0.0.1:${inspectPort}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => workerd.kill());
  try {
    const url = `http://127.0.0.1:${port}${path}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 100) throw new Error(`workerd did not answer ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const session = await inspector(`ws://127.0.0.1:${inspectPort}/main`);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 100 });
    const headers: Record<string, string> = cookie ? { cookie } : {};
    await autocannon({ url, connections: 10, duration: 1, headers });
    await session.send('Profiler.start');
    const run = await autocannon({ url, connections: 10, duration: seconds, headers });
    const { profile } = (await session.send('Profiler.stop')) as { profile: CpuProfile };
    session.close();
    const file = join(dir, 'consent-edge.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    console.log(`${path}: ${run.requests.total} requests in ${seconds} s (${run.non2xx} non-2xx); profile: ${file}`);
    report(profile, Number(arg('top', '30')));
  } finally {
    workerd.kill();
    await origin.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
