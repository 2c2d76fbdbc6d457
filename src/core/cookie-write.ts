/**
 * The verdict on one cookie write: a `Set-Cookie` header from the origin, or a
 * `document.cookie`/`cookieStore.set` write in the page. Read as the browser reads it (RFC 6265bis
 * §5.6), so the cookie judged is the one the browser would store: a write the browser ignores
 * never passes, a deletion always passes, a nameless cookie is undeclared.
 */
import { isDeletion, parseCookiePair, parseLifetime } from './set-cookie';

export type CookieWrite<C> =
  /** The browser would ignore it (RFC 6265bis §5.6 steps 1, 5, and §5.7 step 4). */
  | { kind: 'invalid'; pass: false }
  /** It removes a cookie: it can only take away what the browser holds. */
  | { kind: 'deletion'; pass: true }
  /** No pattern matches its name (or it has none): the policy's `undeclared` decides. */
  | { kind: 'undeclared'; name: string; nameless: boolean; pass: boolean }
  | { kind: 'declared'; name: string; category: C; pass: boolean };

export interface CookieRules<C> {
  /** The category of a cookie name, undefined when undeclared. */
  classify(name: string): C | undefined;
  /** Whether the visitor's consent allows a category. */
  allowed(category: C): boolean;
  undeclared: 'block' | 'allow';
}

/**
 * Judges one `Set-Cookie` value or `document.cookie` string; never throws on garbage.
 * @example
 * judgeCookieWrite('_ga=GA1.1; Max-Age=63072000', rules, Date.now()) // { kind: 'declared', category: 'analytics', pass: false, … }
 */
export function judgeCookieWrite<C>(header: string, rules: CookieRules<C>, now: number): CookieWrite<C> {
  const parsed = parseCookiePair(header);
  if (parsed === null) return { kind: 'invalid', pass: false };
  if (isDeletion({ attributes: parseLifetime(parsed.unparsed) }, now)) return { kind: 'deletion', pass: true };
  const category = parsed.nameless ? undefined : rules.classify(parsed.name);
  if (category === undefined) {
    return { kind: 'undeclared', name: parsed.name, nameless: parsed.nameless, pass: rules.undeclared === 'allow' };
  }
  return { kind: 'declared', name: parsed.name, category, pass: rules.allowed(category) };
}
