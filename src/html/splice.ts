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
 * (the parser puts trailing content into `<body>`, where React 19 hydration skips it).
 * @example
 * return spliceHtml(response, headMarkup(input), bodyMarkup(input));
 */
export function spliceHtml(response: Response, head: string, body: string): Response {
  const encoder = new TextEncoder();
  const held: Uint8Array[] = [];
  let heldText = '';
  let spliced = false;

  const release = (controller: TransformStreamDefaultController<Uint8Array>, final: boolean) => {
    const at = headInsertionPoint(heldText, final);
    if (at === -1) return;
    const bytes = concat(held);
    controller.enqueue(bytes.subarray(0, at));
    controller.enqueue(encoder.encode(head));
    controller.enqueue(bytes.subarray(at));
    held.length = 0;
    heldText = '';
    spliced = true;
  };

  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (spliced) {
        controller.enqueue(chunk);
        return;
      }
      held.push(chunk);
      heldText += byteText(chunk);
      release(controller, false);
    },
    flush(controller) {
      if (!spliced) release(controller, true);
      if (body) controller.enqueue(encoder.encode(body));
    },
  });
  return new Response(response.body?.pipeThrough(stream) ?? null, response);
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
