// Holds the tags page code inserts after the HTML (next/script, GTM): script and iframe
// insertion and `src` assignment, `document.cookie` and `cookieStore.set` writes of refused
// categories. banner.js runs synchronously in <head>, so these patches precede every page tag.
import { isExecutableScriptType } from '../../html/script-types';
import { cookieAllowed, sourceCategory } from './classify';
import { refused, S } from './state';

const E = Element.prototype;
const N = Node.prototype;
/** The unpatched setAttribute, for our own writes. */
export const setAttr = E.setAttribute;

const gated = (el) => el.localName === 'script' || el.localName === 'iframe';

/** A held element: inert, its src kept in data-consent-src (SPEC §8). */
export const isHeld = (el) =>
  el.hasAttribute('data-consent-src') ||
  (el.localName === 'script' && el.type === 'text/plain' && el.hasAttribute('data-consent-category'));

/** Category by marking first, then by source pattern. */
export const categoryOf = (el, src) =>
  el.getAttribute('data-consent-category') ||
  sourceCategory(S.classifier, el.localName, src ?? el.getAttribute('src') ?? '', location.origin);

/** Makes a script or iframe inert the same way the worker does in the HTML stream. */
function hold(el, category) {
  setAttr.call(el, 'data-consent-category', category);
  const src = el.getAttribute('src');
  if (src !== null) {
    setAttr.call(el, 'data-consent-src', src);
    el.removeAttribute('src');
  }
  if (el.localName === 'script') {
    setAttr.call(el, 'data-consent-type', el.getAttribute('type') ?? '');
    setAttr.call(el, 'type', 'text/plain');
  }
}

/** Holds a script that would run or an iframe when its category is refused; true when it did. */
export function check(el) {
  if (!gated(el) || isHeld(el) || (el.localName === 'script' && !isExecutableScriptType(el.getAttribute('type')))) return false;
  const category = categoryOf(el);
  if (!refused(category)) return false;
  hold(el, category);
  return true;
}

/** Checks a node about to be connected, and the scripts and iframes inside it. */
function gate(node) {
  if (!(node instanceof Element || node instanceof DocumentFragment)) return;
  if (node instanceof Element) check(node);
  for (const el of node.querySelectorAll('script,iframe')) check(el);
}

/** The insertion methods as the browser has them, for nodes already checked (html.js). */
export const unguarded = {};

function wrap(proto, name, nodes) {
  const original = proto[name];
  unguarded[name] = original;
  proto[name] = function (...args) {
    if (this.isConnected) for (const n of nodes(args)) gate(n);
    return original.apply(this, args);
  };
}

/** `src` set on a connected element starts a load at once: hold it there. */
function allowSrc(el, value) {
  if (!el.isConnected || !gated(el)) return true;
  const category = categoryOf(el, value);
  if (!isHeld(el) && !refused(category)) return true;
  if (!isHeld(el)) hold(el, category);
  setAttr.call(el, 'data-consent-src', value);
  return false;
}

export function installGuards() {
  const first = (a) => [a[0]];
  const all = (a) => a;
  wrap(N, 'appendChild', first);
  wrap(N, 'insertBefore', first);
  wrap(N, 'replaceChild', first);
  for (const m of ['append', 'prepend', 'replaceWith', 'before', 'after']) wrap(E, m, all);
  wrap(E, 'insertAdjacentElement', (a) => [a[1]]);

  for (const C of [HTMLScriptElement, HTMLIFrameElement]) {
    const d = Object.getOwnPropertyDescriptor(C.prototype, 'src');
    Object.defineProperty(C.prototype, 'src', {
      ...d,
      set(v) {
        if (allowSrc(this, String(v))) d.set.call(this, v);
      },
    });
  }
  E.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === 'src' && !allowSrc(this, String(value))) return;
    return setAttr.call(this, name, value);
  };

  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookie.get.call(document),
    set: (v) => {
      if (cookieAllowed(S.classifier, S.categories, String(v), Date.now())) cookie.set.call(document, v);
    },
  });

  const store = window.cookieStore;
  if (store) {
    const set = store.set.bind(store);
    store.set = (a, b) => {
      const o = typeof a === 'object' && a ? a : { name: a };
      const past = o.expires != null && o.expires <= Date.now();
      return cookieAllowed(S.classifier, S.categories, `${o.name}=${past ? '; max-age=0' : ''}`, Date.now())
        ? set(a, b)
        : Promise.resolve();
    };
  }
}
