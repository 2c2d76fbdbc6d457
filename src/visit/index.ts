/**
 * One visit, read once: everything the worker decides about the visitor of one request (consent,
 * allowed categories, interface language, the verdict on the `Cookie` header), as one typed
 * value that both lanes (the proxy and the worker's own pages) read through `readVisit`.
 */
import { parse } from 'hono/utils/cookie';
import type { ConsentDecision } from '../consent/cookie';
import { readRequestConsent } from '../consent/request';
import { allowedSet, type ConsentState } from '../consent/state';
import { type CookieHeaderVerdict, filterCookieHeader } from '../cookies/cookie-header';
import type { Bindings } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { chosenLocale, requestLocale } from '../policy/locale';
import type { CategoryId } from '../policy/schema';

export interface Visit {
  consent: ConsentState;
  /** Essential plus the categories the consent allows. */
  allowed: ReadonlySet<CategoryId>;
  /** The verified consent cookie, even for an outdated revision (its id survives a new decision). */
  prior: ConsentDecision | null;
  /** The cookie was signed with CONSENT_SECRET_PREVIOUS: re-sign it with the current key. */
  resign: boolean;
  /**
   * Interface language (a key of `policy.locales`): the one the visitor chose with a switcher (the
   * language cookie), else the best `Accept-Language` match; read on first use.
   */
  readonly locale: string;
  /** The request's `Cookie` header judged by the policy; read on first use. */
  readonly cookies: CookieHeaderVerdict;
}

const log = (event: string, fields: Record<string, unknown>) => console.log(JSON.stringify({ event, ...fields }));

/** Filters the `Cookie` header; a filter that throws forwards nothing (fail closed). Never throws. */
function judgeCookies(header: string | null, allowed: ReadonlySet<CategoryId>, policy: CompiledPolicy, path: string): CookieHeaderVerdict {
  try {
    return filterCookieHeader(header, allowed, policy);
  } catch (error) {
    log('cookie-filter.error', { path, error: String(error) });
    return { forward: null, refused: [], declared: [], undeclared: [] };
  }
}

/** The declared locale the language cookie names, if any; garbage is no choice. */
function languageChoice(request: Request, policy: CompiledPolicy): string | undefined {
  const header = request.headers.get('cookie');
  const name = policy.policy.languageCookie.name;
  if (!header?.includes(name)) return undefined;
  return chosenLocale(policy.policy, parse(header, name)[name]);
}

/**
 * A visit from its parts: the consent already decided, the rest read from `request` on first use.
 * @example
 * const visit = visitOf(request, policy, '/', { state, verified: null });
 */
export function visitOf(
  request: Request,
  policy: CompiledPolicy,
  path: string,
  read: { state: ConsentState; verified: { decision: ConsentDecision; signedWith: 'current' | 'previous' } | null },
): Visit {
  const allowed = allowedSet(read.state);
  let locale: string | undefined;
  let cookies: CookieHeaderVerdict | undefined;
  return {
    consent: read.state,
    allowed,
    prior: read.verified?.decision ?? null,
    resign: read.verified?.signedWith === 'previous',
    get locale() {
      locale ??= requestLocale(policy.policy, request.headers.get('accept-language'), languageChoice(request, policy));
      return locale;
    },
    get cookies() {
      cookies ??= judgeCookies(request.headers.get('cookie'), allowed, policy, path);
      return cookies;
    },
  };
}

/**
 * Reads the visitor of one request; never throws on a garbled cookie (it is "no decision").
 * @example
 * const visit = await readVisit(request, env, policy, url.pathname, Math.floor(Date.now() / 1000));
 * visit.allowed.has('analytics') // false before consent
 */
export async function readVisit(request: Request, env: Bindings, policy: CompiledPolicy, path: string, now: number): Promise<Visit> {
  return visitOf(request, policy, path, await readRequestConsent(request, env, policy, now));
}
