/**
 * How a held element looks (a wire format), the one contract the HTML stream writes and banner.js
 * writes, recognises and undoes: `data-consent-category` names the category, a script's `type`
 * becomes `text/plain` with the original kept in `data-consent-type`, and its `src` is copied to
 * `data-consent-src`; an iframe's `src` and a resource hint's `href` move there until release.
 */
import type { GatedKind } from './tags';

/** What can be held: scripts, iframes, and `<link>` resource hints. */
export type HoldKind = GatedKind | 'link';

export const CATEGORY_ATTR = 'data-consent-category';
export const TYPE_ATTR = 'data-consent-type';
export const SRC_ATTR = 'data-consent-src';
/** A held resource hint's `rel`: without an `href` the browser would warn about the hint. */
export const REL_ATTR = 'data-consent-rel';
/** The `type` of a held script: a data block, which the browser never runs or fetches. */
export const HELD_TYPE = 'text/plain';
/** The attribute that makes an element of this kind load. */
export const sourceAttr = (kind: HoldKind) => (kind === 'link' ? 'href' : 'src');
/** Attributes a released script does not copy from its held form: it gets its own `type` and `src` back. */
export const HELD_ONLY = /^(type|src|data-consent-(type|src))$/;

/** The attribute methods of an element, as both HTMLRewriter's and the DOM's elements have them. */
export interface HoldableElement {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): unknown;
  removeAttribute(name: string): unknown;
}

/**
 * Makes a script, iframe or resource hint inert, keeping what is needed to bring it back.
 * @example
 * hold(element, 'script', 'analytics') // type="text/plain" data-consent-type="" data-consent-src="…"
 */
export function hold(element: HoldableElement, kind: HoldKind, category: string): void {
  element.setAttribute(CATEGORY_ATTR, category);
  const attr = sourceAttr(kind);
  const src = element.getAttribute(attr);
  if (src !== null) {
    element.setAttribute(SRC_ATTR, src);
    // A text/plain script is never fetched, and a framework that looks its scripts up by `src`
    // (React 19's hoisted <script async>) finds the held one instead of inserting a copy. An
    // iframe or a link would load: they lose theirs.
    if (kind !== 'script') element.removeAttribute(attr);
  }
  const rel = kind === 'link' ? element.getAttribute('rel') : null;
  if (rel !== null) {
    element.setAttribute(REL_ATTR, rel);
    element.removeAttribute('rel');
  }
  if (kind === 'script') {
    element.setAttribute(TYPE_ATTR, element.getAttribute('type') ?? '');
    element.setAttribute('type', HELD_TYPE);
  }
}

/**
 * Whether an element is held: its source put aside, or a script the page itself marked as held
 * (`type="text/plain"` with a category).
 * @example
 * isHeld(element, 'script')
 */
export function isHeld(element: Pick<HoldableElement, 'getAttribute'>, kind: HoldKind): boolean {
  if (element.getAttribute(SRC_ATTR) !== null) return true;
  return kind === 'script' && element.getAttribute('type') === HELD_TYPE && element.getAttribute(CATEGORY_ATTR) !== null;
}

/**
 * The category a held element waits for: its marking, else its kept source's (`source`). A
 * marking that is not a category of the policy keeps it held (fail closed).
 */
export function heldCategory(
  element: Pick<HoldableElement, 'getAttribute'>,
  source: (src: string) => string | undefined,
): string | undefined {
  return element.getAttribute(CATEGORY_ATTR) || source(element.getAttribute(SRC_ATTR) ?? '');
}
