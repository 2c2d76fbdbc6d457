/**
 * The cookie policy page (`policy.paths.policyPage`) and the public machine-readable policy
 * (`<prefix>/policy.json`), both answered by the worker from the deployed policy, never the origin.
 */
import { type Context, Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../../env';
import { policyHash } from '../../policy/digest';
import { pickLocale } from '../../policy/locale';
import { etagMatches, pageEtag } from './etag';
import { PolicyPage } from './page';
import { policyCssHash } from './style';

/** Strict headers for a page with no scripts, one hashed stylesheet and one same-origin form. */
async function pageSecurityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [await policyCssHash()],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // Same-origin keeps Origin/Referer on the consent form post; nothing leaks to the help links.
    referrerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
  });
}

let pageHeaders: ReturnType<typeof pageSecurityHeaders> | undefined;

async function policyPage(c: Context<AppEnv>) {
  const compiled = c.get('policy');
  const policy = compiled.policy;
  const consent = c.get('consent');
  const available = Object.keys(policy.locales);
  const chosen = c.get('locale');
  // The middleware chose from Accept-Language; `?lang=` (the switcher's links) overrides it.
  const fallback = chosen && available.includes(chosen) ? chosen : policy.defaultLocale;
  const locale = pickLocale(null, available, fallback, c.req.query('lang'));
  const etag = await pageEtag(policy, locale, consent);
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  c.header('Vary', 'Cookie, Accept-Language');
  c.header('Content-Language', locale);
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  const page = <PolicyPage policy={policy} consent={consent} locale={locale} />;
  return c.html(`<!doctype html>${page}`);
}

async function publicPolicy(c: Context<AppEnv>) {
  const { $schema: _editorOnly, ...policy } = c.get('policy').policy;
  const etag = `"${(await policyHash(c.get('policy').policy)).slice(0, 32)}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', 'public, max-age=300');
  c.header('Access-Control-Allow-Origin', '*');
  c.header('X-Content-Type-Options', 'nosniff');
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
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
  app.get(paths.policyPage, async (c) => {
    pageHeaders ??= pageSecurityHeaders();
    const headers = await pageHeaders;
    await headers(c, async () => {
      c.res = await policyPage(c);
    });
    return c.res;
  });
  app.get(`${paths.prefix}/policy.json`, publicPolicy);
  return app;
}
