// What the visitor uses: the banner's and the dialog's forms decided without a reload, the
// preferences dialog (the worker's own markup, fetched on open) and the contextual prompt.
import type { ConsentEdgeState } from '../../../types/consent-edge';
import type { PublicState } from '../../core/state';
import { consentMode } from './consent-mode';
import { bannerGone, focus, focusBack } from './focus';
import { release } from './release';
import { adopt, S, snapshot } from './state';

let dialog: HTMLDialogElement | null = null;
let opener: Element | null = null;
let sheet: Promise<unknown> | undefined;

/**
 * Links dialog.css (the dialog's and the prompt's styles) on first use, next to banner.css and
 * with its style nonce, so it loads under a nonce-only `style-src`; resolves once it has loaded
 * (or failed: the dialog still works), so neither is ever shown unstyled.
 */
const styles = () =>
  (sheet ??= new Promise((done) => {
    const own = document.querySelector<HTMLLinkElement>(`link[href^="${S.prefix}/banner.css"]`);
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.nonce = own?.nonce ?? '';
    link.href = own ? own.href.replace('/banner.css?', '/dialog.css?') : `${S.prefix}/dialog.css`;
    link.onload = link.onerror = done;
    document.head.append(link);
  }));

const returnTo = () => location.pathname + location.search;

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
  const r = await fetch(S.prefix, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ action, categories, surface, locale }),
  });
  if (!r.ok) throw new Error(`consent: ${r.status}`);
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
    () => dialog?.open && dialog.close(),
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

/** Opens the preferences dialog: focus moves in, Escape closes, focus returns to the opener. */
export async function open(): Promise<void> {
  opener = document.activeElement;
  const styled = styles();
  if (!dialog) {
    try {
      const r = await fetch(`${S.prefix}/preferences?fragment=1&return=${encodeURIComponent(returnTo())}`, {
        credentials: 'same-origin',
      });
      if (!r.ok) throw r;
      const box = document.createElement('div');
      box.innerHTML = await r.text();
      const fetched = box.querySelector('dialog');
      if (!fetched) throw r;
      dialog = fetched;
      document.body.append(fetched);
      fetched.addEventListener('close', () => focusBack(opener));
      fetched.querySelector('[data-consent-close]')?.addEventListener('click', () => fetched.close());
    } catch {
      location.href = `${S.prefix}/preferences?return=${encodeURIComponent(returnTo())}`;
      return;
    }
  }
  await styled;
  for (const box of dialog.querySelectorAll<HTMLInputElement>('input[name=category]')) box.checked = !!S.categories[box.value];
  if (!dialog.open) dialog.showModal();
  focus(dialog.querySelector('input:not([disabled]),button'));
}

/**
 * A small in-context prompt for one category; resolves true once it is allowed. An unknown
 * category is a programming error: it rejects with a TypeError and shows nothing.
 */
export function request(category: string): Promise<boolean> {
  if (typeof category !== 'string' || !Object.hasOwn(S.categories, category)) {
    return Promise.reject(new TypeError(`ConsentEdge.request: unknown category "${String(category)}"`));
  }
  if (S.categories[category]) return Promise.resolve(true);
  const { prompt, allow, close, titles } = S.texts;
  const ask = document.createElement('dialog');
  ask.className = 'ce-dialog ce-ask';
  ask.setAttribute('aria-labelledby', 'ce-ask-text');
  ask.innerHTML = '<p id="ce-ask-text"></p><div class="ce-actions"><button class="ce-btn"></button><button class="ce-btn"></button></div>';
  const [text, yes, no] = ask.querySelectorAll('p,button');
  if (text) text.textContent = prompt.replace('{category}', titles[category] ?? category);
  if (yes) yes.textContent = allow;
  if (no) no.textContent = close;
  const back = document.activeElement;
  return styles().then(
    () =>
      new Promise((resolve) => {
        document.body.append(ask);
        ask.showModal();
        const done = (granted: boolean) => {
          ask.remove();
          if (!focus(back)) focusBack();
          resolve(granted);
        };
        ask.addEventListener('cancel', () => done(false));
        no?.addEventListener('click', () => done(false));
        yes?.addEventListener('click', () =>
          decide('contextual', [category], 'placeholder').then(
            () => done(S.categories[category] === true),
            () => done(false),
          ),
        );
      }),
  );
}

export function installUi(): void {
  document.addEventListener('submit', onSubmit);
  document.addEventListener('click', onClick);
}
