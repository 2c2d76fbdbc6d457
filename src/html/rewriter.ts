/**
 * The streaming HTML pass (docs/enforcement.md): the consent state, banner assets and Consent Mode default
 * as the first child of `<head>` (before any tag of the page), the banner as the last child of
 * `<body>`, and refused `<script>`/`<iframe>` and resource hints (`<link rel=preload|…>`) made inert. HTMLRewriter never buffers the body.
 * Where the page is one the rewriter would give up on, it reads the rest as placeholders
 * (./feed.ts) and puts the gated rest of the page in their place.
 */
import { UNDECLARED } from '../core/client-table';
import { hold } from '../core/hold';
import type { GatedKind } from '../core/tags';
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { decodeAttribute } from './attribute';
import { REST_TAG, type RestQueue } from './feed';

export interface RewriteInput {
  policy: CompiledPolicy;
  /** Categories allowed for this request. */
  allowed: ReadonlySet<CategoryId>;
  /** The page URL, to resolve relative `src` (its `href` and `origin` read once: a URL serialises them on every read). */
  page: { href: string; origin: string };
  /** Markup for the start of the document (first child of `<head>`). */
  head: string;
  /**
   * The response header names the charset. When it does not, the browser finds the page's
   * `<meta charset>` by scanning the first 1024 bytes (HTML §13.2.3.2), so the injection goes
   * after that element instead of at the very start of `<head>` (still before any script).
   */
  charsetInHeader: boolean;
  /**
   * The page opens with its `<head>` tag (./splice.ts `opensWithHead`): with the charset in the
   * header the head part goes in there, before any script, so only the tags that can be held
   * need a handler (a script or iframe with a source or a category, a resource hint).
   */
  headFirst?: boolean;
  /** Markup for the end of `<body>` ('' when there is no banner to show). */
  body: string;
  /** Called once when a handler fails: the page is still served (fail open on content). */
  onError(error: unknown): void;
  /** The rest of a page the rewriter was cut off from, piece by piece, and how the page ends (./feed.ts). */
  rest?: RestQueue;
  /** Called when markup is left out (a page that ends inside a tag). */
  onSkip?(reason: string): void;
  /** Called for each cross-origin source no category declares, held or not (the drift audit). */
  onUndeclared?(kind: GatedKind, src: string): void;
  /**
   * The placeholder shown right before a held iframe (or a held script marked
   * `data-consent-placeholder`): its box, and the form its Allow button submits, which goes at
   * the end of `<body>` (a form cannot nest in the page's own, which an embed may sit in).
   */
  placeholder?(held: HeldEmbed): { box: string; form: string };
}

/** A held element that gets a placeholder, as the placeholder describes it. */
export interface HeldEmbed {
  kind: GatedKind;
  /** Its category, or `UNDECLARED` (nothing to allow). */
  category: CategoryId | typeof UNDECLARED;
  src: string;
  /** As written on the element (`560`, `100%`), or null. */
  width: string | null;
  height: string | null;
  /** The id the no-JavaScript Allow returns to: the element's own, or the one it gets once allowed. */
  anchor: string;
  /** Its number on the page (1, 2, …), for the ids of its text and its form. */
  index: number;
}

/** A width or height that shows nothing (a tracking pixel, GTM's `<noscript>` frame). */
const INVISIBLE = /^\s*[01](\.0*)?(px)?\s*$/i;

/**
 * Whether an element gets a placeholder when held (and, when allowed, the id its placeholder's
 * no-JavaScript Allow comes back to): every iframe a visitor would see, and scripts that ask for one.
 */
export function wantsPlaceholder(kind: GatedKind, attribute: (name: string) => string | null): boolean {
  if (kind === 'script') return attribute('data-consent-placeholder') !== null;
  if (attribute('hidden') !== null) return false;
  const [width, height, style] = [attribute('width'), attribute('height'), attribute('style')];
  if ((width !== null && INVISIBLE.test(width)) || (height !== null && INVISIBLE.test(height))) return false;
  return !(style && /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style));
}

/**
 * Streams `response` through the rewriter.
 * @example
 * return rewriteHtml(response, { policy, allowed, page: url, head, body, onError })
 */
export function rewriteHtml(response: Response, input: RewriteInput): Response {
  let headDone = false;
  /** `<body>` was seen (placeholders only go inside it), and what goes at its end was written. */
  let bodySeen = false;
  let tailDone = false;
  /** The placeholders' forms, written at the end of `<body>` before the body part. */
  let forms = '';
  const tail = () => `${forms}${input.body}`;
  let failed = false;
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (!failed) input.onError(error);
      failed = true;
    }
  };
  // Before any other tag: inside <head>, or in front of the first body/script/iframe when the
  // document has no <head>.
  const injectBefore = (element: Element) => {
    if (headDone) return;
    headDone = true;
    element.before(input.head, { html: true });
  };
  // Numbers the elements a placeholder can stand for, in document order, the same for every
  // visitor: the no-JavaScript Allow returns to `#ce-ph-<n>`, which the element carries once allowed.
  let embeds = 0;
  const gate = (element: Element, kind: GatedKind) => {
    injectBefore(element);
    const src = decodeAttribute(element.getAttribute('src'));
    // The same decision, and the same held form, as banner.js for tags page code inserts.
    const category = input.policy.classifyTag(
      kind,
      { category: element.getAttribute('data-consent-category'), src, type: element.getAttribute('type') },
      input.page,
    );
    if (!category) return;
    if (category === UNDECLARED && src) input.onUndeclared?.(kind, src);
    const refused = input.policy.refuses(category, input.allowed);
    // An undeclared source the policy lets run has no placeholder to come back to.
    if (!refused && category === UNDECLARED) return;
    const placeholder = bodySeen && input.placeholder !== undefined && wantsPlaceholder(kind, (name) => element.getAttribute(name));
    const index = placeholder ? ++embeds : 0;
    const anchor = placeholder ? (element.getAttribute('id') ?? `ce-ph-${index}`) : '';
    if (!refused) {
      if (placeholder && !element.hasAttribute('id')) element.setAttribute('id', anchor);
      return;
    }
    hold(element, kind, category);
    if (placeholder && input.placeholder) {
      const shown = input.placeholder({
        kind,
        category,
        src: src ?? element.getAttribute('data-consent-src') ?? '',
        width: element.getAttribute('width'),
        height: element.getAttribute('height'),
        anchor,
        index,
      });
      element.before(shown.box, { html: true });
      forms += shown.form;
    }
  };
  // A resource hint contacts its host as soon as it is parsed: held like the tag it announces.
  const hint = (element: Element) => {
    const category = input.policy.classifyHint(element.getAttribute('rel'), decodeAttribute(element.getAttribute('href')), input.page);
    if (category && input.policy.refuses(category, input.allowed)) hold(element, 'link', category);
  };
  const head = (element: Element) => {
    if (headDone || !input.charsetInHeader) return;
    headDone = true;
    element.prepend(input.head, { html: true });
  };
  const body = (element: Element) => {
    injectBefore(element);
    if (bodySeen) return;
    bodySeen = true;
    // The end tag handler is not called when </body> is missing; the document end is.
    element.onEndTag((end) => {
      guard(() => {
        if (tailDone) return;
        tailDone = true;
        const markup = tail();
        if (markup) end.before(markup, { html: true });
      });
    });
  };

  // The rest of the page, as it comes: not parsed, it takes the placeholder's place. Before the
  // cut, a placeholder the page itself has is the page's own.
  const rest = (element: Element) => {
    const piece = input.rest?.cut ? input.rest.pieces.shift() : undefined;
    if (!piece) return;
    if (!headDone) {
      headDone = true;
      element.before(input.head, { html: true });
    }
    element.replace(piece, { html: true });
  };

  // One selector list and one handler: each `.on()` costs the runtime a selector parse and a
  // handler on every request, and these tags never overlap.
  const rewriter = new HTMLRewriter().on(input.charsetInHeader && input.headFirst ? GATED_TAGS : EVERY_TAG, {
    element(element) {
      guard(() => {
        const tag = element.tagName; // lower case, however the page spells it
        if (tag === 'script' || tag === 'iframe') gate(element, tag);
        else if (tag === 'link') hint(element);
        else if (tag === 'head') head(element);
        else if (tag === 'body') body(element);
        else rest(element);
      });
    },
  });
  // Only a page whose charset is not in the header needs its <meta charset> found.
  if (!input.charsetInHeader) {
    rewriter.on('meta[charset], meta[http-equiv="content-type" i]', {
      element(element) {
        guard(() => {
          if (headDone) return;
          headDone = true;
          element.after(input.head, { html: true });
        });
      },
    });
  }
  rewriter.onDocument({
    end(end) {
      guard(() => {
        const rest = `${headDone ? '' : input.head}${tailDone ? '' : tail()}`;
        headDone = tailDone = true;
        if (!rest) return;
        // Markup after a page that ends inside a tag would complete that tag.
        if (input.rest && !input.rest.endsBetweenTags) return input.onSkip?.('the page ends inside a tag: nothing appended');
        end.append(rest, { html: true });
      });
    },
  });
  return rewriter.transform(response);
}

/**
 * The tags the handler sees. Each one is a call from the parser into JavaScript, so once the
 * head part is known to go in at `<head>`, an inline script with no category (most of a Next.js
 * page's scripts: its `self.__next_f.push` payload) or a stylesheet link gets none: nothing about
 * it can be held. Every hint `rel` (preload, modulepreload, prefetch, preconnect, dns-prefetch)
 * contains `pre`.
 */
const EVERY_TAG = `head, body, script, iframe, link[href], ${REST_TAG}`;
const GATED_TAGS = `head, body, script[src], script[data-consent-category], iframe[src], iframe[data-consent-category], link[rel*=pre i][href], ${REST_TAG}`;
