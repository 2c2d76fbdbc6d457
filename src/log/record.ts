/**
 * One proof-of-consent record (GDPR Art. 7(1)): the zod schema every producer and the queue
 * consumer agree on. The policy hash it carries comes from src/policy/digest.ts.
 */
import * as z from '../policy/zod';
import { ACTIONS, SURFACES, type Surface } from '../consent/actions';
import { newConsentId } from '../consent/cookie';
import { CategoryId, LocaleTag } from '../policy/schema';
import { VersionMessage } from './version';

export const DecisionAction = z.enum(ACTIONS);
export type DecisionAction = z.infer<typeof DecisionAction>;

export const DecisionSurface = z.enum(SURFACES);

/** Random URL-safe ids, as the consent cookie carries them. */
export const LogId = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a URL-safe id of 16 to 64 characters'));

/** Bounds that keep one row small (docs/scaling.md) whatever a client sends as path or user agent. */
export const MAX_PATH = 1024;
export const MAX_USER_AGENT = 512;

/**
 * A decision as stored. Strict: an unknown field (an IP address, say) is rejected, not stored.
 * `path` is the pathname only, never the query string, which may carry personal data.
 */
export const DecisionRecord = z.strictObject({
  id: LogId.check(z.describe('Random decision id; the idempotency key')),
  consentId: LogId,
  at: z.iso.datetime({ offset: false }).check(z.describe('ISO 8601 UTC')),
  action: DecisionAction,
  accepted: z.array(CategoryId),
  refused: z.array(CategoryId),
  revision: z.int().check(z.positive()),
  policyHash: z
    .string()
    .check(z.regex(/^[0-9a-f]{64}$/, 'must be SHA-256 hex'), z.describe('Fingerprint of the policy version shown (policy_versions)')),
  // Null only on records made before they were recorded (and on queue messages sent by a worker
  // that did not record them yet, so a deploy drops none): the receipt says "not recorded".
  locale: z._default(z.nullable(LocaleTag), null).check(z.describe('The locale whose texts were shown')),
  surface: z._default(z.nullable(DecisionSurface), null).check(z.describe('Where the choice was made')),
  regime: z.enum(['opt-in', 'opt-out']),
  country: z.nullable(z.string().check(z.regex(/^[A-Z][A-Z0-9]$/, 'must be a request.cf.country code'))),
  gpc: z.boolean(),
  path: z.string().check(z.startsWith('/'), z.maxLength(MAX_PATH)),
  userAgent: z.string().check(z.maxLength(MAX_USER_AGENT)),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

/** What the caller knows about a decision; `createDecisionRecord` adds the id and the time. */
export type DecisionInput = Omit<DecisionRecord, 'id' | 'at' | 'path' | 'userAgent' | 'country' | 'locale' | 'surface'> & {
  locale: string;
  surface: Surface;
  /** A pathname or a full URL; only the pathname is kept. */
  path: string;
  userAgent: string | null;
  country: string | null | undefined;
};

/**
 * Builds a record with a fresh decision id, normalising what comes from the request: query
 * strings dropped, overlong path and user agent cut, the unknown country `XX` as null (Tor `T1` is kept).
 * @example
 * const record = createDecisionRecord({ consentId, action: 'save', accepted: ['essential', 'analytics'],
 *   refused: ['functional'], revision: 3, policyHash: await policyHash(policy), regime: 'opt-in',
 *   country: request.cf?.country, gpc: false, path: url.pathname, userAgent: request.headers.get('user-agent') });
 */
export function createDecisionRecord(input: DecisionInput, now: Date = new Date()): DecisionRecord {
  const country = input.country && /^[A-Z][A-Z0-9]$/.test(input.country) && input.country !== 'XX' ? input.country : null;
  return {
    ...input,
    // The same generator as consent ids: 128 random bits, base64url.
    id: newConsentId(),
    at: now.toISOString(),
    country,
    path: pathOnly(input.path).slice(0, MAX_PATH),
    userAgent: (input.userAgent ?? '').slice(0, MAX_USER_AGENT),
  };
}

function pathOnly(pathOrUrl: string): string {
  const path = pathOrUrl.startsWith('/') ? pathOrUrl : safePathname(pathOrUrl);
  return path.replace(/[?#].*$/s, '') || '/';
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

export const DecisionMessage = z.strictObject({ kind: z.literal('decision'), record: DecisionRecord });
export type DecisionMessage = z.infer<typeof DecisionMessage>;

/**
 * The consent-log queue's message body: a decision, or a policy version (sent with the first
 * decision an isolate makes under it). The `kind` discriminator keeps one from being taken for
 * the other.
 */
export const LogMessage = z.discriminatedUnion('kind', [DecisionMessage, VersionMessage]);
export type LogMessage = z.infer<typeof LogMessage>;
