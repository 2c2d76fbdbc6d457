/**
 * Stands in for the internet in the browser tests: every request that leaves 127.0.0.1 is
 * recorded (URL, resource type, when) and answered locally, a script with a stub that notes it ran.
 */
import type { BrowserContext } from 'playwright-core';

export interface ThirdPartyRequest {
  url: string;
  host: string;
  type: string;
}

export interface ThirdParties {
  readonly requests: ThirdPartyRequest[];
  /** Hosts contacted so far, sorted, each once. */
  hosts(): string[];
}

const LOCAL = new Set(['127.0.0.1', 'localhost']);

/** The stub marks `window.__tagRuns` with its URL each time it executes. */
const stub = (url: string) => `(window.__tagRuns = window.__tagRuns || []).push(${JSON.stringify(url)});`;

export async function recordThirdParties(context: BrowserContext): Promise<ThirdParties> {
  const requests: ThirdPartyRequest[] = [];
  await context.route(
    (url) => !LOCAL.has(url.hostname),
    async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      requests.push({ url: url.href, host: url.hostname, type: request.resourceType() });
      if (request.resourceType() === 'script') {
        await route.fulfill({ status: 200, contentType: 'text/javascript', body: stub(url.href) });
      } else {
        await route.fulfill({ status: 204, body: '' });
      }
    },
  );
  return { requests, hosts: () => [...new Set(requests.map((r) => r.host))].sort() };
}
