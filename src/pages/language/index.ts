/**
 * `GET <prefix>/language?lang=hi&return=/path`: the language switchers' links. Remembers the
 * choice in the language cookie (declared under the required category) and goes back to the page,
 * so the choice holds across the whole site and works without JavaScript.
 */
import { Hono } from 'hono';
import { generateCookie } from 'hono/cookie';
import { safeReturnPath } from '../../consent/actions';
import type { AppEnv } from '../../env';
import type { Policy } from '../../policy/schema';
import { chosenLocale } from '../../policy/locale';

/**
 * The `Set-Cookie` that remembers `locale` (a declared locale) for the policy's lifetime.
 * @example
 * languageCookieHeader(policy, 'hi', true) // 'ce_lang=hi; Max-Age=31536000; Path=/; Secure; SameSite=Lax'
 */
export function languageCookieHeader(policy: Policy, locale: string, secure: boolean): string {
  const { name, lifetimeDays } = policy.languageCookie;
  return generateCookie(name, locale, { path: '/', sameSite: 'Lax', secure, maxAge: lifetimeDays * 86_400 });
}

/** The switchers' link to choose `locale` and come back to `returnTo`. */
export function languageHref(policy: Policy, locale: string, returnTo: string): string {
  return `${policy.paths.prefix}/language?lang=${encodeURIComponent(locale)}&return=${encodeURIComponent(returnTo)}`;
}

/**
 * The route, mounted under the prefix after the middleware that sets `policy`.
 * @example app.route(prefix, languageRoutes()) // GET /__consent/language?lang=en&return=/
 */
export function languageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/language', (c) => {
    const policy = c.var.policy.policy;
    const headers = new Headers({ location: safeReturnPath(c.req.query('return')), 'cache-control': 'no-store' });
    // Only a declared locale is ever stored; anything else just goes back.
    const locale = chosenLocale(policy, c.req.query('lang'));
    if (locale) headers.append('set-cookie', languageCookieHeader(policy, locale, new URL(c.req.url).protocol === 'https:'));
    return new Response(null, { status: 303, headers });
  });
  return app;
}
