/**
 * A model of HTMLRewriter's parser (lol-html) run over the origin's bytes just ahead of it, to
 * find where it would give up: lol-html stops the whole response with an error on a text content
 * tag it cannot place (`<style>` in `<select>`, anything after `<frameset>`) and when its memory
 * limit is reached (thousands of open elements, a huge tag). The model tokenizes as the HTML
 * standard does (§13.2.5), which lol-html follows, tracks the tree as lol-html does (./tree.ts),
 * and names the offset of the first tag the rewriter must not see. It errs on the early side:
 * cutting too soon costs nothing but the rewriter's handling of the rest.
 *
 * Cost: the data state and attribute values are skipped with `indexOf`; only tag names and the
 * structure of attributes are read byte by byte.
 */
import { ENCODING, fold, lower, NAME_SEED, T } from './names';
import { REFUSED, TEXT, TreeModel } from './tree';

/** Longest tag the rewriter is given: lol-html buffers a tag split across chunks (it fails at ~3 MB). */
export const TAG_LIMIT = 512 * 1024;
/** Most attributes on one tag: lol-html fails at 32,675. */
export const ATTRIBUTE_LIMIT = 4096;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const DASH = 0x2d;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const RBRACKET = 0x5d;
const QUESTION = 0x3f;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0c || b === 0x0d;
const isAlpha = (b: number) => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;

// Tokenizer states (HTML §13.2.5), numbered for a switch.
const DATA = 0;
const TAG_OPEN = 1;
const END_TAG_OPEN = 2;
const TAG_NAME = 3;
const BEFORE_ATTR_NAME = 4;
const ATTR_NAME = 5;
const AFTER_ATTR_NAME = 6;
const BEFORE_ATTR_VALUE = 7;
const VALUE_DQ = 8;
const VALUE_SQ = 9;
const VALUE_UNQUOTED = 10;
const AFTER_VALUE_QUOTED = 11;
const SELF_CLOSING = 12;
const MARKUP = 13;
const COMMENT_START = 14;
const COMMENT_START_DASH = 15;
const COMMENT = 16;
const COMMENT_END_DASH = 17;
const COMMENT_END = 18;
const COMMENT_END_BANG = 19;
const BOGUS = 20;
const CDATA = 21;
const CDATA_BRACKET = 22;
const CDATA_END = 23;
const TEXT_STATE = 24; // RCDATA or RAWTEXT
const TEXT_LT = 25;
const TEXT_END_OPEN = 26;
const TEXT_END_NAME = 27;
const SCRIPT = 28;
const SCRIPT_LT = 29;
const SCRIPT_END_OPEN = 30;
const SCRIPT_END_NAME = 31;
const SCRIPT_ESCAPE_START = 32;
const SCRIPT_ESCAPE_START_DASH = 33;
const ESCAPED = 34;
const ESCAPED_DASH = 35;
const ESCAPED_DASH_DASH = 36;
const ESCAPED_LT = 37;
const ESCAPED_END_OPEN = 38;
const ESCAPED_END_NAME = 39;
const DOUBLE_ESCAPE_START = 40;
const DOUBLE_ESCAPED = 41;
const DOUBLE_ESCAPED_DASH = 42;
const DOUBLE_ESCAPED_DASH_DASH = 43;
const DOUBLE_ESCAPED_LT = 44;
const DOUBLE_ESCAPE_END = 45;
const PLAIN = 46;
const CUT = 47;

/** `DOCTYPE` and `[CDATA[`, compared after `<!`. */
const DOCTYPE = [0x64, 0x6f, 0x63, 0x74, 0x79, 0x70, 0x65];
const CDATA_OPEN = [0x5b, 0x43, 0x44, 0x41, 0x54, 0x41, 0x5b];

export interface ScanResult {
  /** Offset (from the start of the body) of the first tag the rewriter must not see, or -1. */
  cut: number;
  /** Every byte before this offset can go to the rewriter now (the rest is a tag not yet read). */
  safe: number;
  /** Why the rewriter would give up at `cut`. */
  reason: string;
}

/**
 * Fed the body chunk by chunk, in order.
 * @example
 * const model = new RewriterModel();
 * const { cut, reason } = model.scan(bytes); // cut: 28, reason: '<style> in <select>' for '<p>…<select><style>…'
 */
export class RewriterModel {
  private readonly tree = new TreeModel();
  private state = DATA;
  /** Offset of the first byte of the next chunk. */
  private offset = 0;
  /** Offset of the `<` of the tag being read, or -1. */
  private tagStart = -1;
  private isEnd = false;
  private hash = NAME_SEED;
  private key = 0;
  private selfClosing = false;
  private attributeCount = 0;
  /** Attribute details, only for the tags whose attributes lol-html reads (`wantsAttributes`). */
  private detailed = false;
  private attributes: number[] = [];
  private attrHash = NAME_SEED;
  private valueIsEncoding = false;
  private value = '';
  private htmlEncoding = false;
  /** `<!` lookahead: how many bytes of `--`, `DOCTYPE` or `[CDATA[` matched so far. */
  private markup = 0;
  private markupKind = 0;
  /** The start tag name the text state ends with (RCDATA, RAWTEXT), and the end tag name read. */
  private textKey = 0;
  /** Script data: how much of "script" a temporary buffer matched (-1: it did not). */
  private temp = 0;
  private reason = '';
  private cutAt = -1;

  /** Whether the bytes so far end between tags, where markup can be appended without joining a tag or text of the page. */
  get between(): boolean {
    return this.state === DATA;
  }

  /** How many bytes of the body the model has read. */
  get scanned(): number {
    return this.offset;
  }

  scan(chunk: Uint8Array): ScanResult {
    const base = this.offset;
    this.offset += chunk.length;
    if (this.state !== CUT && this.state !== PLAIN) this.run(chunk, base);
    if (this.state !== CUT && this.tagStart !== -1 && this.offset - this.tagStart > TAG_LIMIT)
      this.cut(this.tagStart, 'a tag larger than 512 KB');
    const safe = this.state === CUT ? this.cutAt : this.tagStart === -1 ? this.offset : this.tagStart;
    return { cut: this.cutAt, safe, reason: this.reason };
  }

  private cut(at: number, reason: string): void {
    this.state = CUT;
    this.cutAt = at;
    this.reason = reason;
  }

  private run(c: Uint8Array, base: number): void {
    const n = c.length;
    let i = 0;
    while (i < n) {
      const b = c[i] as number;
      switch (this.state) {
        case DATA:
          i = this.inData(c, i, base);
          continue;
        case TAG_OPEN:
          if (isAlpha(b)) this.beginTag(false);
          else if (b === BANG) {
            this.state = MARKUP;
            this.markup = 0;
            this.markupKind = 0;
            this.tagStart = -1;
            i++;
          } else if (b === SLASH) {
            this.state = END_TAG_OPEN;
            i++;
          } else if (b === QUESTION) {
            this.state = BOGUS;
            this.tagStart = -1;
            i++;
          } else {
            this.state = DATA;
            this.tagStart = -1;
          }
          continue;
        case END_TAG_OPEN:
          if (isAlpha(b)) this.beginTag(true);
          else {
            // `</>` is dropped; anything else starts a bogus comment.
            this.state = b === GT ? DATA : BOGUS;
            this.tagStart = -1;
            if (b === GT) i++;
          }
          continue;
        case TAG_NAME: {
          // The whole name in one loop: most tags are a name and `>`.
          let h = this.hash;
          let x = b;
          while (!(isSpace(x) || x === SLASH || x === GT)) {
            h = fold(h, lower(x));
            if (++i === n) {
              this.hash = h;
              return;
            }
            x = c[i] as number;
          }
          this.hash = h;
          if (x === GT) {
            this.endName(DATA);
            if (this.emit(base + i)) return;
          } else this.endName(x === SLASH ? SELF_CLOSING : BEFORE_ATTR_NAME);
          i++;
          continue;
        }
        case BEFORE_ATTR_NAME:
          if (isSpace(b)) i++;
          else if (b === SLASH || b === GT) this.state = AFTER_ATTR_NAME;
          else {
            if (!this.beginAttribute()) return;
            // `=` here starts a name (HTML §13.2.5.32).
            if (b === EQUALS) this.foldAttribute(b);
            i += b === EQUALS ? 1 : 0;
          }
          continue;
        case ATTR_NAME: {
          let x = b;
          while (!(isSpace(x) || x === SLASH || x === GT || x === EQUALS)) {
            if (this.detailed) this.foldAttribute(x);
            if (++i === n) return;
            x = c[i] as number;
          }
          this.endAttributeName();
          if (x === EQUALS) {
            this.state = BEFORE_ATTR_VALUE;
            i++;
          } else this.state = AFTER_ATTR_NAME;
          continue;
        }
        case AFTER_ATTR_NAME:
          if (isSpace(b)) i++;
          else if (b === SLASH) {
            this.state = SELF_CLOSING;
            i++;
          } else if (b === EQUALS) {
            this.state = BEFORE_ATTR_VALUE;
            i++;
          } else if (b === GT) {
            this.state = DATA;
            if (this.emit(base + i)) return;
            i++;
          } else if (!this.beginAttribute()) return;
          continue;
        case BEFORE_ATTR_VALUE:
          if (isSpace(b)) i++;
          else if (b === DQUOTE || b === SQUOTE) {
            this.state = b === DQUOTE ? VALUE_DQ : VALUE_SQ;
            i++;
          } else if (b === GT) {
            this.state = DATA;
            if (this.emit(base + i)) return;
            i++;
          } else this.state = VALUE_UNQUOTED;
          continue;
        case VALUE_DQ:
        case VALUE_SQ: {
          const quote = this.state === VALUE_DQ ? DQUOTE : SQUOTE;
          const end = c.indexOf(quote, i);
          if (this.valueIsEncoding) this.value += latin1(c, i, end === -1 ? n : end);
          if (end === -1) return;
          this.endValue();
          this.state = AFTER_VALUE_QUOTED;
          i = end + 1;
          continue;
        }
        case VALUE_UNQUOTED:
          if (isSpace(b)) {
            this.endValue();
            this.state = BEFORE_ATTR_NAME;
          } else if (b === GT) {
            this.endValue();
            this.state = DATA;
            if (this.emit(base + i)) return;
          } else if (this.valueIsEncoding) this.value += String.fromCharCode(b);
          i++;
          continue;
        case AFTER_VALUE_QUOTED:
          if (isSpace(b)) {
            this.state = BEFORE_ATTR_NAME;
            i++;
          } else if (b === SLASH) {
            this.state = SELF_CLOSING;
            i++;
          } else if (b === GT) {
            this.state = DATA;
            if (this.emit(base + i)) return;
            i++;
          } else this.state = BEFORE_ATTR_NAME;
          continue;
        case SELF_CLOSING:
          if (b === GT) {
            this.selfClosing = true;
            this.state = DATA;
            if (this.emit(base + i)) return;
            i++;
          } else this.state = BEFORE_ATTR_NAME;
          continue;
        case MARKUP:
          i = this.markupDeclaration(c, i);
          continue;
        case COMMENT_START:
          if (b === DASH) {
            this.state = COMMENT_START_DASH;
            i++;
          } else if (b === GT) {
            this.state = DATA;
            i++;
          } else this.state = COMMENT;
          continue;
        case COMMENT_START_DASH:
          if (b === DASH) {
            this.state = COMMENT_END;
            i++;
          } else if (b === GT) {
            this.state = DATA;
            i++;
          } else this.state = COMMENT;
          continue;
        case COMMENT: {
          const dash = c.indexOf(DASH, i);
          if (dash === -1) return;
          this.state = COMMENT_END_DASH;
          i = dash + 1;
          continue;
        }
        case COMMENT_END_DASH:
          this.state = b === DASH ? COMMENT_END : COMMENT;
          if (b === DASH) i++;
          continue;
        case COMMENT_END:
          if (b === GT) this.state = DATA;
          else if (b === BANG) this.state = COMMENT_END_BANG;
          else if (b !== DASH) {
            this.state = COMMENT;
            continue;
          }
          i++;
          continue;
        case COMMENT_END_BANG:
          if (b === DASH) this.state = COMMENT_END_DASH;
          else if (b === GT) this.state = DATA;
          else {
            this.state = COMMENT;
            continue;
          }
          i++;
          continue;
        case BOGUS: {
          const gt = c.indexOf(GT, i);
          if (gt === -1) return;
          this.state = DATA;
          i = gt + 1;
          continue;
        }
        case CDATA: {
          const bracket = c.indexOf(RBRACKET, i);
          if (bracket === -1) return;
          this.state = CDATA_BRACKET;
          i = bracket + 1;
          continue;
        }
        case CDATA_BRACKET:
          this.state = b === RBRACKET ? CDATA_END : CDATA;
          if (b === RBRACKET) i++;
          continue;
        case CDATA_END:
          if (b === GT) this.state = DATA;
          else if (b !== RBRACKET) {
            this.state = CDATA;
            continue;
          }
          i++;
          continue;
        case TEXT_STATE: {
          const lt = c.indexOf(LT, i);
          if (lt === -1) return;
          this.tagStart = base + lt;
          this.state = TEXT_LT;
          i = lt + 1;
          continue;
        }
        case TEXT_LT:
          if (b === SLASH) {
            this.state = TEXT_END_OPEN;
            i++;
          } else this.backToText(TEXT_STATE);
          continue;
        case TEXT_END_OPEN:
        case SCRIPT_END_OPEN:
        case ESCAPED_END_OPEN:
          if (isAlpha(b)) {
            this.hash = NAME_SEED;
            this.state = this.state === TEXT_END_OPEN ? TEXT_END_NAME : this.state === SCRIPT_END_OPEN ? SCRIPT_END_NAME : ESCAPED_END_NAME;
          } else this.backToText(this.state === TEXT_END_OPEN ? TEXT_STATE : this.state === SCRIPT_END_OPEN ? SCRIPT : ESCAPED);
          continue;
        case TEXT_END_NAME:
        case SCRIPT_END_NAME:
        case ESCAPED_END_NAME:
          if (isAlpha(b)) {
            this.hash = fold(this.hash, lower(b));
            i++;
          } else {
            const wanted = this.state === TEXT_END_NAME ? this.textKey : T.script;
            const appropriate = this.hash === wanted && (isSpace(b) || b === SLASH || b === GT);
            if (appropriate) {
              // The end tag of the text element: read as a tag from here.
              this.isEnd = true;
              this.key = wanted;
              this.selfClosing = false;
              this.attributeCount = 0;
              this.detailed = false;
              this.state = TAG_NAME;
            } else this.backToText(this.state === TEXT_END_NAME ? TEXT_STATE : this.state === SCRIPT_END_NAME ? SCRIPT : ESCAPED);
          }
          continue;
        case SCRIPT: {
          const lt = c.indexOf(LT, i);
          if (lt === -1) return;
          this.tagStart = base + lt;
          this.state = SCRIPT_LT;
          i = lt + 1;
          continue;
        }
        case SCRIPT_LT:
          if (b === SLASH) {
            this.state = SCRIPT_END_OPEN;
            i++;
          } else if (b === BANG) {
            this.tagStart = -1;
            this.state = SCRIPT_ESCAPE_START;
            i++;
          } else this.backToText(SCRIPT);
          continue;
        case SCRIPT_ESCAPE_START:
        case SCRIPT_ESCAPE_START_DASH:
          if (b === DASH) {
            this.state = this.state === SCRIPT_ESCAPE_START ? SCRIPT_ESCAPE_START_DASH : ESCAPED_DASH_DASH;
            i++;
          } else this.state = SCRIPT;
          continue;
        case ESCAPED:
        case ESCAPED_DASH:
        case ESCAPED_DASH_DASH:
          if (b === DASH) this.state = this.state === ESCAPED ? ESCAPED_DASH : ESCAPED_DASH_DASH;
          else if (b === LT) {
            this.tagStart = base + i;
            this.state = ESCAPED_LT;
          } else if (b === GT && this.state === ESCAPED_DASH_DASH) this.state = SCRIPT;
          else this.state = ESCAPED;
          i++;
          continue;
        case ESCAPED_LT:
          if (b === SLASH) {
            this.state = ESCAPED_END_OPEN;
            i++;
          } else if (isAlpha(b)) {
            this.tagStart = -1;
            this.temp = 0;
            this.state = DOUBLE_ESCAPE_START;
          } else this.backToText(ESCAPED);
          continue;
        case DOUBLE_ESCAPE_START:
        case DOUBLE_ESCAPE_END:
          if (isSpace(b) || b === SLASH || b === GT) {
            const isScript = this.temp === SCRIPT_NAME.length;
            if (this.state === DOUBLE_ESCAPE_START) this.state = isScript ? DOUBLE_ESCAPED : ESCAPED;
            else this.state = isScript ? ESCAPED : DOUBLE_ESCAPED;
            i++;
          } else if (isAlpha(b)) {
            this.temp = this.temp >= 0 && SCRIPT_NAME[this.temp] === lower(b) ? this.temp + 1 : -1;
            i++;
          } else this.state = this.state === DOUBLE_ESCAPE_START ? ESCAPED : DOUBLE_ESCAPED;
          continue;
        case DOUBLE_ESCAPED:
        case DOUBLE_ESCAPED_DASH:
        case DOUBLE_ESCAPED_DASH_DASH:
          if (b === DASH) this.state = this.state === DOUBLE_ESCAPED ? DOUBLE_ESCAPED_DASH : DOUBLE_ESCAPED_DASH_DASH;
          else if (b === LT) this.state = DOUBLE_ESCAPED_LT;
          else if (b === GT && this.state === DOUBLE_ESCAPED_DASH_DASH) this.state = SCRIPT;
          else this.state = DOUBLE_ESCAPED;
          i++;
          continue;
        case DOUBLE_ESCAPED_LT:
          if (b === SLASH) {
            this.temp = 0;
            this.state = DOUBLE_ESCAPE_END;
            i++;
          } else this.state = DOUBLE_ESCAPED;
          continue;
        default:
          return;
      }
    }
  }

  /**
   * The data state, tag after tag while each ends within the chunk (most do): the offset where
   * the state machine takes over, or the chunk's length.
   */
  private inData(c: Uint8Array, from: number, base: number): number {
    let i = from;
    for (;;) {
      const lt = nextLt(c, i);
      if (lt === -1) return c.length;
      this.tagStart = base + lt;
      const end = this.wholeTag(c, lt);
      if (end === CUT_HERE) return c.length;
      if (end === PARTIAL) {
        this.state = TAG_OPEN;
        return lt + 1;
      }
      if (this.emit(base + end)) return c.length;
      i = end + 1;
      if (this.state !== DATA) return i;
    }
  }

  /**
   * A tag that begins at `lt` and ends within `c`, read in one pass: the offset of its `>`, or
   * `PARTIAL` when it does not end in this chunk or needs what only the state machine reads
   * (markup declarations, the attributes lol-html looks at), or `CUT_HERE` at a limit.
   */
  private wholeTag(c: Uint8Array, lt: number): number {
    const n = c.length;
    let i = lt + 1;
    let b = c[i] ?? 0;
    const isEnd = b === SLASH;
    if (isEnd) b = c[++i] ?? 0;
    if (!isAlpha(b)) return PARTIAL;
    // Byte classes from one table: one load per byte instead of up to six comparisons.
    let h = NAME_SEED;
    while (i < n) {
      b = c[i] as number;
      if ((CLASS[b] as number) & NAME_END) break;
      h = fold(h, LOWER[b] as number);
      i++;
    }
    if (i >= n || (!isEnd && this.tree.wantsAttributes(h))) return PARTIAL;
    let attributes = 0;
    let selfClosing = false;
    for (;;) {
      while (i < n && CLASS[c[i] as number] === SPACE) i++;
      if (i >= n) return PARTIAL;
      b = c[i] as number;
      if (b === GT) break;
      if (b === SLASH) {
        if (c[i + 1] === GT) {
          selfClosing = true;
          i++;
          break;
        }
        i++;
        continue;
      }
      if (++attributes > ATTRIBUTE_LIMIT) {
        this.cut(this.tagStart, `a tag with more than ${ATTRIBUTE_LIMIT} attributes`);
        return CUT_HERE;
      }
      // A name (its first byte whatever it is, `=` included), then maybe `=` and a value.
      i++;
      while (i < n && !((CLASS[c[i] as number] as number) & ATTRIBUTE_NAME_END)) i++;
      while (i < n && CLASS[c[i] as number] === SPACE) i++;
      if (i >= n) return PARTIAL;
      if (c[i] !== EQUALS) continue;
      i++;
      while (i < n && CLASS[c[i] as number] === SPACE) i++;
      if (i >= n) return PARTIAL;
      b = c[i] as number;
      if (b === DQUOTE || b === SQUOTE) {
        const close = nextByte(c, b, i + 1);
        if (close === -1) return PARTIAL;
        i = close + 1;
      } else if (b !== GT) {
        while (i < n && !((CLASS[c[i] as number] as number) & VALUE_END)) i++;
        if (i >= n) return PARTIAL;
      }
    }
    this.isEnd = isEnd;
    this.key = h;
    this.selfClosing = selfClosing;
    this.detailed = false;
    return i;
  }

  private beginTag(isEnd: boolean): void {
    this.isEnd = isEnd;
    this.hash = NAME_SEED;
    this.selfClosing = false;
    this.attributeCount = 0;
    this.detailed = false;
    this.state = TAG_NAME;
  }

  private endName(next: number): void {
    this.key = this.hash;
    this.detailed = !this.isEnd && this.tree.wantsAttributes(this.key);
    if (this.detailed) {
      this.attributes = [];
      this.htmlEncoding = false;
    }
    this.state = next;
  }

  /** A new attribute; false when the tag has more than the rewriter can hold (the model cut). */
  private beginAttribute(): boolean {
    this.attributeCount++;
    if (this.attributeCount > ATTRIBUTE_LIMIT) {
      this.cut(this.tagStart, `a tag with more than ${ATTRIBUTE_LIMIT} attributes`);
      return false;
    }
    this.attrHash = NAME_SEED;
    this.valueIsEncoding = false;
    this.state = ATTR_NAME;
    return true;
  }

  private foldAttribute(b: number): void {
    this.attrHash = fold(this.attrHash, lower(b));
  }

  private endAttributeName(): void {
    if (!this.detailed) return;
    const name = this.attrHash;
    this.attributes.push(name);
    this.valueIsEncoding = name === ENCODING;
    this.value = '';
  }

  private endValue(): void {
    if (!this.valueIsEncoding) return;
    const value = this.value.toLowerCase();
    if (value === 'text/html' || value === 'application/xhtml+xml') this.htmlEncoding = true;
    this.valueIsEncoding = false;
  }

  /** A complete tag whose `>` is at `at`; true when the rewriter must not see it (the model cut). */
  private emit(at: number): boolean {
    const start = this.tagStart;
    this.tagStart = -1;
    if (at + 1 - start > TAG_LIMIT) {
      this.cut(start, 'a tag larger than 512 KB');
      return true;
    }
    if (this.isEnd) {
      this.tree.endTag(this.key);
      this.state = DATA;
      return false;
    }
    const text = this.tree.startTag(this.key, this.selfClosing, this.detailed ? this.attributes : NONE, this.detailed && this.htmlEncoding);
    if (text === REFUSED) {
      this.cut(start, this.tree.hazard);
      return true;
    }
    this.enterText(text);
    return false;
  }

  private enterText(text: number): void {
    if (text === TEXT.data) this.state = DATA;
    else if (text === TEXT.script) this.state = SCRIPT;
    else if (text === TEXT.plaintext) this.state = PLAIN;
    else {
      this.textKey = this.key;
      this.state = TEXT_STATE;
    }
  }

  /** A `<` in a text state that turned out not to start its end tag: text, reread from here. */
  private backToText(state: number): void {
    this.tagStart = -1;
    this.state = state;
  }

  /** After `<!`: a comment, a doctype, a CDATA section (foreign content only) or a bogus comment. */
  private markupDeclaration(c: Uint8Array, i: number): number {
    const b = c[i] as number;
    if (this.markup === 0) {
      if (b === DASH) this.markupKind = 1;
      else if ((b | 0x20) === DOCTYPE[0]) this.markupKind = 2;
      else if (b === CDATA_OPEN[0] && this.tree.allowCdata) this.markupKind = 3;
      else {
        this.state = BOGUS;
        return i;
      }
      this.markup = 1;
      return i + 1;
    }
    const matches =
      this.markupKind === 1 ? b === DASH : this.markupKind === 2 ? (b | 0x20) === DOCTYPE[this.markup] : b === CDATA_OPEN[this.markup];
    if (!matches) {
      // What was read is part of a bogus comment; this byte is read again in it.
      this.state = BOGUS;
      return i;
    }
    this.markup++;
    const length = this.markupKind === 1 ? 2 : 7;
    if (this.markup === length) this.state = this.markupKind === 1 ? COMMENT_START : this.markupKind === 2 ? BOGUS : CDATA;
    return i + 1;
  }
}

const NONE: number[] = [];

/**
 * The next `<` from `from`, or -1. The text between tags is mostly short, and a typed array's
 * `indexOf` costs a call into the runtime each time: a plain loop looks at the first bytes.
 */
function nextLt(c: Uint8Array, from: number): number {
  const stop = Math.min(c.length, from + 128);
  for (let i = from; i < stop; i++) if (c[i] === LT) return i;
  return stop < c.length ? c.indexOf(LT, stop) : -1;
}
/** The next `byte` from `from`, or -1: a plain loop over the first bytes, as `nextLt` (attribute values are mostly short). */
function nextByte(c: Uint8Array, byte: number, from: number): number {
  const stop = Math.min(c.length, from + 64);
  for (let i = from; i < stop; i++) if (c[i] === byte) return i;
  return stop < c.length ? c.indexOf(byte, stop) : -1;
}
/** Byte classes for `wholeTag`: whitespace, `/`, `>`, `=`; and ASCII lower case. */
const SPACE = 1;
const CLASS = new Uint8Array(256);
for (const b of [0x20, 0x0a, 0x09, 0x0c, 0x0d]) CLASS[b] = SPACE;
CLASS[SLASH] = 2;
CLASS[GT] = 4;
CLASS[EQUALS] = 8;
const NAME_END = SPACE | 2 | 4;
const ATTRIBUTE_NAME_END = NAME_END | 8;
const VALUE_END = SPACE | 4;
const LOWER = Uint8Array.from({ length: 256 }, (_, b) => lower(b));

/** `wholeTag` answers: the tag goes on in the next chunk (or needs the state machine), or the model cut. */
const PARTIAL = -1;
const CUT_HERE = -2;
const SCRIPT_NAME = [0x73, 0x63, 0x72, 0x69, 0x70, 0x74];

function latin1(c: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to && out.length < 64; i++) out += String.fromCharCode(c[i] as number);
  return out;
}
