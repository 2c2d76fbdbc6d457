/**
 * Consent Edge: the worker's wiring. Each concern lives in its own folder; this file only
 * connects them to the Hono app (see README "Project layout").
 */
import { Hono } from 'hono';
import { bannerAssetRoutes } from './banner/assets';
import { readRequestConsent } from './consent/request';
import { consentRoutes } from './consent/routes';
import { cookieNames, expireCategories } from './cookies';
import type { AppEnv, Bindings } from './env';
import { consumeConsentLog } from './log/consumer';
import { enqueueDecision } from './log/enqueue';
import { receiptRoutes } from './log/receipt';
import { createDecisionRecord } from './log/record';
import { preferencesRoutes } from './pages/preferences';
import { policyPageRoutes } from './pages/policy';
import { policyHash } from './policy/digest';
import { deployedPolicy } from './policy/load';
import { pickLocale } from './policy/locale';
import { workerPageUpkeep } from './proxy/enforce';
import { proxyRequest } from './proxy/handler';
import { isReservedPath } from './proxy/reserved';

const policy = deployedPolicy();
const { prefix, policyPage } = policy.policy.paths;
const locales = Object.keys(policy.policy.locales);
let shownPolicyHash: Promise<string> | undefined;

/** The page a decision was made on: the Referer, when it is this site's (never another site's path). */
function sameOriginUrl(referer: string | undefined, url: string): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin === new URL(url).origin ? referer : undefined;
  } catch {
    return undefined;
  }
}

const app = new Hono<AppEnv>();

// Every request: the policy, the visitor's consent and language, decided once.
app.use('*', async (c, next) => {
  c.set('policy', policy);
  const { state, verified } = await readRequestConsent(c, policy, Math.floor(Date.now() / 1000));
  c.set('consent', state);
  c.set('priorDecision', verified?.decision ?? null);
  c.set('resign', verified?.signedWith === 'previous');
  c.set('locale', pickLocale(c.req.header('accept-language'), locales, policy.policy.defaultLocale));
  await next();
});

// The worker's own pages get the cookie upkeep of proxied page views.
for (const page of [policyPage, `${prefix}/preferences`, `${prefix}/receipt`]) app.use(page, workerPageUpkeep);

app.route(
  prefix,
  consentRoutes({
    onDecision(c, event) {
      const record = (hash: string) =>
        createDecisionRecord(
          {
            consentId: event.consentId,
            action: event.action,
            accepted: [policy.required, ...event.accepted],
            refused: event.refused,
            revision: policy.policy.revision,
            policyHash: hash,
            regime: c.get('consent').regime,
            country: (c.req.raw.cf as { country?: string } | undefined)?.country,
            gpc: event.gpc,
            path: sameOriginUrl(c.req.header('referer'), c.req.url) ?? c.req.url,
            userAgent: c.req.header('user-agent') ?? null,
          },
          new Date(event.now * 1000),
        );
      shownPolicyHash ??= policyHash(policy.policy);
      c.executionCtx.waitUntil(
        shownPolicyHash.then((hash) => enqueueDecision(c.env, c.executionCtx, { ...record(hash), id: event.decisionId })),
      );
    },
    expireRefused(c, refused) {
      const url = new URL(c.req.url);
      return expireCategories(refused, cookieNames(c.req.header('cookie') ?? null), policy, {
        hostname: url.hostname,
        https: url.protocol === 'https:',
      });
    },
  }),
);
app.route(prefix, bannerAssetRoutes());
app.route(prefix, preferencesRoutes());
app.route(prefix, receiptRoutes());
app.route('/', policyPageRoutes());

app.get('/.well-known/gpc.json', (c) =>
  c.json({ gpc: true, lastUpdate: policy.policy.effectiveDate }, 200, { 'cache-control': 'public, max-age=86400' }),
);

// Nothing under the prefix, nor the policy page, ever reaches the origin.
app.all(prefix, (c) => c.json({ error: `${c.req.method} is not supported on ${prefix}` }, 405, { allow: 'GET, POST, DELETE' }));
const readOnly = new Set(['/preferences', '/receipt', '/banner.js', '/banner.css', '/policy.json'].map((p) => `${prefix}${p}`));
app.all(`${prefix}/*`, (c) =>
  readOnly.has(c.req.path)
    ? c.json({ error: `${c.req.method} is not supported on ${c.req.path}` }, 405, { allow: 'GET, HEAD' })
    : c.json({ error: `no such endpoint: ${c.req.path}` }, 404),
);
app.all(policyPage, (c) => c.text(`${c.req.method} is not supported here`, 405, { allow: 'GET, HEAD' }));

// However a client spells them (case, %2F, `;`, slashes), the worker's paths stay here.
app.all('*', (c, next) =>
  isReservedPath(new URL(c.req.url).pathname, prefix, policyPage) ? c.json({ error: `no such endpoint: ${c.req.path}` }, 404) : next(),
);

app.all('*', proxyRequest);

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeConsentLog(batch, env),
} satisfies ExportedHandler<Bindings>;
