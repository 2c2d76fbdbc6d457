// Brings held scripts, iframes and resource hints back, in document order, once their category
// is allowed: scripts as new elements (a script element runs once), iframes and hints by getting
// their src/href back. An external script runs once per page view: a copy of it that a framework
// inserted while it was held (or one that already ran) stays inert.
import { HELD_ONLY, heldCategory, isHeld, REL_ATTR, SRC_ATTR, sourceAttr, TYPE_ATTR } from '../../core/hold';
import { focus, focusBack } from './focus';
import { kindOf, setAttr } from './guard';
import { classifier, refused } from './state';

let queue = Promise.resolve();

/** The stream's placeholders (a held script may carry `data-consent-placeholder` too). */
export const PLACEHOLDER_SELECTOR = 'div[data-consent-placeholder]';

/** Resolves when an external script has run or failed, so the next one keeps its order. */
const settled = (s: HTMLScriptElement) =>
  new Promise((done) => {
    s.addEventListener('load', done);
    s.addEventListener('error', done);
    setTimeout(done, 5000);
  });

/** The absolute URL of an external script, as the browser fetches it. */
const absolute = (src: string) => {
  try {
    return new URL(src, document.baseURI).href;
  } catch {
    return src;
  }
};

/** External scripts of this page view that ran or are running: never started a second time. */
const started = new Set<string>();

async function releaseNow(): Promise<void> {
  for (const s of document.scripts) if (s.src && !isHeld(s, 'script')) started.add(s.src);
  for (const el of document.querySelectorAll<HTMLScriptElement | HTMLIFrameElement | HTMLLinkElement>('script,iframe,link')) {
    const kind = kindOf(el);
    if (!kind || !el.isConnected || !isHeld(el, kind)) continue;
    const src = el.getAttribute(SRC_ATTR);
    const category =
      kind === 'link'
        ? el.getAttribute('data-consent-category') || classifier.hint(el.getAttribute(REL_ATTR), src, location)
        : heldCategory(el, (kept) => classifier.source(kind, kept, location));
    if (refused(category)) continue;
    if (!(el instanceof HTMLScriptElement)) {
      el.removeAttribute(SRC_ATTR);
      if (src !== null) setAttr.call(el, sourceAttr(kind), src);
      // A hint gets its href before its rel, so it is never a hint without one.
      const rel = el.getAttribute(REL_ATTR);
      if (rel !== null) {
        el.removeAttribute(REL_ATTR);
        setAttr.call(el, 'rel', rel);
      }
      continue;
    }
    if (src !== null) {
      const url = absolute(src);
      if (started.has(url)) {
        // A copy: it stays a text/plain script, never fetched, and is no longer held.
        el.removeAttribute(SRC_ATTR);
        el.removeAttribute('data-consent-category');
        continue;
      }
      started.add(url);
    }
    const s = document.createElement('script');
    for (const a of el.attributes) if (!HELD_ONLY.test(a.name)) setAttr.call(s, a.name, a.value);
    const type = el.getAttribute(TYPE_ATTR);
    if (type) setAttr.call(s, 'type', type);
    s.nonce = el.nonce ?? '';
    if (src === null) s.text = el.text;
    else {
      s.async = el.hasAttribute('async');
      setAttr.call(s, 'src', src);
    }
    const wait = src !== null && !s.async && settled(s);
    el.replaceWith(s);
    if (wait) await wait;
  }
  removePlaceholders();
}

/**
 * Takes away the placeholders of categories now allowed (their elements are back). Focus that
 * was on one moves to what it stood for when that can take focus (an iframe), else next to it.
 */
function removePlaceholders(): void {
  for (const box of document.querySelectorAll(PLACEHOLDER_SELECTOR)) {
    if (refused(box.getAttribute('data-consent-placeholder') ?? undefined)) continue;
    const hadFocus = box.contains(document.activeElement);
    const [next, before] = [box.nextElementSibling, box.previousElementSibling];
    box.querySelector('button')?.form?.remove(); // its form, at the end of <body>
    box.remove();
    if (hadFocus && !focus(next) && !focus(before)) focusBack();
  }
}

/** Releases whatever the current consent allows; calls are serialized so nothing runs twice. */
export function release(): Promise<void> {
  queue = queue.then(releaseNow, releaseNow);
  return queue;
}
