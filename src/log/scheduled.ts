/**
 * The consent log's upkeep, run by the Cron Trigger in wrangler.toml (the worker's `scheduled`
 * handler): purge the records past retention, store the deployed policy version (so a version is
 * in the log even before anyone decides under it), and flush the drift sightings this isolate holds.
 */
import type { Bindings } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { flushDrift } from './drift';
import { PURGE_DEFAULTS, type PurgeOptions, purgeExpired, retentionCutoff } from './retention';
import { insertVersions } from './store';
import { policyVersion } from './version';

/**
 * Runs every task even when one fails; logs one summary line, then rejects if a task failed, so
 * the failure shows in the Cron Trigger's events and the next run tries again.
 * @example
 * export default { scheduled: (controller, env, ctx) => consentLogUpkeep(controller, env, ctx, policy) };
 */
export async function consentLogUpkeep(
  controller: Pick<ScheduledController, 'scheduledTime' | 'cron'>,
  env: Bindings,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  policy: CompiledPolicy,
  purge: PurgeOptions = PURGE_DEFAULTS,
): Promise<void> {
  const now = new Date(controller.scheduledTime);
  flushDrift(env, ctx, now.getTime());
  const [purged, version] = await Promise.allSettled([
    purgeExpired(env.CONSENT_DB, retentionCutoff(policy.policy, now), purge),
    policyVersion(policy).then((v) => insertVersions(env.CONSENT_DB, [v], now)),
  ]);
  const failures = [purged, version].flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  const line = {
    event: 'consent-log.upkeep',
    cron: controller.cron,
    scheduledTime: now.toISOString(),
    ...(purged.status === 'fulfilled' ? { purge: purged.value } : {}),
    ...(failures.length ? { failures } : {}),
  };
  if (failures.length) {
    console.error(JSON.stringify(line));
    throw new Error(`consent-log upkeep failed: ${failures.join('; ')}`);
  }
  console.log(JSON.stringify(line));
}
