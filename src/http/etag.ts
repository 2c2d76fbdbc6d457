/**
 * Entity tags and `If-None-Match` (RFC 9110 §8.8.3, §13.1.2): the one parser of the header, for
 * the worker's own pages and assets and for the validators of rewritten pages. Never throws: a
 * member that is not an entity tag is kept as written and matches nothing.
 */

export interface EntityTag {
  weak: boolean;
  /** What is between the quotes. */
  opaque: string;
}

/** One member of the list as the client wrote it, and its tag when it is a well-formed one. */
export interface IfNoneMatchMember {
  text: string;
  tag: EntityTag | undefined;
}

/**
 * `W/"…"` or `"…"`. Leniently: whatever is between the outer quotes is the opaque tag, as origins
 * and clients that stray from etagc still mean it.
 */
const ENTITY_TAG = /^(W\/)?"(.*)"$/;

/**
 * Parses an entity tag such as `W/"v1"`; undefined when it is not one.
 * @example
 * parseEntityTag('W/"v1"') // { weak: true, opaque: 'v1' }
 */
export function parseEntityTag(text: string): EntityTag | undefined {
  const match = ENTITY_TAG.exec(text.trim());
  return match ? { weak: match[1] !== undefined, opaque: match[2] ?? '' } : undefined;
}

/** A list member: a quoted tag (commas inside belong to it) and what follows it, or anything up to a comma. */
const MEMBER = /(?:W\/)?"[^"]*"[^,]*|[^,\s][^,]*/g;

/**
 * The members of an `If-None-Match` list, in order. A comma inside quotes belongs to the tag.
 * @example
 * parseIfNoneMatch('"a,b", W/"c", *') // texts '"a,b"', 'W/"c"', '*'
 */
export function parseIfNoneMatch(header: string | null | undefined): IfNoneMatchMember[] {
  const members: IfNoneMatchMember[] = [];
  for (const [raw] of header?.matchAll(MEMBER) ?? []) {
    const text = raw.trim();
    if (text) members.push({ text, tag: parseEntityTag(text) });
  }
  return members;
}

/**
 * Whether `If-None-Match` matches `etag` by the weak comparison (RFC 9110 §13.1.2), or is `*`:
 * the answer is then 304.
 * @example
 * ifNoneMatchHit('"x", W/"p1-abc"', 'W/"p1-abc"') // true
 */
export function ifNoneMatchHit(header: string | null | undefined, etag: string): boolean {
  const wanted = parseEntityTag(etag);
  if (!wanted) return false;
  return parseIfNoneMatch(header).some((member) => member.text === '*' || member.tag?.opaque === wanted.opaque);
}
