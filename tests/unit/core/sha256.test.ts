/** The one hash (src/core/sha256.ts) agrees with Node's SHA-256 on any text, odd lengths and surrogates included. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Base64, sha256Hex } from '../../../src/core/sha256';

const node = (text: string, encoding: 'hex' | 'base64') => createHash('sha256').update(text, 'utf8').digest(encoding);

describe('sha256', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with Node on every block boundary', () => {
    for (let n = 0; n < 200; n++) expect(sha256Hex('a'.repeat(n)), String(n)).toBe(node('a'.repeat(n), 'hex'));
  });

  it('agrees with Node on any text, in hex and base64 (lone surrogates as U+FFFD, like TextEncoder)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(node(text, 'hex'));
        expect(sha256Base64(text)).toBe(node(text, 'base64'));
      }),
    );
    expect(sha256Hex('\ud800x\udfff')).toBe(node('\ud800x\udfff', 'hex'));
  });
});
