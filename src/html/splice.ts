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
 * first chunks pass through JavaScript; the rest is piped natively. The pump is not awaited: the
 * runtime keeps the request alive while its response streams (Cloudflare's stream-through pattern).
 * @example
 * return spliceHtml(response, headMarkup(input), bodyMarkup(input));
 */
export function spliceHtml(response: Response, head: string, body: string): Response {
  if (!response.body) return response;
  const { readable, writable } = new IdentityTransformStream();
  void pump(response.body, writable, head, body);
  return new Response(readable, response);
}

async function pump(source: ReadableStream<Uint8Array>, sink: WritableStream<Uint8Array>, head: string, body: string): Promise<void> {
  const encoder = new TextEncoder();
  const reader = source.getReader();
  let writer = sink.getWriter();
  try {
    const held: Uint8Array[] = [];
    let text = '';
    let ended = false;
    let at = -1;
    while (at === -1) {
      const { done, value } = await reader.read();
      ended = done;
      if (value) {
        held.push(value);
        text += byteText(value);
      }
      at = headInsertionPoint(text, done);
    }
    const start = concat(held);
    if (at > 0) await writer.write(start.subarray(0, at));
    await writer.write(encoder.encode(head));
    if (at < start.length) await writer.write(start.subarray(at));
    if (!ended) {
      reader.releaseLock();
      writer.releaseLock();
      await source.pipeTo(sink, { preventClose: true });
      writer = sink.getWriter();
    }
    if (body) await writer.write(encoder.encode(body));
    await writer.close();
  } catch (error) {
    // The client sees a cut-off page rather than a hung one.
    const abort = sink.locked ? writer.abort(error) : sink.abort(error);
    await abort.catch(() => {});
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
