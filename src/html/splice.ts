/**
 * The fast path for a visitor who allowed every category: nothing to hold and no banner, so the
 * page needs only the head part after `<head>` and the body part at its end. A byte splice into
 * the first kilobytes does that without tokenising the whole document as HTMLRewriter must.
 */
import { readTag } from './inert';

/** How far into the document the `<head>` tag is looked for before giving up. */
const SEARCH_LIMIT = 64 * 1024;
const LT = 0x3c;
const GT = 0x3e;
/** `<!--` and `-->`. */
const COMMENT_OPEN = [0x3c, 0x21, 0x2d, 0x2d];
const COMMENT_CLOSE = [0x2d, 0x2d, 0x3e];
/** `head` and `!doctype`, lower case (ASCII letters are compared with 0x20 set). */
const HEAD = [0x68, 0x65, 0x61, 0x64];
const DOCTYPE = [0x21, 0x64, 0x6f, 0x63, 0x74, 0x79, 0x70, 0x65];
/** Bytes that end a tag name (HTML tokenizer: tab, LF, FF, CR, space, `/`, `>`). */
const NAME_END = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x2f, GT]);

const isLetter = (b: number | undefined) => b !== undefined && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;

/** Whether `bytes` at `at` spells `word` (its lower-case letters in either case). */
function spells(bytes: Uint8Array, at: number, word: readonly number[]): boolean {
  if (at + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) {
    const want = word[i] ?? 0;
    const got = bytes[at + i] ?? 0;
    if (got !== want && !(want >= 0x61 && want <= 0x7a && (got | 0x20) === want)) return false;
  }
  return true;
}

/** `word` found from `from` on (exact bytes), or -1. */
function find(bytes: Uint8Array, word: readonly number[], from: number): number {
  for (let at = bytes.indexOf(word[0] ?? 0, from); at !== -1; at = bytes.indexOf(word[0] ?? 0, at + 1)) {
    if (spells(bytes, at, word)) return at;
  }
  return -1;
}

/**
 * Where to insert the head part in the start of a document, in bytes (the markup sought is ASCII,
 * so nothing is decoded): right after the `<head>` tag (not `<header>`, not inside a comment),
 * else after a leading doctype, else at the start. `final` says no more bytes will come; until
 * then -1 means "need more".
 * @example
 * headInsertionPoint(new TextEncoder().encode('<!doctype html><html><head><title>'), true) // 27
 */
export function headInsertionPoint(start: Uint8Array, final: boolean): number {
  // A `<head>` past the first 64 KB is not the document's (a string in a script, say).
  const bytes = start.length > SEARCH_LIMIT ? start.subarray(0, SEARCH_LIMIT) : start;
  for (let at = bytes.indexOf(LT); at !== -1; at = bytes.indexOf(LT, at + 1)) {
    if (spells(bytes, at, COMMENT_OPEN)) {
      // From `<!` on, as a browser does: `<!-->` and `<!--->` are (empty) comments too.
      const close = find(bytes, COMMENT_CLOSE, at + 2);
      if (close === -1) break;
      at = close + 2;
    } else if (spells(bytes, at + 1, HEAD) && NAME_END.has(bytes[at + 5] ?? -1)) {
      // Its attributes as the tokenizer reads them: a `>` in a quoted value does not end it.
      const end = readTag(bytes, at + 5).end;
      if (end === -1) break;
      return end;
    } else if (isLetter(bytes[at + 1])) {
      // Another start tag: a `<head>` in its quoted attribute values is no tag.
      let name = at + 2;
      while (name < bytes.length && !NAME_END.has(bytes[name] ?? -1)) name++;
      const end = readTag(bytes, name).end;
      if (end === -1) break;
      at = end - 1;
    }
  }
  if (!final && bytes.length < SEARCH_LIMIT) return -1;
  return afterDoctype(bytes);
}

const HTML = [0x68, 0x74, 0x6d, 0x6c];

/**
 * Whether the document opens with its `<head>` start tag: before it only whitespace, a doctype,
 * comments and an `<html>` tag, read as the tokenizer reads them. Anything it cannot be sure of
 * (text, a BOM, a bogus comment, a comment holding `--!`, the `<head>` not yet in `bytes`)
 * answers false.
 * @example
 * opensWithHead(new TextEncoder().encode('<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>')) // true
 * opensWithHead(new TextEncoder().encode('<script>x()</script><head>')) // false
 */
export function opensWithHead(start: Uint8Array): boolean {
  return headTagEnd(start) !== -1;
}

/**
 * Where the `<head>` start tag a document opens with ends (after its `>`, its attributes read as
 * the tokenizer reads them), or -1 when it does not open with one (see `opensWithHead`).
 * @example
 * headTagEnd(new TextEncoder().encode('<html><head data-x="a>b"><title>')) // 25
 */
export function headTagEnd(start: Uint8Array): number {
  const bytes = start.length > SEARCH_LIMIT ? start.subarray(0, SEARCH_LIMIT) : start;
  let at = 0;
  for (;;) {
    while (at < bytes.length && NAME_END.has(bytes[at] ?? -1) && bytes[at] !== GT && bytes[at] !== 0x2f) at++;
    if (bytes[at] !== LT) return -1;
    if (spells(bytes, at, COMMENT_OPEN)) {
      const close = find(bytes, COMMENT_CLOSE, at + 2);
      if (close === -1 || find(bytes.subarray(0, close + 3), [0x2d, 0x2d, 0x21], at + 2) !== -1) return -1;
      at = close + 3;
    } else if (spells(bytes, at + 1, DOCTYPE)) {
      const end = bytes.indexOf(GT, at);
      if (end === -1) return -1;
      at = end + 1;
    } else if (spells(bytes, at + 1, HTML) && NAME_END.has(bytes[at + 5] ?? -1)) {
      // Its attributes as the tokenizer reads them: a `>` in a quoted value does not end it.
      const end = readTag(bytes, at + 5).end;
      if (end === -1) return -1;
      at = end;
    } else return spells(bytes, at + 1, HEAD) && NAME_END.has(bytes[at + 5] ?? -1) ? readTag(bytes, at + 5).end : -1;
  }
}

/** The end of a leading `<!doctype …>` (after any whitespace), else 0. */
function afterDoctype(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length && NAME_END.has(bytes[at] ?? -1) && bytes[at] !== GT && bytes[at] !== 0x2f) at++;
  if (bytes[at] !== LT || !spells(bytes, at + 1, DOCTYPE)) return 0;
  const end = bytes.indexOf(GT, at);
  return end === -1 ? 0 : end + 1;
}

/**
 * Answers `page` (a body and its response init) with `head` spliced in after its `<head>` tag and
 * `body` appended at the end
 * (the parser puts trailing content into `<body>`, where React 19 hydration skips it). Only the
 * first chunks pass through JavaScript, up to the insertion point; the rest is piped natively. A
 * page that ends within those first chunks (most pages under a few tens of KB) leaves as one
 * spliced chunk with no stream in between; the others stream, and the pump is not awaited: the
 * runtime keeps the request alive while its response streams (Cloudflare's stream-through pattern).
 * Nothing is answered before the insertion point is found, so an origin that fails before then
 * (a reset after its headers) has sent nothing of its page: the result says so, and the caller
 * answers 502 instead of a page that breaks off.
 * @example
 * const spliced = await spliceHtml(response.body, { status: 200, headers }, headMarkup(input), bodyMarkup(input));
 * return spliced.ok ? spliced.response : originErrorResponse(502);
 */
export async function spliceHtml(
  page: ReadableStream<Uint8Array> | null,
  init: ResponseInit,
  head: string,
  body: string,
  bodyLength: number | null = null,
): Promise<SpliceResult> {
  if (!page) return { ok: true, response: new Response(null, init) };
  const encoder = new TextEncoder();
  const reader = page.getReader();
  const held: Uint8Array[] = [];
  let start: Uint8Array = EMPTY;
  let ended = false;
  let at = -1;
  try {
    while (at === -1) {
      const { done, value } = await reader.read();
      if (value) held.push(value);
      start = concat(held);
      // All the bytes the origin announced are here: no need to wait for the end of the stream.
      ended = done || start.length === bodyLength;
      at = headInsertionPoint(start, ended);
    }
  } catch (error) {
    void reader.cancel().catch(() => {});
    return { ok: false, error };
  }
  if (ended) {
    void reader.cancel().catch(() => {});
    return { ok: true, response: new Response(spliceWhole(start, head, body, at), init) };
  }
  const spliced = concat([start.subarray(0, at), encoder.encode(head), start.subarray(at)]);
  reader.releaseLock();
  const { readable, writable } = new IdentityTransformStream();
  void pumpRest(spliced, page, writable, encoder.encode(body));
  return { ok: true, response: new Response(readable, init) };
}

/** The spliced page, or the error of an origin body that failed before any of it could be sent. */
export type SpliceResult = { ok: true; response: Response } | { ok: false; error: unknown };

/**
 * A whole page with `head` after its `<head>` tag (or at `at`) and `body` at its end.
 * @example
 * spliceWhole(bytes('<html><head><title>t</title>'), '<!--h-->', '<!--b-->') // '<html><head><!--h--><title>t</title><!--b-->'
 */
export function spliceWhole(page: Uint8Array, head: string, body: string, at = headInsertionPoint(page, true)): Uint8Array {
  const encoder = new TextEncoder();
  return concat([page.subarray(0, at), encoder.encode(head), page.subarray(at), encoder.encode(body)]);
}

const EMPTY = new Uint8Array(0);

/** Writes the spliced start, pipes the rest of the origin's body natively, then the body part. */
async function pumpRest(start: Uint8Array, rest: ReadableStream<Uint8Array>, sink: WritableStream<Uint8Array>, tail: Uint8Array) {
  let writer = sink.getWriter();
  try {
    await writer.write(start);
    writer.releaseLock();
    await rest.pipeTo(sink, { preventClose: true });
    writer = sink.getWriter();
    if (tail.length) await writer.write(tail);
    await writer.close();
  } catch (error) {
    // The client sees a cut-off page rather than a hung one.
    const abort = sink.locked ? writer.abort(error) : sink.abort(error);
    await abort.catch(() => {});
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
