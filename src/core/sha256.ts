/**
 * SHA-256 (FIPS 180-4), synchronous: the one hash of the project. It names versions (the policy's
 * fingerprint, the banner's build, the consent-state suffix of ETags) and the CSP hash of the
 * policy page's stylesheet, identically in the worker, the build and the tests.
 */

/** Globals of every runtime the core runs in (workerd, browsers, Node), declared for its plain ES lib. */
declare const TextEncoder: new () => { encode(input: string): Uint8Array };
declare function btoa(binary: string): string;

/** The first 32 bits of the fractional part of `x` (FIPS 180-4 §4.2.2, §5.3.3). */
const frac = (x: number) => ((x - Math.floor(x)) * 2 ** 32) | 0;

const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p)) PRIMES.push(n);
/** Round constants: cube roots of the first 64 primes. */
const K = Int32Array.from(PRIMES, (p) => frac(Math.cbrt(p)));
/** Initial hash value: square roots of the first 8 primes. */
const H0 = PRIMES.slice(0, 8).map((p) => frac(Math.sqrt(p)));

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let encoder: { encode(input: string): Uint8Array } | undefined;

/**
 * The SHA-256 digest of the UTF-8 encoding of `text` (a lone surrogate as U+FFFD, as TextEncoder writes it).
 * @example
 * sha256('abc').length // 32
 */
export function sha256(text: string): Uint8Array {
  encoder ??= new TextEncoder();
  const data = encoder.encode(text);
  // The message, a 1 bit, zeros, and its length in bits (big-endian, below 2^32 here): whole blocks.
  const bytes = new Uint8Array((((data.length + 8) >> 6) + 1) * 64);
  bytes.set(data);
  bytes[data.length] = 0x80;
  const view = new DataView(bytes.buffer);
  view.setUint32(bytes.length - 4, data.length * 8);
  const h = Int32Array.from(H0);
  const w = new Int32Array(64);
  for (let block = 0; block < bytes.length; block += 64) {
    for (let i = 0; i < 64; i++) {
      if (i < 16) w[i] = view.getInt32(block + i * 4);
      else {
        const x = w[i - 15] ?? 0;
        const y = w[i - 2] ?? 0;
        w[i] = (w[i - 16] ?? 0) + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + (w[i - 7] ?? 0) + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
      }
    }
    let a = h[0] ?? 0;
    let b = h[1] ?? 0;
    let c = h[2] ?? 0;
    let d = h[3] ?? 0;
    let e = h[4] ?? 0;
    let f = h[5] ?? 0;
    let g = h[6] ?? 0;
    let k = h[7] ?? 0;
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[i] ?? 0) + (w[i] ?? 0)) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] ?? 0) + a;
    h[1] = (h[1] ?? 0) + b;
    h[2] = (h[2] ?? 0) + c;
    h[3] = (h[3] ?? 0) + d;
    h[4] = (h[4] ?? 0) + e;
    h[5] = (h[5] ?? 0) + f;
    h[6] = (h[6] ?? 0) + g;
    h[7] = (h[7] ?? 0) + k;
  }
  const out = new Uint8Array(32);
  const digest = new DataView(out.buffer);
  for (const [i, v] of h.entries()) digest.setInt32(i * 4, v);
  return out;
}

/**
 * SHA-256 of `text` as 64 lowercase hex digits.
 * @example
 * sha256Hex('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function sha256Hex(text: string): string {
  let hex = '';
  for (const byte of sha256(text)) hex += HEX[byte];
  return hex;
}

/**
 * SHA-256 of `text` in base64 with padding, the form a CSP hash source takes (`'sha256-…'`).
 * @example
 * sha256Base64('') // '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
 */
export function sha256Base64(text: string): string {
  return btoa(String.fromCharCode(...sha256(text)));
}
