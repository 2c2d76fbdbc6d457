/**
 * The queue consumer that writes decisions, and the policy versions they point at, into D1.
 * Exported by src/index.ts as the worker's `queue` handler. Invalid messages are acked and logged
 * (never poison the queue); a D1 outage retries the batch with a growing delay until D1 is back or
 * the dead letter queue takes over.
 */
import * as z from '../policy/zod';
import type { Bindings } from '../env';
import { type DecisionRecord, LogMessage } from './record';
import { INSERT_DECISION, INSERT_VERSION, toRow, versionRow } from './store';
import { type PolicyVersion, unpackVersion } from './version';

/** First retry after 10 s, doubling, capped at 1 h: 100 retries (wrangler.toml) span ~4 days. */
export function retryDelaySeconds(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 16));
  return Math.min(10 * 2 ** exponent, 3600);
}

type Valid = { message: Message<unknown> } & ({ record: DecisionRecord } | { version: PolicyVersion });

/** Retrying cannot fix a malformed body; the body goes to the log for inspection. */
function dropInvalid(batch: MessageBatch<unknown>, message: Message<unknown>, problems: string): void {
  console.error(
    JSON.stringify({ event: 'consent-log.invalid-message', queue: batch.queue, messageId: message.id, problems, body: message.body }),
  );
  message.ack();
}

/**
 * Validates every message, writes the valid ones in one D1 batch (versions first, every insert
 * idempotent), acks them on success.
 * @example
 * export default { fetch: app.fetch, queue: consumeConsentLog } satisfies ExportedHandler<Bindings>;
 */
export async function consumeConsentLog(batch: MessageBatch<unknown>, env: Bindings, now: Date = new Date()): Promise<void> {
  const valid: Valid[] = [];
  for (const message of batch.messages) {
    const parsed = LogMessage.safeParse(message.body);
    if (!parsed.success) {
      dropInvalid(batch, message, z.prettifyError(parsed.error));
      continue;
    }
    if (parsed.data.kind === 'decision') {
      valid.push({ message, record: parsed.data.record });
      continue;
    }
    const version = await unpackVersion(parsed.data);
    if (version) valid.push({ message, version });
    else dropInvalid(batch, message, 'not a policy version whose policy JSON hashes to its fingerprint');
  }
  if (valid.length === 0) return;

  try {
    const decision = env.CONSENT_DB.prepare(INSERT_DECISION);
    const version = env.CONSENT_DB.prepare(INSERT_VERSION);
    const versions = valid.flatMap((v) => ('version' in v ? [version.bind(...versionRow(v.version, now))] : []));
    const decisions = valid.flatMap((v) => ('record' in v ? [decision.bind(...toRow(v.record))] : []));
    // One batch is one transaction: a retry never finds half of it written.
    await env.CONSENT_DB.batch([...versions, ...decisions]);
  } catch (error) {
    console.error(
      JSON.stringify({
        event: 'consent-log.d1-unavailable',
        queue: batch.queue,
        messages: valid.length,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    // Per message, not retryAll: the invalid ones above stay acked, and each valid one backs off
    // by its own attempt count.
    for (const { message } of valid) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  }
  for (const { message } of valid) message.ack();
}
