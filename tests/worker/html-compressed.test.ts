/**
 * Compressed origins through the runtime: a rewritten page from a gzip or brotli origin
 * leaves decoded, without the origin's Content-Encoding, and streams to a client of any
 * Accept-Encoding. The origin holds the end of its page until the test has read the start, so
 * "first bytes while the origin still sends" is checked by the order of events, not by timing.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { consentCookie, NAV, origin } from './helpers';

const ENCODINGS = ['identity', 'gzip', 'br', 'gzip, deflate, br, zstd'];
const decoder = new TextDecoder();

/** The next chunk, or 'nothing yet' when none comes within `ms` (the origin is still holding back). */
async function nextChunk(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('nothing yet'), ms);
  });
  const read = reader.read().then(({ value }) => (value ? decoder.decode(value) : 'end'));
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(['gzip', 'br'])('a page streamed %s-compressed by the origin', (encoding) => {
  describe.each([
    ['undecided', ''],
    ['accepted everything', 'accept-all'],
  ])('for a visitor who %s', (_label, decision) => {
    it.each(ENCODINGS)('reaches a client asking for %s in chunks, decoded, with no Content-Encoding', async (accept) => {
      const cookie = decision ? await consentCookie('accept-all') : '';
      const id = `${encoding}-${decision || 'none'}-${accept}-${Math.random()}`;
      const url = `${origin()}/faults/gated?encoding=${encoding}&id=${encodeURIComponent(id)}`;
      const headers: Record<string, string> = { ...NAV, 'accept-encoding': accept };
      if (cookie) headers.cookie = cookie;
      // Through the runtime, as a client's request is (the worker forwards to the request's own URL here).
      const res = await exports.default.fetch(url, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBeNull();
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      try {
        // The origin has sent only the start of its page: the visitor must already have all of it.
        while (!text.includes('<p>first')) {
          const chunk = await nextChunk(reader, 5000);
          expect(chunk, `after ${JSON.stringify(text.slice(-80))}`).not.toBe('nothing yet');
          expect(chunk).not.toBe('end');
          text += chunk;
        }
        expect(text).not.toContain('</html>');
      } finally {
        await fetch(`${origin()}/faults/release?id=${encodeURIComponent(id)}`);
      }
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text).toContain('id="consent-state"');
      expect(text.match(/<p>later<\/p>/g)).toHaveLength(50);
      expect(text).toContain('</html>');
    });
  });
});
