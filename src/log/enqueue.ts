/**
 * The producer side of the consent log: hands a decision to the queue after the visitor's
 * response, so logging never slows or fails a request, and never loses a record. The policy
 * version a decision points at travels the same way, once per isolate and version.
 */
import type { Bindings } from '../env';
import { DecisionRecord, type LogMessage } from './record';
import { insertDecisions, insertVersions } from './store';
import { type PolicyVersion, versionMessage } from './version';

/** Delays before each retry of `queue.send`; short, this runs while the isolate is kept alive. */
export const SEND_RETRY_DELAYS_MS = [50, 250] as const;

export type DeliveryOutcome = 'queued' | 'written' | 'logged';

/**
 * Records a decision without making the visitor wait: everything runs inside `ctx.waitUntil`.
 * Tries the queue (with a couple of retries), then a direct D1 write, then, as a last resort,
 * a structured `console.error` line holding the full record so it can be recovered from logs.
 * With `version`, the policy version the record points at goes the same way unless this isolate
 * has delivered it already. Never throws.
 * @example
 * enqueueDecision(c.env, c.executionCtx, createDecisionRecord({ ... }), await policyVersion(policy));
 */
export function enqueueDecision(
  env: Bindings,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  record: DecisionRecord,
  version?: PolicyVersion,
): void {
  try {
    ctx.waitUntil(deliverDecision(env, record));
    if (version) ctx.waitUntil(deliverVersion(env, version));
  } catch (error) {
    // No execution context to extend: nothing can run after the response, so say so loudly.
    logLost(record, 'waitUntil unavailable', error);
  }
}

/**
 * The delivery chain behind `enqueueDecision`, awaitable for tests and scripts. Resolves with
 * where the record ended up; never rejects.
 */
export async function deliverDecision(
  env: Bindings,
  record: DecisionRecord,
  delays: readonly number[] = SEND_RETRY_DELAYS_MS,
): Promise<DeliveryOutcome> {
  const valid = DecisionRecord.safeParse(record);
  if (!valid.success) {
    // The consumer would drop it; keep it where ops can find and fix it instead.
    logLost(record, 'invalid record', valid.error);
    return 'logged';
  }
  const message: LogMessage = { kind: 'decision', record: valid.data };
  let lastError: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    try {
      await env.CONSENT_QUEUE.send(message, { contentType: 'json' });
      return 'queued';
    } catch (error) {
      lastError = error;
      const delay = delays[attempt];
      if (delay !== undefined) await sleep(delay);
    }
  }
  try {
    // Same idempotent insert as the consumer: if the queue did take a send that reported an
    // error, the later consumer write is a no-op.
    await insertDecisions(env.CONSENT_DB, [valid.data]);
    console.warn(JSON.stringify({ event: 'consent-log.queue-bypassed', id: record.id, error: describe(lastError) }));
    return 'written';
  } catch (error) {
    logLost(record, `queue: ${describe(lastError)}; d1: ${describe(error)}`, error);
    return 'logged';
  }
}

/** Fingerprints whose version this isolate has handed to the queue or to D1. */
const deliveredVersions = new Set<string>();

/**
 * Delivers a policy version like a decision (queue, then D1, then a log line), unless `delivered`
 * says this isolate already did; only a delivery that succeeded is remembered, so a failed one is
 * tried again with the next decision. Resolves with where it went, or `known`; never rejects.
 */
export async function deliverVersion(
  env: Bindings,
  version: PolicyVersion,
  delays: readonly number[] = SEND_RETRY_DELAYS_MS,
  delivered: Set<string> = deliveredVersions,
): Promise<DeliveryOutcome | 'known'> {
  if (delivered.has(version.fingerprint)) return 'known';
  let lastError: unknown;
  try {
    const message = await versionMessage(version);
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      try {
        await env.CONSENT_QUEUE.send(message, { contentType: 'json' });
        delivered.add(version.fingerprint);
        return 'queued';
      } catch (error) {
        lastError = error;
        const delay = delays[attempt];
        if (delay !== undefined) await sleep(delay);
      }
    }
    await insertVersions(env.CONSENT_DB, [version], new Date());
    delivered.add(version.fingerprint);
    console.warn(JSON.stringify({ event: 'consent-log.queue-bypassed', fingerprint: version.fingerprint, error: describe(lastError) }));
    return 'written';
  } catch (error) {
    // The texts are not lost: policy.json of this deploy is in version control, and the next
    // decision (or the scheduled run) stores the version again.
    console.error(
      JSON.stringify({
        event: 'consent-log.version-unrecorded',
        fingerprint: version.fingerprint,
        revision: version.revision,
        error: `queue: ${describe(lastError)}; d1: ${describe(error)}`,
      }),
    );
    return 'logged';
  }
}

/** One line a log search can find (`consent-log.unrecorded`) and replay: it carries the record. */
function logLost(record: unknown, reason: string, error: unknown): void {
  console.error(JSON.stringify({ event: 'consent-log.unrecorded', reason, error: describe(error), record }));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
