/**
 * Consent Edge: the worker's wiring. Each concern lives in its own folder; this file only
 * connects them to the Hono app (see README "Project layout").
 */
import { Hono } from 'hono';
import { consentRoutes } from './consent/routes';
import { readRequestConsent } from './consent/request';
import type { AppEnv } from './env';
import { deployedPolicy } from './policy/load';
import { proxyHandler } from './proxy/handler';

const policy = deployedPolicy();
const { prefix, policyPage } = policy.policy.paths;

const app = new Hono<AppEnv>();

// Every request: the policy, the visitor's consent and language, decided once.
app.use('*', async (c, next) => {
  c.set('policy', policy);
  const { state, verified } = await readRequestConsent(c, policy, Math.floor(Date.now() / 1000));
  c.set('consent', state);
  c.set('priorDecision', verified?.decision ?? null);
  c.set('resign', verified?.signedWith === 'previous');
  c.set('locale', policy.policy.defaultLocale);
  await next();
});

app.route(prefix, consentRoutes());

app.get('/.well-known/gpc.json', (c) =>
  c.json({ gpc: true, lastUpdate: policy.policy.effectiveDate }, 200, { 'cache-control': 'public, max-age=86400' }),
);

// Nothing under the prefix, nor the policy page, ever reaches the origin.
app.all(`${prefix}/*`, (c) => c.json({ error: `no such endpoint: ${c.req.path}` }, 404));
app.all(policyPage, (c) => c.text('policy page not available', 503));

app.all(
  '*',
  proxyHandler({
    requestCookie: (c) => c.req.header('cookie') ?? null,
    response: (_c, response) => response,
  }),
);

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppEnv['Bindings']>;
