// Holds the tags page code inserts after the HTML (next/script, GTM): script, iframe and
// resource-hint insertion and `src`/`href` assignment, `document.cookie` and `cookieStore.set`
// writes of refused categories. banner.js runs synchronously in <head>, so these patches precede every page tag.
// What is held, and how, is decided by src/core, exactly as the worker decides it in the stream.
import { type HoldKind, hold, isHeld, REL_ATTR, sourceAttr } from '../../core/hold';
import { hintOf } from '../../core/tags';
import { onSet } from './patch';
import { imageSrc } from './requests';
import { classifier, refused, S } from './state';

const E = Element.prototype;
const N = Node.prototype;
/** The unpatched setAttribute, for our own writes. */
export const setAttr = E.setAttribute;

/** `script`, `iframe` or a `link` resource hint, the elements that are gated; undefined for any other. */
export function kindOf(el: Element): HoldKind | undefined {
  const name = el.localName;
  if (name === 'script' || name === 'iframe') return name;
  return name === 'link' && hintOf(el.getAttribute('rel') ?? el.getAttribute(REL_ATTR)) ? 'link' : undefined;
}

/** The category to hold an element under were its `src` (a link's `href`) this one: the stream's decision. */
const categoryOf = (el: Element, kind: HoldKind, src: string | null) =>
  kind === 'link'
    ? classifier.hint(el.getAttribute('rel') ?? el.getAttribute(REL_ATTR), src, location)
    : classifier.tag(kind, { category: el.getAttribute('data-consent-category'), src, type: el.getAttribute('type') }, location);

/** Holds a script that would run, an iframe or a hint when its category is refused; true when it did. */
export function check(el: Element): boolean {
  const kind = kindOf(el);
  if (!kind || isHeld(el, kind)) return false;
  const category = categoryOf(el, kind, el.getAttribute(sourceAttr(kind)));
  if (!refused(category)) return false;
  hold(el, kind, category);
  return true;
}

/** Checks a node about to be connected, and the scripts and iframes inside it. */
function gate(node: unknown): void {
  if (!(node instanceof Element || node instanceof DocumentFragment)) return;
  if (node instanceof Element) check(node);
  for (const el of node.querySelectorAll('script,iframe,link')) check(el);
}

type Insertion = (this: Node, ...args: unknown[]) => unknown;

/** The insertion methods as the browser has them, for nodes already checked (html.ts). */
export const unguarded: Record<string, Insertion> = {};

function wrap(proto: object, name: string, nodes: (args: unknown[]) => unknown[]): void {
  const original: Insertion = Reflect.get(proto, name);
  unguarded[name] = original;
  Reflect.set(proto, name, function (this: Node, ...args: unknown[]) {
    if (this.isConnected) for (const n of nodes(args)) gate(n);
    return original.apply(this, args);
  });
}

/** `src` (a link's `href`) set on a connected element starts a load at once: hold it there. */
function allowSrc(el: Element, value: string): boolean {
  const kind = kindOf(el);
  if (!el.isConnected || !kind) return true;
  const held = isHeld(el, kind);
  if (!held) {
    const category = categoryOf(el, kind, value);
    if (!refused(category)) return true;
    hold(el, kind, category);
  }
  setAttr.call(el, 'data-consent-src', value);
  return false;
}

/** Whether a page script may write this cookie, decided like the worker's Set-Cookie filter. */
const cookieAllowed = (write: string) => classifier.cookieWrite(write, (category) => S.categories[category] === true, Date.now()).pass;

/** The part of the Cookie Store API that writes. */
interface CookieStoreLike {
  set(...args: [name: string, value: string] | [init: { name: string; expires?: number | null }]): Promise<void>;
}

export function installGuards(): void {
  const first = (a: unknown[]) => a.slice(0, 1);
  const all = (a: unknown[]) => a;
  wrap(N, 'appendChild', first);
  wrap(N, 'insertBefore', first);
  wrap(N, 'replaceChild', first);
  for (const m of ['append', 'prepend', 'replaceWith', 'before', 'after']) wrap(E, m, all);
  wrap(E, 'insertAdjacentElement', (a) => [a[1]]);

  for (const [C, name] of [
    [HTMLScriptElement, 'src'],
    [HTMLIFrameElement, 'src'],
    [HTMLLinkElement, 'href'],
  ] as const) {
    onSet(C.prototype, name, function (this: Element, v, native) {
      if (allowSrc(this, String(v))) native(v);
    });
  }
  // One patch for every attribute write that starts a load: gated tags, hints, and images.
  E.setAttribute = function (this: Element, name: string, value: string) {
    const attr = String(name).toLowerCase();
    if (attr === 'src' && this instanceof HTMLImageElement) return setAttr.call(this, name, String(imageSrc(value)));
    const kind = (attr === 'src' || attr === 'href') && kindOf(this);
    if (kind && sourceAttr(kind) === attr && !allowSrc(this, String(value))) return;
    return setAttr.call(this, name, value);
  };

  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookie?.get?.call(document),
    set: (v: unknown) => {
      if (cookieAllowed(String(v))) cookie?.set?.call(document, v);
    },
  });

  // Both call forms: set(name, value) and set({ name, value, expires, … }).
  const store: CookieStoreLike | undefined = Reflect.get(window, 'cookieStore');
  if (store) {
    const setCookie = store.set;
    store.set = function (this: CookieStoreLike, ...args) {
      const [a] = args;
      const o = typeof a === 'object' && a ? a : { name: String(a) };
      const past = o.expires != null && o.expires <= Date.now();
      // The arguments go on as given: set(init, undefined) would be read as set(name, value).
      return cookieAllowed(`${o.name}=${past ? '; max-age=0' : ''}`) ? Reflect.apply(setCookie, this ?? store, args) : Promise.resolve();
    };
  }
}
