/**
 * `GET <prefix>/receipt`: the visitor's own proof-of-consent records, each with the texts and
 * cookie tables they were shown, found by the consent id of their signed cookie only, so no one
 * can ask for another visitor's records.
 */
import { Hono } from 'hono';
import { accepts } from 'hono/accepts';

import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../../env';
import { type Evidence, withShown } from '../../log/evidence';
import { decisionsFor, shownVersions } from '../../log/store';
import { ReceiptPage } from './view';

/** What `GET /receipt?format=json` answers. */
export interface ReceiptJson {
  consentId: string | null;
  /** Newest first, each with what was shown (`shown: null` when the log lacks its policy version). */
  records: Evidence[];
  /** Present when the log could not be read (503). */
  error?: string;
}

const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [NONCE],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  crossOriginResourcePolicy: 'same-origin',
});

/**
 * The receipt route, to mount under the consent prefix after the middleware that sets
 * `c.var.visit`.
 * @example
 * app.route(prefix, receiptRoutes()); // GET /__consent/receipt
 */
export function receiptRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/receipt', pageHeaders, async (c) => {
    // A decision for an older revision is still the visitor's own: their records stay readable.
    const { consent, prior } = c.var.visit;
    const consentId = consent.consentId ?? prior?.id ?? null;
    let records: Evidence[] = [];
    let unavailable = false;
    if (consentId) {
      try {
        const decisions = await decisionsFor(c.env.CONSENT_DB, consentId);
        const versions = decisions.length
          ? await shownVersions(
              c.env.CONSENT_DB,
              decisions.map((r) => r.policyHash),
            )
          : new Map();
        records = withShown(decisions, versions);
      } catch (error) {
        unavailable = true;
        console.error(JSON.stringify({ event: 'consent-log.receipt-unavailable', error: String(error) }));
      }
    }
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Accept, Cookie');
    const status = unavailable ? 503 : 200;
    const wantsJson =
      c.req.query('format') === 'json' ||
      accepts(c, { header: 'Accept', supports: ['text/html', 'application/json'], default: 'text/html' }) === 'application/json';
    if (wantsJson) {
      const body: ReceiptJson = unavailable ? { consentId, records, error: 'consent log unavailable' } : { consentId, records };
      return c.json(body, status);
    }
    const page = <ReceiptPage consentId={consentId} records={records} unavailable={unavailable} nonce={c.get('secureHeadersNonce')} />;
    return c.html(`<!doctype html>${page}`, status);
  });
  return app;
}
