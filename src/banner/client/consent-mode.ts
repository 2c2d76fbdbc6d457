// Google Consent Mode v2: the default, pushed when banner.js starts (before any page tag, as the
// first script of <head>), and an update after each decision.
import { S } from './state';

/** Google's tag reads its commands from this queue. */
declare global {
  interface Window {
    dataLayer?: unknown[];
    gtag?: (...command: unknown[]) => void;
  }
}

/** Pushes `consent default` (with `wait_for_update`; `gtag` defined as Google's snippet does) or `consent update`. */
export function consentMode(command: 'default' | 'update'): void {
  if (!S.consentMode) return;
  const signals: Record<string, unknown> = {};
  for (const [k, c] of Object.entries(S.consentMode)) signals[k] = S.categories[c] ? 'granted' : 'denied';
  if (command === 'default') signals.wait_for_update = S.waitForUpdate;
  window.dataLayer ||= [];
  const gtag = function () {
    // biome-ignore lint/complexity/noArguments: gtag.js reads an Arguments object, not an array
    window.dataLayer?.push(arguments);
  };
  if (command === 'default') window.gtag = gtag;
  gtag('consent', command, signals);
}
