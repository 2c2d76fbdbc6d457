/**
 * A/B ladder for the HTML hot path (`node scripts/run.mjs tsx bench/ab-html.ts [--seconds 2]
 * [--rounds 5] [--path /json,/html?size=2048] [--no-ladder] [--against old/index.js,…]`): the pass-through, then
 * HTMLRewriter doing less and less of what Consent Edge does, then Consent Edge itself, so the
 * report can say which step costs the throughput. `--against` adds other builds of Consent Edge
 * (e.g. `wrangler deploy --dry-run --outdir` of an older commit) as arms, for both visitors, to A/B a change;
 * `--no-ladder` leaves only the pass-through and the builds. Each worker runs in its own workerd process; on Linux the report also gives that
 * process's CPU time per request (from /proc), which is what bounds its throughput: one workerd
 * thread serves all of a worker's requests.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { bodyMarkup, headMarkup } from '../src/banner/markup';
import { deployedPolicy } from '../src/policy/load';
import { median } from './classify';
import { buildConsentEdge, compatibilityDate, cpuSeconds, decidedCookie, startInstance, startOriginProcess } from './cluster';
import { load } from './load';

const FORWARD = `const forward = (request, env) => { const u = new URL(request.url); return fetch(new Request(env.ORIGIN + u.pathname + u.search, request)); };`;
/** Consent Edge's real injected markup for an undecided visitor, computed once here. */
function realMarkup(): { head: string; body: string } {
  const policy = deployedPolicy();
  const categories = Object.fromEntries(policy.ids.map((id) => [id, id === policy.required]));
  const consent = {
    revision: 1,
    decided: false,
    categories,
    gpc: false,
    regime: 'opt-in' as const,
    consentId: null,
    issuedAt: null,
    expiresAt: null,
  };
  const input = { policy, consent, locale: policy.policy.defaultLocale, returnTo: '/html' };
  return { head: headMarkup(input), body: bodyMarkup(input) };
}
const MARKUP = realMarkup();

const STEPS: Record<string, string> = {
  pass: 'return forward(request, env);',
  'rewriter, no handlers': 'return new HTMLRewriter().transform(await forward(request, env));',
  'rewriter, <head> prepend only': `return new HTMLRewriter().on('head', { element(e) { e.prepend('<script type="application/json" id="consent-state">{}</script>', { html: true }); } }).transform(await forward(request, env));`,
  'rewriter, head + body + script + iframe (Consent Edge selectors)': `const noop = { element(e) { e.getAttribute('src'); } };
    return new HTMLRewriter()
      .on('head', { element(e) { e.prepend('<script type="application/json" id="consent-state">{}</script>', { html: true }); } })
      .on('body', { element(e) { e.onEndTag((end) => end.before('<section id="consent-edge"></section>', { html: true })); } })
      .on('script', noop).on('iframe', noop)
      .onDocument({ end() {} })
      .transform(await forward(request, env));`,
  "same selectors, Consent Edge's real markup as constants": `const noop = { element(e) { e.getAttribute('src'); } };
    return new HTMLRewriter()
      .on('head', { element(e) { e.prepend(${JSON.stringify(MARKUP.head)}, { html: true }); } })
      .on('body', { element(e) { e.onEndTag((end) => end.before(${JSON.stringify(MARKUP.body)}, { html: true })); } })
      .on('script', noop).on('iframe', noop)
      .onDocument({ end() {} })
      .transform(await forward(request, env));`,
  // The floor for the selectors Consent Edge uses on a page that opens with <head>: only tags that can be held reach a handler.
  "Consent Edge's selectors for a page that opens with <head> (tags that can be held), one attribute read, real markup": `const noop = { element(e) { e.getAttribute('src'); } };
    return new HTMLRewriter()
      .on('head', { element(e) { e.prepend(${JSON.stringify(MARKUP.head)}, { html: true }); } })
      .on('body', { element(e) { e.onEndTag((end) => end.before(${JSON.stringify(MARKUP.body)}, { html: true })); } })
      .on('script[src], script[data-consent-category], iframe[src], iframe[data-consent-category], link[rel*=pre i][href]', noop)
      .onDocument({ end() {} })
      .transform(await forward(request, env));`,
};

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main() {
  const seconds = arg('seconds', 2);
  const rounds = arg('rounds', 5);
  const [origin, build] = await Promise.all([startOriginProcess(), buildConsentEdge()]);
  const shared = { host: '127.0.0.1', port: 0, cf: false, handleStructuredLogs: () => {} };
  const worker = { compatibilityDate: compatibilityDate(), modules: true, bindings: { ORIGIN: origin.url } };
  const steps = Object.entries(STEPS).filter(([name]) => name === 'pass' || !process.argv.includes('--no-ladder'));
  const configs: [string, () => Miniflare][] = steps.map(([name, body]) => [
    name,
    () =>
      new Miniflare(
        convertV4MiniflareOptions({
          ...shared,
          workers: [{ ...worker, name: 'step', script: `${FORWARD}\nexport default { async fetch(request, env) { ${body} } };` }],
        }),
      ),
  ]);
  const consentEdge = (scriptPath: string) => () =>
    new Miniflare(
      convertV4MiniflareOptions({
        ...shared,
        rootPath: dirname(scriptPath),
        workers: [
          {
            ...worker,
            name: 'consent-edge',
            scriptPath,
            bindings: { ORIGIN: origin.url, CONSENT_SECRET: 'ab' },
            d1Databases: { CONSENT_DB: 'consent-log' },
            queueProducers: { CONSENT_QUEUE: { queueName: 'consent-log' } },
          },
        ],
      }),
    );
  const against = process.argv.indexOf('--against');
  for (const other of against > 0 ? (process.argv[against + 1] ?? '').split(',').filter(Boolean) : []) {
    configs.push([`Consent Edge (undecided), build ${other}`, consentEdge(other)]);
  }
  configs.push(['Consent Edge (undecided)', consentEdge(build.scriptPath)]);
  // One at a time, so each worker's workerd process is known by its pid.
  const instances: { name: string; mf: Miniflare; url: string; pids: number[]; headers?: Record<string, string> }[] = [];
  try {
    for (const [name, make] of configs) instances.push({ name, ...(await startInstance(make)) });
    const ce = instances.at(-1);
    // The same worker for a visitor who accepted everything (the splice path, no full parse).
    if (ce) {
      const cookie = await decidedCookie(ce.url);
      instances.push({ ...ce, name: 'Consent Edge (accepted all)', headers: { cookie } });
      // The other builds for that visitor too (they share the secret, so the cookie).
      for (const other of instances.filter((i) => i.name.startsWith('Consent Edge (undecided), build ')))
        instances.push({ ...other, name: other.name.replace('(undecided)', '(accepted all)'), headers: { cookie } });
      // The control for that arm: the pass-through sent the same Cookie header.
      const pass = instances[0];
      if (pass) instances.push({ ...pass, name: 'pass, with the same cookie', headers: { cookie } });
    }
    const only = process.argv.indexOf('--path');
    const paths =
      only > 0 ? (process.argv[only + 1] ?? '/html?size=2048').split(',') : ['/html?size=2048', '/html?size=102400', '/html?size=1048576'];
    for (const path of paths) {
      const ratios = new Map<string, number[]>();
      const cpu = new Map<string, number[]>();
      for (const { url, headers } of instances) await load(`${url}${path}`, { connections: 10, seconds: 0.5, headers });
      for (let round = 0; round < rounds; round++) {
        const rps = new Map<string, number>();
        for (let k = 0; k < instances.length; k++) {
          const instance = instances[(k + round) % instances.length];
          if (!instance) continue;
          const before = cpuSeconds(instance.pids);
          const result = await load(`${instance.url}${path}`, { connections: 10, seconds, headers: instance.headers });
          rps.set(instance.name, result.rps);
          cpu.set(instance.name, [...(cpu.get(instance.name) ?? []), ((cpuSeconds(instance.pids) - before) / result.requests) * 1e6]);
        }
        for (const { name } of instances) ratios.set(name, [...(ratios.get(name) ?? []), (rps.get(name) ?? 0) / (rps.get('pass') ?? 1)]);
      }
      console.log(`\n${path}: req/s as a share of the pass-through, and workerd CPU per request (medians of ${rounds} rounds)`);
      for (const [name, values] of ratios)
        console.log(
          `  ${median(values).toFixed(2)}  ${median(cpu.get(name) ?? [])
            .toFixed(0)
            .padStart(5)} µs  ${name}`,
        );
    }
  } finally {
    await Promise.all([...new Set(instances.map(({ mf }) => mf))].map((mf) => mf.dispose()));
    await origin.close();
    rmSync(dirname(build.scriptPath), { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
