/** Types for the demo's page templates (demo/pages.mjs). */
export function esc(s: unknown): string;
export function appPage(o: {
  title: string;
  path: string;
  main: string;
  signedIn?: boolean;
  collapsed?: boolean;
  head?: string;
  scripts?: string;
  analytics?: boolean;
}): string;
export function dashboardMain(): string;
export function reportsMain(filters?: { period?: string; status?: string }): string;
export function settingsMain(): string;
export const RAZORPAY_SCRIPTS: string;
export function simplePage(title: string, body: string, head?: string): string;
export function signinPage(csrfToken: string): string;
export function signoutPage(): string;
export function notFoundPage(path: string): string;
export function sizedHtml(size: number): string;
