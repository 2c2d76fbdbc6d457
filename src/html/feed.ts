/**
 * What the rewriter reads of a page: the origin's body, run through the model of its parser
 * (./bailout/model.ts) just ahead of it, so the rewriter never meets what would make it give up.
 * From the first such tag on, the rest of the origin's bytes reach the page through the inert
 * gate (./inert.ts) instead: the rewriter reads one placeholder element per piece, and its handler
 * puts the piece in the element's place without parsing it.
 *
 * The guarantee: the page reaches the visitor whole, every byte of the origin's body in order
 * (with the markup the worker inserts; past the cut a byte sequence malformed in the page's
 * charset comes out as U+FFFD, which is what a browser shows for it), never cut by the rewriter;
 * refused scripts, iframes and resource hints are held by the rewriter before the cut and by the
 * gate after it, where anything that could be such a tag under some reading of the page is held.
 * Only a body the origin itself breaks off ends early, as it would without the worker.
 */
import type { InertGate } from './inert';
import { RewriterModel } from './bailout/model';
import { headTagEnd } from './splice';

/** The element the rewriter reads for each piece of the rest (`rewriter.ts` replaces it). */
export const REST_TAG = 'consent-edge-rest';
const REST_ELEMENT = new TextEncoder().encode(`<${REST_TAG}></${REST_TAG}>`);

const LT = 0x3c;
const GT = 0x3e;

/**
 * First read: enough for most pages whole. Then reads sized by what the last one brought (a
 * read fills only what has arrived, and each buffer is allocated and zeroed whole), up to a
 * larger size so a big page costs few turns, and never past the announced length.
 */
const FIRST_READ = 64 * 1024;
const MIN_READ = 16 * 1024;
const NEXT_READ = 256 * 1024;

/** Pieces of the rest, in the order the rewriter meets their placeholders. */
export interface RestQueue {
  /** Set once the rewriter was cut off: placeholder elements before that are the origin's own. */
  cut: boolean;
  /**
   * Text, decoded in the page's charset: the rewriter writes inserted content in that charset, so
   * the bytes come out as they came in (only a malformed sequence comes out as U+FFFD, as a browser
   * shows it). A piece split inside a character waits for the rest of it.
   */
  pieces: string[];
  /**
   * Whether the page ends between tags. One that ends inside a tag (or a comment, or a script)
   * would take markup appended after it as part of that tag: an unterminated `<script src=…`
   * the browser drops would become a script that runs. Known once the body has ended.
   */
  endsBetweenTags: boolean;
}

export type Fed =
  | {
      ok: true;
      body: Uint8Array | ReadableStream<Uint8Array>;
      rest: RestQueue;
      /** The page opens with its `<head>` tag (./splice.ts `opensWithHead`, on the first read). */
      headFirst: boolean;
      whole?: undefined;
    }
  /** The whole page, which `untouched` took, and where its `<head>` tag ends (./splice.ts `headTagEnd`). */
  | { ok: true; whole: Uint8Array; headEnd: number }
  | { ok: false; error: unknown };

export interface FeedOptions {
  /** The body's length when the runtime does not decode it (Content-Length), else null. */
  length: number | null;
  /** The gate for the rest, made when the rewriter is cut off (with the reason, for the log). */
  gate(reason: string): InertGate;
  /** The charset the rewriter reads the page in (the response's), `utf-8` when it names none. */
  charset?: string;
  /**
   * Asked of a page that arrived whole in the first read and opens with its `<head>` tag: when it
   * answers true, the page is handed back as it came (`whole`) and the rewriter reads nothing.
   */
  untouched?(page: Uint8Array): boolean;
}

interface BodyReader {
  read(size: number): Promise<Uint8Array | null>;
  cancel(reason?: unknown): Promise<void>;
}

/** Reads with large buffers where the runtime supports it (a native body): far fewer turns. */
function reader(body: ReadableStream<Uint8Array>): BodyReader {
  try {
    const byob = body.getReader({ mode: 'byob' });
    return {
      read: async (size) => {
        const { done, value } = await byob.read(new Uint8Array(size));
        return done || !value ? null : value;
      },
      cancel: (reason) => byob.cancel(reason),
    };
  } catch {
    const plain = body.getReader();
    return {
      read: async () => {
        const { done, value } = await plain.read();
        return done || !value ? null : value;
      },
      cancel: (reason) => plain.cancel(reason),
    };
  }
}

/**
 * Reads the first bytes of `body`, then answers what the rewriter should read. A body that fails
 * before its first byte is `{ ok: false }`: nothing of the page could be sent.
 * @example
 * const fed = await feedRewriter(response.body, { length, gate: (reason) => { log(reason); return new InertGate(decide); } });
 * if (!fed.ok) return originErrorResponse(502);
 */
export async function feedRewriter(body: ReadableStream<Uint8Array>, options: FeedOptions): Promise<Fed> {
  const origin = reader(body);
  const rest: RestQueue = { cut: false, pieces: [], endsBetweenTags: true };
  /** After the cut: whether the last `<` seen has no `>` after it (the page may end in a tag). */
  let open = false;
  const model = new RewriterModel();
  let first: Uint8Array | null;
  try {
    // A page of announced length fits one buffer of that size: no larger allocation for a small page.
    first = await origin.read(options.length !== null && options.length > 0 ? Math.min(options.length, FIRST_READ) : FIRST_READ);
  } catch (error) {
    void origin.cancel().catch(() => {});
    return { ok: false, error };
  }
  if (!first) return { ok: true, body: new Uint8Array(0), rest, headFirst: false };
  const headEnd = headTagEnd(first);
  const headFirst = headEnd !== -1;

  let gate: InertGate | null = null;
  let text: TextDecoder | null = null;
  const decoderFor = (): TextDecoder => {
    try {
      return new TextDecoder(options.charset ?? 'utf-8');
    } catch {
      return new TextDecoder();
    }
  };
  /** What the rewriter gets of a chunk: the model's safe part, or after the cut placeholders. */
  let pending: Uint8Array | null = null;
  const out: Uint8Array[] = [];
  const watch = (bytes: Uint8Array) => {
    const lt = bytes.lastIndexOf(LT);
    const gt = bytes.lastIndexOf(GT);
    if (lt !== -1 || gt !== -1) open = lt > gt;
  };
  /** Puts what the rewriter gets of a chunk in `out` (pieces, so a held tag's start is not copied with the chunk). */
  const take = (chunk: Uint8Array): void => {
    if (gate) {
      watch(chunk);
      out.push(placeholder(rest, text, gate.push(chunk), false));
      return;
    }
    const held = pending;
    // Offsets from the model count from the start of the body.
    const start = model.scanned - (held?.length ?? 0);
    const { cut, safe, reason } = model.scan(chunk);
    if (cut === -1 && held && safe - start >= held.length) {
      // The usual case: the tag held back ended in this chunk.
      const from = safe - start - held.length;
      pending = from < chunk.length ? chunk.subarray(from) : null;
      out.push(held, chunk.subarray(0, from));
      return;
    }
    const data = held ? concat([held, chunk]) : chunk;
    if (cut === -1) {
      pending = safe - start < data.length ? data.subarray(safe - start) : null;
      out.push(data.subarray(0, safe - start));
      return;
    }
    pending = null;
    gate = options.gate(reason);
    text = decoderFor();
    rest.cut = true;
    const before = data.subarray(0, cut - start);
    const after = data.subarray(cut - start);
    watch(after);
    out.push(before, placeholder(rest, text, gate.push(after), false));
  };
  const finish = (): void => {
    // Past the cut the context is not tracked: a last `<` without its `>` may be an open tag.
    rest.endsBetweenTags = gate ? !open : model.between;
    if (gate) out.push(placeholder(rest, text, gate.end(), true));
    else if (pending) out.push(pending);
    pending = null;
  };

  // The whole page is here (its announced length): the rewriter reads it from memory.
  if (options.length !== null && first.length >= options.length) {
    void origin.cancel().catch(() => {});
    if (headFirst && options.untouched?.(first)) return { ok: true, whole: first, headEnd };
    take(first);
    finish();
    return { ok: true, body: concat(out), rest, headFirst };
  }

  let queued: Uint8Array | null = first;
  let done = false;
  let received = first.length;
  let size = first.length;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Each pull hands the rewriter something, or ends: a chunk may be all held back.
        for (;;) {
          if (done) return controller.close();
          let chunk = queued;
          queued = null;
          if (!chunk) {
            const left = options.length === null ? NEXT_READ : Math.max(1, options.length - received);
            chunk = await origin.read(Math.min(left, NEXT_READ, Math.max(MIN_READ, 2 * size)));
            size = chunk?.length ?? 0;
            received += size;
          }
          if (chunk) take(chunk);
          else {
            finish();
            done = true;
          }
          let sent = false;
          for (const piece of out) {
            if (!piece.length) continue;
            controller.enqueue(piece);
            sent = true;
          }
          out.length = 0;
          if (sent) return;
        }
      },
      cancel(reason) {
        return origin.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { ok: true, body: stream, rest, headFirst };
}

/** Queues a piece of the rest and returns the element that stands for it (nothing for an empty piece). */
function placeholder(rest: RestQueue, text: TextDecoder | null, bytes: Uint8Array, last: boolean): Uint8Array {
  const piece = text ? text.decode(bytes, { stream: !last }) : '';
  if (!piece) return EMPTY;
  rest.pieces.push(piece);
  return REST_ELEMENT;
}

const EMPTY = new Uint8Array(0);

function concat(chunks: Uint8Array[]): Uint8Array {
  const nonEmpty = chunks.filter((c) => c.length);
  if (nonEmpty.length === 1 && nonEmpty[0]) return nonEmpty[0];
  const out = new Uint8Array(nonEmpty.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of nonEmpty) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
