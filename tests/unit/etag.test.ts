/** The one If-None-Match parser (src/http/etag.ts): RFC 9110 lists, weak comparison, never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ifNoneMatchHit, parseEntityTag, parseIfNoneMatch } from '../../src/http/etag';

describe('If-None-Match', () => {
  it('reads a list of strong and weak tags and *', () => {
    expect(parseIfNoneMatch(' "a", W/"b",*').map((m) => m.text)).toEqual(['"a"', 'W/"b"', '*']);
    expect(parseIfNoneMatch('W/"b"')[0]?.tag).toEqual({ weak: true, opaque: 'b' });
  });

  it('keeps a comma inside quotes in the tag it belongs to', () => {
    expect(parseIfNoneMatch('"a,b", "c"').map((m) => m.tag?.opaque)).toEqual(['a,b', 'c']);
    expect(parseIfNoneMatch('x,  W/"a,b" ,"c"').map((m) => m.text)).toEqual(['x', 'W/"a,b"', '"c"']);
  });

  it('keeps a member that is not an entity tag as written; it matches nothing', () => {
    expect(parseIfNoneMatch('abc, "x"').map((m) => m.text)).toEqual(['abc', '"x"']);
    expect(parseIfNoneMatch('abc')[0]?.tag).toBeUndefined();
    expect(ifNoneMatchHit('abc', '"abc"')).toBe(false);
  });

  it('matches by the weak comparison, and * matches any current representation', () => {
    expect(ifNoneMatchHit('"x", W/"p1-abc"', 'W/"p1-abc"')).toBe(true);
    expect(ifNoneMatchHit('"p1-abc"', 'W/"p1-abc"')).toBe(true);
    expect(ifNoneMatchHit('*', '"js-1"')).toBe(true);
    expect(ifNoneMatchHit('"js-2"', '"js-1"')).toBe(false);
    expect(ifNoneMatchHit(null, '"js-1"')).toBe(false);
    expect(parseEntityTag('nope')).toBeUndefined();
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        expect(() => parseIfNoneMatch(header)).not.toThrow();
        expect(() => ifNoneMatchHit(header, '"x"')).not.toThrow();
      }),
    );
  });
});
