/**
 * The queue consumer that writes decisions into D1. Exported by src/index.ts as the worker's
 * `queue` handler. Invalid messages are acked and logged (never poison the queue); a D1 outage
 * retries the batch with a growing delay until D1 is back or the dead letter queue takes over.
 */
import * as z from 'zod';
import type { Bindings } from '../env';
import { type DecisionRecord, LogMessage } from './record';
import { insertDecisions } from './store';

/** First retry after 10 s, doubling, capped at 1 h: 100 retries (wrangler.toml) span ~4 days. */
export function retryDelaySeconds(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 16));
  return Math.min(10 * 2 ** exponent, 3600);
}

/**
 * Validates every message, writes the valid ones in one D1 batch, acks them on success.
 * @example
 * export default { fetch: app.fetch, queue: consumeConsentLog } satisfies ExportedHandler<Bindings>;
 */
export async function consumeConsentLog(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const valid: { message: Message<unknown>; record: DecisionRecord }[] = [];
  for (const message of batch.messages) {
    const parsed = LogMessage.safeParse(message.body);
    if (parsed.success) {
      valid.push({ message, record: parsed.data.record });
      continue;
    }
    // Retrying cannot fix a malformed body; the full body goes to the log for inspection.
    console.error(
      JSON.stringify({
        event: 'consent-log.invalid-message',
        queue: batch.queue,
        messageId: message.id,
        problems: z.prettifyError(parsed.error),
        body: message.body,
      }),
    );
    message.ack();
  }
  if (valid.length === 0) return;

  try {
    await insertDecisions(
      env.CONSENT_DB,
      valid.map((v) => v.record),
    );
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
