/**
 * What lol-html (HTMLRewriter's parser) tracks of the document tree, modelled from its source
 * (`tree_builder_simulator`, `ambiguity_guard`, `selectors_vm/stack`): the namespace (for which
 * tags switch the tokenizer to text), the select/template/frameset states in which it refuses a
 * text content tag, and the stack of open elements whose size its memory limit bounds.
 */
import { F, FONT_EXIT_ATTRIBUTES, flagsOf, PLAINTEXT, T, TEXT_CONTENT_NAMES } from './names';

const HTML = 0;
const SVG = 1;
const MATHML = 2;

/** The tokenizer state a start tag leaves the parser in. */
export const TEXT = { data: 0, rcdata: 1, rawtext: 2, script: 3, plaintext: 4 } as const;

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

/** What `startTag` answers when lol-html would refuse the tag (`hazard` says why). */
export const REFUSED = -1;

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

  /** Why the last refused start tag was refused. */
  hazard = '';

  /**
   * A start tag: the text state it leaves the tokenizer in, or `REFUSED`. `attributes` (keys of its
   * attribute names) and `htmlEncoding` are read only where `wantsAttributes` asked for them.
   */
  startTag(key: number, selfClosing: boolean, attributes: readonly number[], htmlEncoding: boolean): number {
    const flags = flagsOf(key);
    if (this.guard !== GUARD_DEFAULT || flags & F.special) {
      const refused = this.trackGuard(key, flags);
      if (refused) {
        this.hazard = refused;
        return REFUSED;
      }
    }
    const text = flags || this.current !== HTML ? this.feedback(key, flags, selfClosing, attributes, htmlEncoding) : TEXT.data;
    if (!(this.current !== HTML ? selfClosing : flags & F.void)) {
      if (this.open.length >= DEPTH_LIMIT) {
        this.hazard = `more than ${DEPTH_LIMIT} open elements`;
        return REFUSED;
      }
      this.open.push(key);
    }
    return text;
  }

  endTag(key: number): void {
    if (this.guard === GUARD_SELECT && key === T.select) this.guard = GUARD_DEFAULT;
    else if (this.guard === GUARD_TEMPLATE_IN_SELECT && key === T.template) {
      this.templates--;
      if (this.templates === 0) this.guard = GUARD_SELECT;
    }
    if ((this.current === SVG && key === T.svg) || (this.current === MATHML && key === T.math)) this.leave();
    else if (this.current === HTML && this.ns.length >= 2) {
      const flags = flagsOf(key);
      const previous = this.ns[this.ns.length - 2];
      const exits =
        (previous === MATHML && (flags & F.mathTextPoint || key === T.annotationXml)) || (previous === SVG && flags & F.svgPoint);
      if (exits) this.leave();
    }
    const open = this.open;
    // Usually the element on top: an end tag closes what was opened last.
    if (open[open.length - 1] === key) open.pop();
    else {
      const at = open.lastIndexOf(key);
      if (at !== -1) open.length = at;
    }
  }

  /** lol-html's ambiguity guard: a reason when it would refuse this start tag. */
  private trackGuard(key: number, flags: number): string | null {
    switch (this.guard) {
      case GUARD_DEFAULT:
        if (key === T.select) this.guard = GUARD_SELECT;
        else if (key === T.frameset) this.guard = GUARD_FRAMESET;
        return null;
      case GUARD_SELECT:
        if (flags & F.selectExit) this.guard = GUARD_DEFAULT;
        else if (key === T.template) {
          this.guard = GUARD_TEMPLATE_IN_SELECT;
          this.templates = 1;
        } else if (key !== T.script && flags & F.textContent) return `<${TEXT_CONTENT_NAMES.get(key)}> in <select>`;
        return null;
      case GUARD_TEMPLATE_IN_SELECT:
        if (key === T.template) this.templates++;
        else if (flags & F.textContent) return `<${TEXT_CONTENT_NAMES.get(key)}> in <template> in <select>`;
        return null;
      default:
        if (key !== T.noframes && flags & F.textContent) return `<${TEXT_CONTENT_NAMES.get(key)}> after <frameset>`;
        return null;
    }
  }

  /** The namespace change and text state a start tag causes. */
  private feedback(key: number, flags: number, selfClosing: boolean, attributes: readonly number[], htmlEncoding: boolean): number {
    if (key === T.svg) this.enter(SVG);
    else if (key === T.math) this.enter(MATHML);
    else if (this.current === HTML) {
      if (flags & F.rcdata) return TEXT.rcdata;
      if (key === PLAINTEXT) return TEXT.plaintext;
      if (key === T.script) return TEXT.script;
      if (flags & F.rawtext) return TEXT.rawtext;
    } else if (flags & F.breakout) this.leave();
    else if (key === T.font) {
      if (attributes.some((name) => FONT_EXIT_ATTRIBUTES.has(name))) this.leave();
    } else if ((this.current === SVG && flags & F.svgPoint) || (this.current === MATHML && flags & F.mathTextPoint)) {
      if (!selfClosing) this.enter(HTML);
    } else if (this.current === MATHML && key === T.annotationXml && !selfClosing && htmlEncoding) this.enter(HTML);
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
