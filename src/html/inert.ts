/**
 * The rest of a page the rewriter cannot take (./bailout/model.ts), made safe without parsing it:
 * every byte of the origin passes in order, and every `<script` or `<iframe` start tag of a
 * refused category, wherever it appears, is made inert by inserting bytes only.
 *
 * Why wherever it appears: past that point the parsing context is what is ambiguous (the tag
 * may sit in a `<select>`, a `<template>`, text or markup depending on how the browser builds the
 * tree), so a tag is held if it would be one under any reading. The inserted attributes are
 * unquoted and carry no quote, backslash, backtick or `$`, so bytes inserted into what is really
 * a script's string or a text node cannot end it or change the code around them.
 *
 * How a tag is held, inserting only (the first of two same-named attributes wins, HTML
 * §13.2.5.33): a script gets `type=text/plain`, its category, and a copy of its `src` in
 * `data-consent-src` right after its name, and each `type` it had becomes `data-consent-type`;
 * an iframe gets its category, and each `src` it had becomes `data-consent-src` (a held iframe
 * has no `src` until it is released). banner.js releases both as it releases the rewriter's.
 */
import { CATEGORY_ATTR, HELD_TYPE, type HoldKind, REL_ATTR, SRC_ATTR, TYPE_ATTR } from '../core/hold';
import type { UNDECLARED } from '../core/client-table';
import type { PageUrl } from '../core/sources';
import type { CompiledPolicy } from '../policy/compile';
import type { CategoryId } from '../policy/schema';
import { decodeAttribute } from './attribute';

/**
 * The refused category a tag belongs to (or `UNDECLARED` for an undeclared source the policy
 * blocks), or undefined when it may run or load; `attribute` gives the first value of an
 * attribute as written (null: absent).
 */
export type HoldDecision = (kind: HoldKind, attribute: (name: string) => string | null) => CategoryId | typeof UNDECLARED | undefined;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
/** A tag still open after this many bytes is judged on what was read of it. */
const HOLD_LIMIT = 1024 * 1024;
const SCRIPT = [0x73, 0x63, 0x72, 0x69, 0x70, 0x74];
const IFRAME = [0x69, 0x66, 0x72, 0x61, 0x6d, 0x65];
const LINK = [0x6c, 0x69, 0x6e, 0x6b];
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0c || b === 0x0d;

interface Attribute {
  name: string;
  nameStart: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Gates a byte stream chunk by chunk: `push` returns what can be sent of it (a tag split across
 * chunks is kept until its end arrives), `end` the rest.
 * @example
 * const gate = new InertGate(decide);
 * gate.push(bytes('<p>a</p><script src="https://www.googletagmanager.com/gtag/js">'));
 * // '<p>a</p><script type=text/plain data-consent-category=analytics data-consent-src=https://www.googletagmanager.com/gtag/js data-consent-type src="…">'
 */
export class InertGate {
  private held: Uint8Array = EMPTY;
  private readonly decoder: TextDecoder;

  /** `charset`: the page's, in which attribute values are read (utf-8 when absent or unknown). */
  constructor(
    private readonly decide: HoldDecision,
    charset?: string,
  ) {
    this.decoder = decoderFor(charset);
  }

  push(chunk: Uint8Array): Uint8Array {
    const data = this.held.length ? concat([this.held, chunk]) : chunk;
    this.held = EMPTY;
    const edits: Edit[] = [];
    let stop = data.length;
    // Every `<script`, `<iframe` and `<link`, also those inside another one's attribute values:
    // under another reading of the page that other one is text, and they are tags.
    for (let lt = data.indexOf(LT); lt !== -1; lt = data.indexOf(LT, lt + 1)) {
      if (lt + 8 > data.length) {
        stop = lt;
        break;
      }
      const kind = tagKind(data, lt);
      if (!kind) continue;
      const nameEnd = lt + 1 + kind.length;
      const tag = readTag(data, nameEnd);
      if (tag.end === -1 && data.length - lt <= HOLD_LIMIT) {
        stop = lt;
        break;
      }
      for (const [at, bytes] of this.hold(kind, data, nameEnd, tag.attributes)) edits.push({ at, bytes, tag: lt });
    }
    // A tag kept for the next chunk is read again whole there; so is one with an edit past `stop`.
    for (let moved = true; moved; ) {
      moved = false;
      for (const edit of edits) {
        if (edit.tag < stop && edit.at >= stop) {
          stop = edit.tag;
          moved = true;
        }
      }
    }
    this.held = data.subarray(stop);
    const kept = edits.filter((edit) => edit.tag < stop).sort((a, b) => a.at - b.at || a.tag - b.tag);
    const out: Uint8Array[] = [];
    let sent = 0;
    for (const edit of kept) {
      out.push(data.subarray(sent, edit.at), edit.bytes);
      sent = edit.at;
    }
    out.push(data.subarray(sent, stop));
    return concat(out);
  }

  end(): Uint8Array {
    const rest = this.held;
    this.held = EMPTY;
    return rest;
  }

  /** Where to insert what makes the tag inert: nothing when it may run. */
  private hold(kind: HoldKind, data: Uint8Array, nameEnd: number, attributes: Attribute[]): Array<[number, Uint8Array]> {
    const first = (name: string) => attributes.find((a) => a.name === name);
    const category = this.decide(kind, attributeText(data, attributes, this.decoder));
    if (!category) return [];
    const inserted: Uint8Array[] = [encoder.encode(`${kind === 'script' ? ` type=${HELD_TYPE}` : ''} ${CATEGORY_ATTR}=${category}`)];
    // A script keeps its src (a text/plain script is never fetched) and a link its href (it
    // loads nothing without rel): both are copied where banner.js restores them from.
    const source = kind === 'script' ? first('src') : kind === 'link' ? first('href') : undefined;
    if (source) inserted.push(encoder.encode(` ${SRC_ATTR}`), unquotedValue(data.subarray(source.valueStart, source.valueEnd)));
    if (kind === 'script' && !first('type')) inserted.push(encoder.encode(` ${TYPE_ATTR}`));
    const edits: Array<[number, Uint8Array]> = [[nameEnd, concat(inserted)]];
    // Renamed, not removed, value and all: a script's `type` becomes `data-consent-type`, an
    // iframe's `src` `data-consent-src`, a link's `rel` `data-consent-rel`.
    const renamed = kind === 'script' ? 'type' : kind === 'iframe' ? 'src' : 'rel';
    for (const attribute of attributes) if (attribute.name === renamed) edits.push([attribute.nameStart, RENAME_PREFIX]);
    return edits;
  }
}

/** Bytes inserted at `at`, for the tag that starts at `tag`. */
interface Edit {
  at: number;
  bytes: Uint8Array;
  tag: number;
}

/** A decoder for the page's charset; utf-8 when it names none the runtime knows. */
function decoderFor(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder();
  }
}

/**
 * The policy's verdict on a tag as the gate reads it, `src` and `href` decoded as the browser
 * decodes them (so `https&#x3a;//…` is the URL it is); `page` is where the tag is.
 */
export function tagVerdict(
  policy: CompiledPolicy,
  page: PageUrl,
): (kind: HoldKind, attribute: (name: string) => string | null) => CategoryId | typeof UNDECLARED | undefined {
  return (kind, attribute) =>
    kind === 'link'
      ? policy.classifyHint(attribute('rel'), decodeAttribute(attribute('href')), page)
      : policy.classifyTag(
          kind,
          { category: attribute(CATEGORY_ATTR), src: decodeAttribute(attribute('src')), type: attribute('type') },
          page,
        );
}

/** What the gate holds for a visitor who allowed `allowed`: every tag the policy refuses them. */
export function refusedTags(policy: CompiledPolicy, allowed: ReadonlySet<CategoryId>, page: PageUrl): HoldDecision {
  const verdict = tagVerdict(policy, page);
  return (kind, attribute) => {
    const category = verdict(kind, attribute);
    return policy.refuses(category, allowed) ? category : undefined;
  };
}

/**
 * Whether a whole UTF-8 page has no tag, under any reading of it, that `decide` holds: every
 * `<script`, `<iframe` and `<link` is asked about, also one inside another's attribute value, and
 * a tag the page ends in (which some reading may close) counts as held.
 * @example
 * holdsNothing(bytes('<p>hi</p>'), decide) // true
 */
export function holdsNothing(page: Uint8Array, decide: HoldDecision): boolean {
  for (let lt = page.indexOf(LT); lt !== -1; lt = page.indexOf(LT, lt + 1)) {
    const kind = tagKind(page, lt);
    if (!kind) continue;
    const tag = readTag(page, lt + 1 + kind.length);
    if (tag.end === -1 || decide(kind, attributeText(page, tag.attributes, decoder))) return false;
  }
  return true;
}

/** The first value of an attribute as written (null: absent), as `decide` is given it. */
function attributeText(data: Uint8Array, attributes: Attribute[], text: TextDecoder): (name: string) => string | null {
  return (name) => {
    const a = attributes.find((attribute) => attribute.name === name);
    return a ? text.decode(data.subarray(a.valueStart, a.valueEnd)) : null;
  };
}

/** What turns `type`, `src` and `rel` into their held names (core/hold.ts). */
const RENAME_PREFIX = encoder.encode(SRC_ATTR.slice(0, -'src'.length));
if (`${SRC_ATTR.slice(0, -'src'.length)}rel` !== REL_ATTR || `${SRC_ATTR.slice(0, -'src'.length)}type` !== TYPE_ATTR) {
  throw new Error('held attribute names no longer share a prefix');
}

/** The kind of start tag that begins at `lt` (its name ends there), or null for any other. */
function tagKind(data: Uint8Array, lt: number): HoldKind | null {
  if (spells(data, lt + 1, LINK) && ends(data[lt + 5])) return 'link';
  if (!ends(data[lt + 7])) return null;
  if (spells(data, lt + 1, SCRIPT)) return 'script';
  if (spells(data, lt + 1, IFRAME)) return 'iframe';
  return null;
}

const ends = (b: number | undefined) => b !== undefined && (isSpace(b) || b === SLASH || b === GT);

function spells(data: Uint8Array, at: number, word: readonly number[]): boolean {
  for (let i = 0; i < word.length; i++) if (((data[at + i] ?? 0) | 0x20) !== word[i]) return false;
  return true;
}

/**
 * The attributes of a start tag whose name ends at `from`, read as the tokenizer reads them
 * (HTML §13.2.5.32–40), and the offset after its `>` (-1 when it does not end in `data`).
 */
export function readTag(data: Uint8Array, from: number): { end: number; attributes: Attribute[] } {
  const attributes: Attribute[] = [];
  let i = from;
  const n = data.length;
  while (i < n) {
    const b = data[i] as number;
    if (isSpace(b) || b === SLASH) {
      i++;
      continue;
    }
    if (b === GT) return { end: i + 1, attributes };
    // An attribute name: to whitespace, `/`, `>` or `=` (a leading `=` belongs to the name).
    const nameStart = i;
    i++;
    while (i < n) {
      const c = data[i] as number;
      if (isSpace(c) || c === SLASH || c === GT || c === EQUALS) break;
      i++;
    }
    const name = latin1Lower(data, nameStart, i);
    while (i < n && isSpace(data[i] as number)) i++;
    if (data[i] !== EQUALS) {
      attributes.push({ name, nameStart, valueStart: i, valueEnd: i });
      continue;
    }
    i++;
    while (i < n && isSpace(data[i] as number)) i++;
    const q = data[i];
    if (q === DQUOTE || q === SQUOTE) {
      const close = data.indexOf(q, i + 1);
      if (close === -1) return { end: -1, attributes };
      attributes.push({ name, nameStart, valueStart: i + 1, valueEnd: close });
      i = close + 1;
      continue;
    }
    const valueStart = i;
    while (i < n && !isSpace(data[i] as number) && data[i] !== GT) i++;
    attributes.push({ name, nameStart, valueStart, valueEnd: i });
  }
  return { end: -1, attributes };
}

function latin1Lower(data: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to && i - from < 64; i++) {
    const b = data[i] as number;
    out += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  }
  return out;
}

/**
 * `=` and a raw attribute value written as an unquoted value that decodes to the same text (an
 * empty one as nothing: a bare attribute is empty). Bytes that would end the value, or the string
 * it might land in, become character references; the others, non-ASCII included, are copied.
 */
function unquotedValue(raw: Uint8Array): Uint8Array {
  if (raw.length === 0) return EMPTY;
  const out: number[] = [EQUALS];
  for (const b of raw) {
    if (
      isSpace(b) ||
      b === DQUOTE ||
      b === SQUOTE ||
      b === EQUALS ||
      b === LT ||
      b === GT ||
      b === 0x60 ||
      b === 0x5c ||
      b === 0x24 ||
      b === 0x7b ||
      b === 0x7d
    ) {
      for (const c of `&#${b};`) out.push(c.charCodeAt(0));
    } else out.push(b);
  }
  return Uint8Array.from(out);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.length;
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
