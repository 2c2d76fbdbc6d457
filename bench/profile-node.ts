/**
 * Consent Edge's JS cost per request, in Node (where `--cpu-prof` works, unlike in workerd):
 * the real `wrangler deploy --dry-run` bundle with the origin answered in-process and
 * HTMLRewriter stubbed out, against a bare fetch-and-return.
 *   node scripts/run.mjs tsx bench/profile-node.ts
 *   node scripts/run.mjs node --cpu-prof --import tsx bench/profile-node.ts   (then open the .cpuprofile)
 */
import { pathToFileURL } from 'node:url';
import { median } from './classify';
import { buildConsentEdge } from './cluster';

type Handler = { fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> };

const HTML = `<!doctype html><html><head><title>x</title></head><body>${'<p>filler</p>'.repeat(150)}</body></html>`;
const JSON_BODY = JSON.stringify({ service: 'TrackNCloak', plan: 'pro', price: { amount: 499, currency: 'INR' } });

async function main() {
  const build = await buildConsentEdge();
  const g = globalThis as unknown as { HTMLRewriter: unknown; fetch: (input: Request | string) => Promise<Response> };
  g.HTMLRewriter = class {
    on() {
      return this;
    }
    onDocument() {
      return this;
    }
    transform(response: Response) {
      return response;
    }
  };
  g.fetch = async (input) => {
    const html = new URL(typeof input === 'string' ? input : input.url).pathname.startsWith('/html');
    const body = html ? HTML : JSON_BODY;
    const type = html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
    return new Response(body, { headers: { 'content-type': type, 'content-length': String(body.length) } });
  };
  const worker = ((await import(pathToFileURL(build.scriptPath).href)) as { default: Handler }).default;
  const env = {
    ORIGIN: 'http://127.0.0.1:1',
    CONSENT_SECRET: 'bench',
    ORIGIN_TIMEOUT_MS: '15000',
    CONSENT_QUEUE: { send: async () => {} },
    CONSENT_DB: {},
  };
  const ctx = { waitUntil() {}, passThroughOnException() {} };
  const decision = await worker.fetch(
    new Request('http://x.test/__consent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"action":"accept-all"}',
    }),
    env,
    ctx,
  );
  const cookie = decision.headers.getSetCookie()[0]?.split(';')[0] ?? '';

  const time = async (n: number, once: () => Promise<Response>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await (await once()).arrayBuffer();
    return Number(process.hrtime.bigint() - start) / n / 1000;
  };
  const cases: Record<string, () => Promise<Response>> = {
    'bare fetch + return': async () => {
      const r = await g.fetch(new Request('http://127.0.0.1:1/json'));
      return new Response(r.body, r);
    },
    'JSON, undecided': () => worker.fetch(new Request('http://x.test/json'), env, ctx),
    'JSON, decided': () => worker.fetch(new Request('http://x.test/json', { headers: { cookie } }), env, ctx),
    'HTML 2 KB, undecided (rewriter stubbed)': () => worker.fetch(new Request('http://x.test/html'), env, ctx),
    'HTML 2 KB, decided (rewriter stubbed)': () => worker.fetch(new Request('http://x.test/html', { headers: { cookie } }), env, ctx),
  };
  for (const once of Object.values(cases)) await time(1000, once);
  const samples = new Map<string, number[]>();
  for (let round = 0; round < 5; round++) {
    for (const [name, once] of Object.entries(cases)) samples.set(name, [...(samples.get(name) ?? []), await time(2000, once)]);
  }
  for (const [name, values] of samples) console.log(`${median(values).toFixed(0).padStart(6)} µs/request  ${name}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
