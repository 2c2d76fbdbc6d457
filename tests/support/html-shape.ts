/**
 * What a browser builds from an HTML document, for comparing pages before and after the worker:
 * parse5 (the HTML standard's tree construction) into a flat list of the document's elements
 * (with their namespace and attributes), text and comments, in document order. Walked without
 * recursion, so a page nested 100,000 deep costs no stack.
 */
import { type DefaultTreeAdapterMap, parse } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Attributes the worker changes on a tag it holds; compared apart from the rest. */
const GATING = /^(type|src|data-consent-.*)$/;
/** A held resource hint has its `rel` and `href` put aside too. */
const HINT_GATING = /^(rel|href|src|data-consent-.*)$/;

export interface Shape {
  /** One line per node, with its depth: `3 <div class="a">`, `4 #text "hello"`. */
  nodes: string[];
  /** Every `<script>` and `<iframe>` of the HTML namespace, with all its attributes. */
  gated: { name: string; attrs: Record<string, string> }[];
}

function children(node: Node): Node[] {
  const own = 'childNodes' in node ? node.childNodes : [];
  // A template's content is a fragment of its own (HTML §4.12.3).
  return node.nodeName === 'template' && 'content' in node
    ? [...own, ...(node as { content: { childNodes: Node[] } }).content.childNodes]
    : own;
}

/**
 * The shape of a document, and the gated elements in it.
 * @example
 * shapeOf('<p>a<b>c</b>').nodes // ['0 <html>', '1 <head>', '1 <body>', '2 <p>', '3 #text "a"', '3 <b>', '4 #text "c"']
 */
export function shapeOf(html: string): Shape {
  const nodes: string[] = [];
  const gated: Shape['gated'] = [];
  const document = parse(html);
  const stack: [Node, number][] = children(document)
    .reverse()
    .map((n): [Node, number] => [n, 0]);
  while (stack.length) {
    const entry = stack.pop();
    if (!entry) break;
    const [node, depth] = entry;
    if (node.nodeName === '#text' && 'value' in node) nodes.push(`${depth} #text ${JSON.stringify(node.value)}`);
    else if (node.nodeName === '#comment' && 'data' in node) nodes.push(`${depth} #comment ${JSON.stringify(node.data)}`);
    else if ('tagName' in node) {
      const element = node as Element;
      const gating = element.tagName === 'link' ? HINT_GATING : GATING;
      const attrs = element.attrs
        .filter((a) => !gating.test(a.name))
        .map((a) => `${a.name}=${JSON.stringify(a.value)}`)
        .sort();
      const ns = element.namespaceURI.endsWith('/svg') ? 'svg:' : element.namespaceURI.endsWith('MathML') ? 'math:' : '';
      nodes.push(`${depth} <${ns}${element.tagName}${attrs.length ? ` ${attrs.join(' ')}` : ''}>`);
      if (!ns && (element.tagName === 'script' || element.tagName === 'iframe')) {
        gated.push({ name: element.tagName, attrs: Object.fromEntries(element.attrs.map((a) => [a.name, a.value])) });
      }
    }
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i];
      if (kid) stack.push([kid, depth + 1]);
    }
  }
  return { nodes, gated };
}

/** Whether a script or iframe the browser built would fetch or run (held ones do not). */
export function wouldRun(element: Shape['gated'][number]): boolean {
  if (element.name === 'iframe') return element.attrs.src !== undefined;
  const type = element.attrs.type?.trim().toLowerCase();
  return type === undefined || type === '' || type === 'module' || type === 'text/javascript' || type === 'application/javascript';
}
