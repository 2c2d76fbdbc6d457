// Brings held scripts and iframes back, in document order, once their category is allowed:
// scripts as new elements (a script element runs once), iframes by getting their src back.
import { categoryOf, isHeld, setAttr } from './guard';
import { refused } from './state';

const SKIP = /^(type|src|data-consent-(type|src))$/;
let queue = Promise.resolve();

/** Resolves when an external script has run or failed, so the next one keeps its order. */
const settled = (s) =>
  new Promise((done) => {
    s.addEventListener('load', done);
    s.addEventListener('error', done);
    setTimeout(done, 5000);
  });

async function releaseNow() {
  for (const el of document.querySelectorAll('script,iframe')) {
    if (!el.isConnected || !isHeld(el)) continue;
    const src = el.getAttribute('data-consent-src');
    if (refused(categoryOf(el, src ?? ''))) continue;
    if (el.localName === 'iframe') {
      el.removeAttribute('data-consent-src');
      if (src !== null) setAttr.call(el, 'src', src);
      continue;
    }
    const s = document.createElement('script');
    for (const a of el.attributes) if (!SKIP.test(a.name)) setAttr.call(s, a.name, a.value);
    const type = el.getAttribute('data-consent-type');
    if (type) setAttr.call(s, 'type', type);
    s.nonce = el.nonce;
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
export function release() {
  queue = queue.then(releaseNow, releaseNow);
  return queue;
}
