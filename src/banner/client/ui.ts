// What the visitor uses: the banner's and the dialog's forms decided without a reload, and the way
// to the preferences dialog (the worker's own markup, fetched on open) and the contextual prompt:
// both are in dialog.js (dialog.ts), fetched the first time one is asked for.
import type { ConsentEdgeState } from '../../../types/consent-edge';
import type { ClientState, PublicState } from '../../core/state';
import { consentMode } from './consent-mode';
import { bannerGone, focus, focusBack } from './focus';
import { release } from './release';
import { adopt, S, snapshot } from './state';

/**
 * Records a decision at the edge (JSON body) and applies the answered state. `surface` and
 * `locale` say where the choice was made and in which language its texts were shown.
 */
export async function decide(
  action: FormDataEntryValue | null,
  categories: readonly FormDataEntryValue[],
  surface: FormDataEntryValue | undefined,
  locale: FormDataEntryValue = S.locale,
): Promise<void> {
  // Credentials are fetch's default, same-origin.
  const r = await fetch(S.prefix, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ action, categories, surface, locale }),
  });
  if (!r.ok) throw r; // onSubmit then posts the form itself
  const revoked = adopt((await r.json()) as PublicState);
  const banner = document.getElementById('consent-edge');
  if (S.regime === 'opt-in' && banner) {
    const hadFocus = banner.contains(document.activeElement);
    banner.remove();
    bannerGone();
    if (hadFocus) focusBack();
  }
  consentMode('update');
  announce(S.texts.saved);
  // The event site code listens to, as types/consent-edge.d.ts publishes it.
  document.dispatchEvent(new CustomEvent<ConsentEdgeState>('consentchange', { detail: snapshot() }));
  // A tag that already ran cannot be stopped: reload so the worker serves the page without it
  // (and, after a withdrawal, with the banner again).
  if (revoked.length || !S.decided) location.reload();
  else await release();
}

/** A short polite status message, so the decision is confirmed to sighted and screen reader users alike. */
function announce(text: string): void {
  const box = document.createElement('div');
  box.className = 'ce-toast';
  box.setAttribute('role', 'status');
  box.setAttribute('lang', S.locale);
  document.body.append(box);
  setTimeout(() => {
    box.textContent = text;
  }, 50); // filled after insertion, so the live region announces it
  setTimeout(() => box.remove(), 4000);
}

/** Posts the banner's and dialog's forms as JSON; falls back to the plain form post. */
function onSubmit(e: SubmitEvent): void {
  const form = e.target;
  if (!(form instanceof HTMLFormElement) || new URL(form.getAttribute('action') ?? '', location.href).pathname !== S.prefix) return;
  e.preventDefault();
  const data = new FormData(form);
  const action = e.submitter?.getAttribute('value') || data.get('action');
  // A form the site itself posts to the edge names no surface: the edge records it as `api`.
  decide(action, data.getAll('category'), data.get('surface') || undefined, data.get('locale') || S.locale).then(
    () => form.closest('dialog')?.close(),
    () => HTMLFormElement.prototype.submit.call(form),
  );
}

function onClick(e: MouseEvent): void {
  const t =
    e.target instanceof Element && e.target.closest('a[href$="#cookie-settings"],[data-consent-open],#cookie-settings a,a#cookie-settings');
  if (!t || e.defaultPrevented || e.button) return;
  e.preventDefault();
  open();
}

/**
 * How dialog.js (dialog.ts) gets banner.js's state, decision and focus handling: the function it
 * leaves on its script element, called with them in this order (no property names to ship).
 */
export type Handoff = (S: ClientState, decision: typeof decide, moveFocus: typeof focus, returnFocus: typeof focusBack) => Dialogs;

/** What dialog.js gives back. */
export interface Dialogs {
  open(opener: Element | null): Promise<void>;
  request(category: string, back: Element | null): Promise<boolean>;
}

let lazy: Promise<Dialogs> | undefined;
/** banner.js's own element (it runs synchronously, so this is it): dialog.js's URL and nonce come from it. */
const own = document.currentScript as HTMLScriptElement | null;

/**
 * dialog.js, inserted on first use next to banner.js at banner.js's own version and locale, with
 * banner.js's script nonce (a nonce-only `script-src` allows it); after a failed load the next use
 * tries again.
 */
function dialogs(): Promise<Dialogs> {
  lazy ??= new Promise<Dialogs>((resolve, reject) => {
    const s: HTMLScriptElement & { ce?: Handoff } = document.createElement('script');
    s.nonce = own?.nonce ?? '';
    s.src = own ? own.src.replace(/\/banner\.js(?=\?|$)/, '/dialog.js') : `${S.prefix}/dialog.js`;
    s.onload = () => (s.ce ? resolve(s.ce(S, decide, focus, focusBack)) : reject());
    s.onerror = reject;
    document.head.append(s);
  });
  lazy.catch(() => (lazy = undefined));
  return lazy;
}

/** Opens the preferences dialog (dialog.js): focus moves in, Escape closes, focus returns to the opener. */
export function open(): Promise<void> {
  const opener = document.activeElement;
  return dialogs().then(
    (d) => d.open(opener),
    () => {
      location.href = `${S.prefix}/preferences?return=${encodeURIComponent(location.pathname + location.search)}`;
    },
  );
}

/**
 * A small in-context prompt for one category (dialog.js); resolves true once it is allowed. An
 * unknown category is a programming error: it rejects with a TypeError and shows nothing.
 */
export function request(category: string): Promise<boolean> {
  if (typeof category !== 'string' || !Object.hasOwn(S.categories, category)) {
    return Promise.reject(new TypeError(`ConsentEdge.request: unknown category "${String(category)}"`));
  }
  if (S.categories[category]) return Promise.resolve(true);
  const back = document.activeElement;
  return dialogs().then(
    (d) => d.request(category, back),
    () => false,
  );
}

export function installUi(): void {
  document.addEventListener('submit', onSubmit);
  document.addEventListener('click', onClick);
}
