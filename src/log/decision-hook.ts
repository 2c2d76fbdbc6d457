/**
 * The consent endpoints' `onDecision` hook: turns a decision into its proof-of-consent record
 * and queues it, with the policy version it points at, after the response, so logging never
 * delays or fails the visitor.
 */
import type { Context } from 'hono';
import { requestLocation } from '../consent/request';
import type { DecisionEvent } from '../consent/routes';
import type { AppEnv } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { enqueueDecision } from './enqueue';
import { createDecisionRecord } from './record';
import { policyVersion } from './version';

/**
 * The page a decision was made on: the Referer, when it is this site's (never another site's path).
 * @example
 * sameOriginUrl('https://shop.test/cart', 'https://shop.test/__consent') // 'https://shop.test/cart'
 * sameOriginUrl('https://evil.test/x', 'https://shop.test/__consent')    // undefined
 */
export function sameOriginUrl(referer: string | undefined, url: string): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin === new URL(url).origin ? referer : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hook that logs each decision against the policy it was made under.
 * @example
 * app.route(prefix, consentRoutes({ onDecision: decisionLogger(policy) }));
 */
export function decisionLogger(policy: CompiledPolicy): (c: Context<AppEnv>, event: DecisionEvent) => void {
  return (c, event) => {
    const record = (hash: string) =>
      createDecisionRecord(
        {
          consentId: event.consentId,
          action: event.action,
          accepted: [policy.required, ...event.accepted],
          refused: event.refused,
          revision: policy.policy.revision,
          policyHash: hash,
          locale: event.locale,
          surface: event.surface,
          regime: c.var.visit.consent.regime,
          country: requestLocation(c.req.raw).country,
          gpc: event.gpc,
          path: sameOriginUrl(c.req.header('referer'), c.req.url) ?? c.req.url,
          userAgent: c.req.header('user-agent') ?? null,
        },
        new Date(event.at),
      );
    // The version is built once per policy object, after the response; the record keeps the
    // endpoint's decision id.
    c.executionCtx.waitUntil(
      policyVersion(policy).then((version) =>
        enqueueDecision(c.env, c.executionCtx, { ...record(version.fingerprint), id: event.decisionId }, version),
      ),
    );
  };
}
