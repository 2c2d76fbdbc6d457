/**
 * Calls the worker as the runtime would, with ORIGIN pointed at the real demo origin on
 * 127.0.0.1 (started in global setup).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import type { Bindings } from '../../src/env';
import worker, { createWorker } from '../../src/index';
import { compilePolicy } from '../../src/policy/compile';
import { deployedPolicy } from '../../src/policy/load';
import type { Policy } from '../../src/policy/schema';

/** The worker's handlers (the deployed one, or one from `workerWith`). */
export type WorkerHandlers = ReturnType<typeof createWorker>;

/** The worker with the deployed policy changed by `change` (a test policy). */
export function workerWith(change: (policy: Policy) => Policy): WorkerHandlers {
  return createWorker(compilePolicy(change(structuredClone(deployedPolicy().policy))));
}

export const PUBLIC = 'https://shop.test';

/** The request headers of a document navigation. */
export const NAV = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' };

export function origin(): string {
  return inject('originUrl');
}

/** Sends a request through the worker; `overrides` replace bindings (e.g. a missing secret). */
export async function send(
  input: string | Request,
  init?: RequestInit,
  overrides: Partial<Bindings> = {},
  handlers: WorkerHandlers = worker,
): Promise<Response> {
  const request = typeof input === 'string' ? new Request(new URL(input, PUBLIC), init) : input;
  const ctx = createExecutionContext();
  const bindings = { ...(env as unknown as Bindings), ORIGIN: origin(), ...overrides };
  const response = await handlers.fetch(request as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** The same request straight to the origin, to compare what the proxy passed through. */
export function direct(path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${origin()}${path}`, { redirect: 'manual', ...init });
}

/** The consent cookie (`name=value`) a decision sets, posted as banner.js posts it (JSON). */
export async function consentCookie(
  action: 'save' | 'accept-all' | 'reject-all',
  categories: readonly string[] = [],
  handlers: WorkerHandlers = worker,
): Promise<string> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, categories }) };
  const res = await send('/__consent', init, {}, handlers);
  if (res.status !== 200) throw new Error(`the decision was refused: ${res.status} ${await res.text()}`);
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
}
