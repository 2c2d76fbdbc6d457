/**
 * The fast path for a visitor who allowed every category: nothing to hold and no banner, so the
 * page needs only the head part after `<head>` and the body part at its end. A byte splice into
 * the first kilobytes does that without tokenising the whole document as HTMLRewriter must.
 */

/** How far into the document the `<head>` tag is looked for before giving up. */
const SEARCH_LIMIT = 64 * 1024;
const HEAD_TAG = /<head(?=[\s/>])[^>]*>/i;
const DOCTYPE = /^\s*<!doctype[^>]*>/i;

/**
 * Where to insert the head part in the start of a document: right after the `<head>` tag (not
 * `<header>`, not inside a comment), else after a leading doctype, else at the start. `final`
 * says no more text will come; until then -1 means "need more text".
 * @example
 * headInsertionPoint('<!doctype html><html><head><title>', true) // 27
 */
export function headInsertionPoint(text: string, final: boolean): number {
  let from = 0;
  while (from < text.length) {
    const match = HEAD_TAG.exec(text.slice(from));
    if (!match) break;
    const at = from + match.index;
    const open = text.lastIndexOf('<!--', at);
    const closed = open === -1 ? -1 : text.indexOf('-->', open);
    if (open === -1 || (closed !== -1 && closed < at)) return at + match[0].length;
    from = at + 1;
  }
  if (!final && text.length < SEARCH_LIMIT) return -1;
  return DOCTYPE.exec(text)?.[0].length ?? 0;
}

/**
 * Streams `response` with `head` spliced in after its `<head>` tag and `body` appended at the end
 * (the parser puts trailing content into `<body>`, where React 19 hydration skips it). Only the
 * first chunks pass through JavaScript, up to the insertion point; the rest is piped natively. A
 * page that ends within those first chunks (most pages under a few tens of KB) leaves as one
 * spliced chunk with no stream in between; the others stream, and the pump is not awaited: the
 * runtime keeps the request alive while its response streams (Cloudflare's stream-through pattern).
 * A read error before the insertion point is found ends the page there (the client sees a cut-off
 * page, as it would from the origin).
 * @example
 * return spliceHtml(response, headMarkup(input), bodyMarkup(input));
 */
export async function spliceHtml(response: Response, head: string, body: string, bodyLength: number | null = null): Promise<Response> {
  if (!response.body) return response;
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  const encoder = new TextEncoder();
  const reader = response.body.getReader();
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
      at = insertionPoint(start, ended);
    }
  } catch (error) {
    reader.releaseLock();
    return new Response(erroredAfter(concat(held), error), init);
  }
  if (ended) void reader.cancel().catch(() => {});
  const spliced = concat([start.subarray(0, at), encoder.encode(head), start.subarray(at), ended ? encoder.encode(body) : EMPTY]);
  if (ended) return new Response(spliced, init);
  reader.releaseLock();
  const { readable, writable } = new IdentityTransformStream();
  void pumpRest(spliced, response.body, writable, encoder.encode(body));
  return new Response(readable, init);
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

/** A stream of `bytes` that then fails with `error` (once they are read: an error drops queued chunks). */
function erroredAfter(bytes: Uint8Array, error: unknown): ReadableStream<Uint8Array> {
  let sent = bytes.length === 0;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(error);
      sent = true;
      controller.enqueue(bytes);
    },
  });
}

/**
 * `headInsertionPoint` over the bytes, decoding only as much of them as the search needs: the
 * `<head>` tag is nearly always in the first few hundred bytes of a chunk of many kilobytes.
 */
function insertionPoint(bytes: Uint8Array, final: boolean): number {
  for (let n = Math.min(bytes.length, 1024); ; n = Math.min(bytes.length, n * 4)) {
    const complete = n === bytes.length;
    const at = headInsertionPoint(byteText(bytes.subarray(0, n)), complete && final);
    if (at !== -1 || complete) return at;
  }
}

/** One character per byte, so text offsets are byte offsets (the markup sought is ASCII). */
function byteText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
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
