// dialog.js: what only the preferences dialog and the contextual prompt need, fetched by banner.js
// (ui.ts `dialogs`) the first time a visitor opens one, so pages that never do not download it.
// Like banner.js it is one per policy, build and locale: the worker puts the prompt's texts in.
// It imports types only: the state, the decision and focus handling it uses are banner.js's own,
// handed over by `ce` (scripts/build-banner.ts checks that it bundles nothing else).
import type { PromptTexts } from '../../core/state';
import type { Handoff } from './ui';

/** Put in by the worker for the policy and the page's locale (src/policy/compile.ts). */
declare const __CE_TEXTS__: PromptTexts;

/** The dialog, fetched once: a second open while the first still loads waits for the same one. */
let dialog: Promise<HTMLDialogElement> | undefined;
let sheet: Promise<unknown> | undefined;

/** The script element banner.js inserted for this file: it calls `ce` once this has run. */
const me = document.currentScript as (HTMLScriptElement & { ce?: Handoff }) | null;

if (me)
  me.ce = (S, decide, focus, focusBack) => {
    const returnTo = () => location.pathname + location.search;

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
        link.href = own ? own.href.replace(/\/banner\.css(?=\?|$)/, '/dialog.css') : `${S.prefix}/dialog.css`;
        link.onload = link.onerror = done;
        document.head.append(link);
      }));

    /** Opens the preferences dialog: focus moves in, Escape closes, focus returns to the opener. */
    async function open(opener: Element | null): Promise<void> {
      const styled = styles();
      let shown: HTMLDialogElement;
      dialog ??= fetchDialog();
      try {
        shown = await dialog;
      } catch {
        dialog = undefined;
        location.href = `${S.prefix}/preferences?return=${encodeURIComponent(returnTo())}`;
        return;
      }
      last = opener;
      await styled;
      for (const box of shown.querySelectorAll<HTMLInputElement>('input[name=category]')) box.checked = !!S.categories[box.value];
      if (!shown.open) shown.showModal();
      focus(shown.querySelector('input:not([disabled]),button'));
    }

    /** Where focus returns when the dialog closes: what had it when the dialog was last opened. */
    let last: Element | null = null;

    async function fetchDialog(): Promise<HTMLDialogElement> {
      const r = await fetch(`${S.prefix}/preferences?fragment=1&return=${encodeURIComponent(returnTo())}`, {
        credentials: 'same-origin',
      });
      if (!r.ok) throw r;
      const box = document.createElement('div');
      box.innerHTML = await r.text();
      const fetched = box.querySelector('dialog');
      if (!fetched) throw r;
      document.body.append(fetched);
      fetched.addEventListener('close', () => focusBack(last));
      fetched.querySelector('[data-consent-close]')?.addEventListener('click', () => fetched.close());
      return fetched;
    }

    /** The small in-context prompt for one category of the policy, not yet allowed; resolves true once it is. */
    async function request(category: string, back: Element | null): Promise<boolean> {
      // Allowed while this file loaded: nothing to ask.
      if (S.categories[category]) return true;
      const { prompt, allow, close, titles } = __CE_TEXTS__;
      const ask = document.createElement('dialog');
      ask.className = 'ce-dialog ce-ask';
      ask.setAttribute('aria-labelledby', 'ce-ask-text');
      ask.innerHTML =
        '<p id="ce-ask-text"></p><div class="ce-actions"><button class="ce-btn"></button><button class="ce-btn"></button></div>';
      const [text, yes, no] = ask.querySelectorAll('p,button');
      if (text) text.textContent = prompt.replace('{category}', titles[category] ?? category);
      if (yes) yes.textContent = allow;
      if (no) no.textContent = close;
      await styles();
      document.body.append(ask);
      ask.showModal();
      return new Promise((resolve) => {
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
      });
    }

    return { open, request };
  };
