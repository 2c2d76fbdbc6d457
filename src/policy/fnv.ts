/**
 * FNV-1a: a short, fast, non-cryptographic hash, enough to tell versions apart in a URL or an
 * ETag (never for anything an attacker must not forge).
 * @example
 * fnv1a('{"revision":1}') // a base-36 string such as '1x3k9qz'
 */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}
