/**
 * What lol-html (HTMLRewriter's parser) tracks of the document tree, modelled from its source
 * (`tree_builder_simulator`, `ambiguity_guard`, `selectors_vm/stack`): the namespace (for which
 * tags switch the tokenizer to text), the select/template/frameset states in which it refuses a
 * text content tag, and the stack of open elements whose size its memory limit bounds.
 */
import {
  BREAKOUT,
  FONT_EXIT_ATTRIBUTES,
  MATHML_TEXT_POINTS,
  PLAINTEXT,
  RAWTEXT,
  RCDATA,
  SELECT_EXIT,
  SVG_HTML_POINTS,
  T,
  TEXT_CONTENT,
  TEXT_CONTENT_NAMES,
  VOID,
} from './names';

const HTML = 0;
const SVG = 1;
const MATHML = 2;

/** The tokenizer state a start tag leaves the parser in. */
export const TEXT = { data: 0, rcdata: 1, rawtext: 2, script: 3, plaintext: 4 } as const;
export type TextKind = (typeof TEXT)[keyof typeof TEXT];

/**
 * Open elements before the model gives up on the rewriter. lol-html runs out of memory at
 * 16,310 open elements (measured in workerd with this worker's selectors), a quarter of it
 * leaves room for the buffered tags that share its limit.
 */
export const DEPTH_LIMIT = 4096;

const GUARD_DEFAULT = 0;
const GUARD_SELECT = 1;
const GUARD_TEMPLATE_IN_SELECT = 2;
const GUARD_FRAMESET = 3;

export interface StartTag {
  key: number;
  selfClosing: boolean;
  /** Keys of its attribute names, only when `wantsAttributes` asked for them. */
  attributes: number[];
  /** An `encoding` attribute of `text/html` or `application/xhtml+xml`. */
  htmlEncoding: boolean;
}

export type StartVerdict = { hazard: string } | { hazard: null; text: TextKind };

/** The tree state of one document, fed every tag in order. */
export class TreeModel {
  private ns: number[] = [HTML];
  private current = HTML;
  private guard = GUARD_DEFAULT;
  private templates = 0;
  /** Keys of the open elements, as lol-html keeps them for selector matching. */
  private open: number[] = [];

  /** CDATA sections are tokenized only in foreign content. */
  get allowCdata(): boolean {
    return this.current !== HTML;
  }

  /** Whether the tag's attributes decide anything (lol-html asks for them only here). */
  wantsAttributes(key: number): boolean {
    return this.current !== HTML && (key === T.font || (this.current === MATHML && key === T.annotationXml));
  }

  startTag(tag: StartTag): StartVerdict {
    const refused = this.trackGuard(tag.key);
    if (refused) return { hazard: refused };
    const text = this.feedback(tag);
    const foreign = this.current !== HTML;
    if (!(foreign ? tag.selfClosing : VOID.has(tag.key))) {
      if (this.open.length >= DEPTH_LIMIT) return { hazard: `more than ${DEPTH_LIMIT} open elements` };
      this.open.push(tag.key);
    }
    return { hazard: null, text };
  }

  endTag(key: number): void {
    if (this.guard === GUARD_SELECT && key === T.select) this.guard = GUARD_DEFAULT;
    else if (this.guard === GUARD_TEMPLATE_IN_SELECT && key === T.template) {
      this.templates--;
      if (this.templates === 0) this.guard = GUARD_SELECT;
    }
    if ((this.current === SVG && key === T.svg) || (this.current === MATHML && key === T.math)) this.leave();
    else if (this.current === HTML && this.ns.length >= 2) {
      const previous = this.ns[this.ns.length - 2];
      const exits =
        (previous === MATHML && (MATHML_TEXT_POINTS.has(key) || key === T.annotationXml)) || (previous === SVG && SVG_HTML_POINTS.has(key));
      if (exits) this.leave();
    }
    const at = this.open.lastIndexOf(key);
    if (at !== -1) this.open.length = at;
  }

  /** lol-html's ambiguity guard: a reason when it would refuse this start tag. */
  private trackGuard(key: number): string | null {
    switch (this.guard) {
      case GUARD_DEFAULT:
        if (key === T.select) this.guard = GUARD_SELECT;
        else if (key === T.frameset) this.guard = GUARD_FRAMESET;
        return null;
      case GUARD_SELECT:
        if (SELECT_EXIT.has(key)) this.guard = GUARD_DEFAULT;
        else if (key === T.template) {
          this.guard = GUARD_TEMPLATE_IN_SELECT;
          this.templates = 1;
        } else if (key !== T.script && TEXT_CONTENT.has(key)) return `<${TEXT_CONTENT_NAMES.get(key)}> in <select>`;
        return null;
      case GUARD_TEMPLATE_IN_SELECT:
        if (key === T.template) this.templates++;
        else if (TEXT_CONTENT.has(key)) return `<${TEXT_CONTENT_NAMES.get(key)}> in <template> in <select>`;
        return null;
      default:
        if (key !== T.noframes && TEXT_CONTENT.has(key)) return `<${TEXT_CONTENT_NAMES.get(key)}> after <frameset>`;
        return null;
    }
  }

  /** The namespace change and text state a start tag causes. */
  private feedback(tag: StartTag): TextKind {
    const { key } = tag;
    if (key === T.svg) this.enter(SVG);
    else if (key === T.math) this.enter(MATHML);
    else if (this.current === HTML) {
      if (RCDATA.has(key)) return TEXT.rcdata;
      if (key === PLAINTEXT) return TEXT.plaintext;
      if (key === T.script) return TEXT.script;
      if (RAWTEXT.has(key)) return TEXT.rawtext;
    } else if (BREAKOUT.has(key)) this.leave();
    else if (key === T.font) {
      if (tag.attributes.some((name) => FONT_EXIT_ATTRIBUTES.has(name))) this.leave();
    } else if ((this.current === SVG && SVG_HTML_POINTS.has(key)) || (this.current === MATHML && MATHML_TEXT_POINTS.has(key))) {
      if (!tag.selfClosing) this.enter(HTML);
    } else if (this.current === MATHML && key === T.annotationXml && !tag.selfClosing && tag.htmlEncoding) this.enter(HTML);
    return TEXT.data;
  }

  private enter(ns: number): void {
    this.ns.push(ns);
    this.current = ns;
  }

  private leave(): void {
    if (this.ns.length > 1) this.ns.pop();
    this.current = this.ns[this.ns.length - 1] ?? HTML;
  }
}
