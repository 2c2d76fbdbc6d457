// Brings held scripts and iframes back, in document order, once their category is allowed:
// scripts as new elements (a script element runs once), iframes by getting their src back.
import { HELD_ONLY, heldCategory, isHeld, SRC_ATTR, TYPE_ATTR } from '../../core/hold';
import { kindOf, setAttr } from './guard';
import { classifier, refused } from './state';

let queue = Promise.resolve();

/** Resolves when an external script has run or failed, so the next one keeps its order. */
const settled = (s: HTMLScriptElement) =>
  new Promise((done) => {
    s.addEventListener('load', done);
    s.addEventListener('error', done);
    setTimeout(done, 5000);
  });

async function releaseNow(): Promise<void> {
  for (const el of document.querySelectorAll<HTMLScriptElement | HTMLIFrameElement>('script,iframe')) {
    const kind = kindOf(el);
    if (!kind || !el.isConnected || !isHeld(el, kind)) continue;
    const src = el.getAttribute(SRC_ATTR);
    if (refused(heldCategory(el, (kept) => classifier.source(kind, kept, location)))) continue;
    if (!(el instanceof HTMLScriptElement)) {
      el.removeAttribute(SRC_ATTR);
      if (src !== null) setAttr.call(el, 'src', src);
      continue;
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
}

/** Releases whatever the current consent allows; calls are serialized so nothing runs twice. */
export function release(): Promise<void> {
  queue = queue.then(releaseNow, releaseNow);
  return queue;
}
