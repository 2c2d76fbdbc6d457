// Holds what markup strings bring in. innerHTML, outerHTML and insertAdjacentHTML load the
// iframes they insert (their scripts never run, so those are left as the browser leaves them);
// document.write while the page parses runs scripts and loads iframes alike.
import { check, unguarded } from './guard';
import { onSet } from './patch';

/** Only markup naming one of these can bring in something to hold. */
const TAG = /<(script|iframe)/i;
const E = Element.prototype;
const AT = ['beforebegin', 'afterbegin', 'beforeend', 'afterend'];
const INSERT = ['before', 'prepend', 'append', 'after'];

const innerHtml = Object.getOwnPropertyDescriptor(E, 'innerHTML');

/** Markup bound for a connected node may load an iframe; elsewhere, insertion checks it later. */
const risky = (node: Node, html: unknown) => node.isConnected && TAG.test(String(html));

/**
 * Parses `html` as the native setter would in `context` (an element of the same name, so tables,
 * selects and raw-text elements parse alike) but detached, where an iframe does not load yet;
 * holds the refused iframes and returns the nodes. Its scripts stay "already started" (inert).
 */
function parse(context: Element, html: unknown): DocumentFragment {
  const name = context.localName;
  const box = document.createElementNS(context.namespaceURI, name.includes('-') || name === 'template' ? 'div' : name);
  innerHtml?.set?.call(box, html);
  for (const el of box.querySelectorAll('iframe')) check(el);
  const range = document.createRange();
  range.selectNodeContents(box);
  return range.extractContents();
}

/** A context for markup placed under a document fragment or shadow root, as the HTML standard says. */
const body = () => document.createElement('body');

export function installHtmlGuards(): void {
  for (const proto of [E, ShadowRoot.prototype]) {
    onSet(proto, 'innerHTML', function (this: Element | ShadowRoot, v, native) {
      const context = this instanceof ShadowRoot ? this.host : this;
      // A template's innerHTML fills its inert content.
      if (!risky(this, v) || (this === context && context.localName === 'template')) return native(v);
      this.replaceChildren(parse(context, v));
    });
  }

  onSet(E, 'outerHTML', function (this: Element, v, native) {
    const p = this.parentNode;
    // Under the document itself the native setter throws; let it.
    if (!risky(this, v) || p instanceof Document) return native(v);
    unguarded.replaceWith?.call(this, parse(p instanceof Element ? p : body(), v));
  });

  const adjacent = E.insertAdjacentHTML;
  E.insertAdjacentHTML = function (this: Element, where: InsertPosition, html: string) {
    const i = AT.indexOf(String(where).toLowerCase());
    const p = i === 0 || i === 3 ? this.parentNode : this;
    const insert = unguarded[INSERT[i] ?? ''];
    // Unknown positions and a parent that is the document throw natively; let them.
    if (!insert || !p || !risky(this, html) || p instanceof Document) return adjacent.call(this, where, html);
    insert.call(this, parse(p instanceof Element ? p : body(), html));
  };

  // The parser runs what document.write inserts: when the markup holds something refused, write
  // it in held form instead (parsed in a template, serialized back). Untouched otherwise.
  for (const m of ['write', 'writeln'] as const) {
    const original = Document.prototype[m];
    Document.prototype[m] = function (this: Document, ...args: string[]) {
      const html = args.join('');
      if (!TAG.test(html)) return original.apply(this, args);
      const t = document.createElement('template');
      innerHtml?.set?.call(t, html);
      let held = false;
      for (const el of t.content.querySelectorAll('script,iframe')) held = check(el) || held;
      return held ? original.call(this, t.innerHTML) : original.apply(this, args);
    };
  }
}
