/**
 * The cookie policy page (`policy.paths.policyPage`) and the public machine-readable policy
 * (`<prefix>/policy.json`), both answered by the worker from the deployed policy, never the origin.
 */
import { type Context, Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../../env';
import { ifNoneMatchHit } from '../../http/etag';
import { overrideLocale } from '../../policy/locale';
import { pageEtag } from './etag';
import { PolicyPage } from './page';
import { POLICY_CSS_HASH } from './style';

/** Strict headers for a page with no scripts, one hashed stylesheet and one same-origin form. */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [POLICY_CSS_HASH],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  xFrameOptions: 'DENY',
  // Same-origin keeps Origin/Referer on the consent form post; nothing leaks to the help links.
  referrerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
});

function policyPage(c: Context<AppEnv>) {
  const { policy: compiled, visit } = c.var;
  const policy = compiled.policy;
  const consent = visit.consent;
  // `?lang=` (the switcher's links) overrides the visitor's language.
  const locale = overrideLocale(policy, visit.locale, c.req.query('lang'));
  const etag = pageEtag(compiled, locale, consent);
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  c.header('Vary', 'Cookie, Accept-Language');
  c.header('Content-Language', locale);
  if (ifNoneMatchHit(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  const page = <PolicyPage policy={policy} consent={consent} locale={locale} />;
  return c.html(`<!doctype html>${page}`);
}

function publicPolicy(c: Context<AppEnv>) {
  const { $schema: _editorOnly, ...policy } = c.var.policy.policy;
  const etag = `"${c.var.policy.fingerprint.slice(0, 32)}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', 'public, max-age=300');
  c.header('Access-Control-Allow-Origin', '*');
  c.header('X-Content-Type-Options', 'nosniff');
  if (ifNoneMatchHit(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  return c.json(policy);
}

/**
 * GET/HEAD `policy.paths.policyPage` and `<prefix>/policy.json`, on the deployed paths (exact
 * routes: no middleware on every other request).
 * @example
 * app.route('/', policyPageRoutes(policy.policy.paths));
 */
export function policyPageRoutes(paths: { prefix: string; policyPage: string }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(paths.policyPage, pageHeaders, policyPage);
  app.get(`${paths.prefix}/policy.json`, publicPolicy);
  return app;
}
