/** The Set-Cookie parser against RFC 6265bis §5.6 edge cases, and the deletion rule. */
import { describe, expect, it } from 'vitest';
import { parseCookieDate } from '../../../src/core/cookie-date';
import { isDeletion, parseSetCookie } from '../../../src/core/set-cookie';

const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);

describe('parseSetCookie', () => {
  it('splits name and value at the first "=" and keeps the rest of the value', () => {
    expect(parseSetCookie('token=a=b==; Path=/')).toMatchObject({ name: 'token', value: 'a=b==', nameless: false });
  });

  it('keeps quoted values exactly as sent', () => {
    expect(parseSetCookie('q="hello world"; Secure')?.value).toBe('"hello world"');
    expect(parseSetCookie('q=""')?.value).toBe('""');
  });

  it('treats "=x" and a bare "x" as nameless cookies with value x', () => {
    expect(parseSetCookie('=x')).toMatchObject({ name: '', value: 'x', nameless: true });
    expect(parseSetCookie('x; Path=/')).toMatchObject({ name: '', value: 'x', nameless: true });
  });

  it('trims spaces and tabs around the name and value but not inside', () => {
    expect(parseSetCookie(' \t sid \t=  a b \t; Path=/')).toMatchObject({ name: 'sid', value: 'a b' });
  });

  it('does not trim non-WSP whitespace such as NBSP', () => {
    expect(parseSetCookie('\u00a0sid=1')?.name).toBe('\u00a0sid');
  });

  it('ignores headers a browser ignores: control characters, empty name and value, oversize', () => {
    expect(parseSetCookie('a=b\nc')).toBeNull();
    expect(parseSetCookie('a=\x00')).toBeNull();
    expect(parseSetCookie('')).toBeNull();
    expect(parseSetCookie('=; Path=/')).toBeNull();
    expect(parseSetCookie(` ; Max-Age=5`)).toBeNull();
    expect(parseSetCookie(`a=${'x'.repeat(4096)}`)).toBeNull();
    expect(parseSetCookie(`a=${'x'.repeat(4095)}`)?.name).toBe('a');
  });

  it('allows a horizontal tab anywhere', () => {
    expect(parseSetCookie('a=b\tc')?.value).toBe('b\tc');
  });

  it('reads attribute names case-insensitively', () => {
    const parsed = parseSetCookie('a=1; secure; HTTPONLY; samesite=lax; max-age=10; DOMAIN=.Example.COM; pAtH=/x');
    expect(parsed?.attributes).toEqual({
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: 10,
      domain: 'example.com',
      path: '/x',
    });
  });

  it('lets the last valid attribute win', () => {
    const parsed = parseSetCookie('a=1; Max-Age=0; Max-Age=100; Path=/a; Path=/b; SameSite=Strict; SameSite=None');
    expect(parsed?.attributes).toMatchObject({ maxAge: 100, path: '/b', sameSite: 'None' });
  });

  it('ignores an invalid Max-Age and keeps the earlier one', () => {
    expect(parseSetCookie('a=1; Max-Age=0; Max-Age=abc')?.attributes.maxAge).toBe(0);
    expect(parseSetCookie('a=1; Max-Age=+5')?.attributes.maxAge).toBeUndefined();
    expect(parseSetCookie('a=1; Max-Age=5s')?.attributes.maxAge).toBeUndefined();
    expect(parseSetCookie('a=1; Max-Age=')?.attributes.maxAge).toBeUndefined();
    expect(parseSetCookie('a=1; Max-Age=-')?.attributes.maxAge).toBeUndefined();
  });

  it('reads negative and zero Max-Age', () => {
    expect(parseSetCookie('a=1; Max-Age=-1')?.attributes.maxAge).toBe(-1);
    expect(parseSetCookie('a=1; Max-Age= 0 ')?.attributes.maxAge).toBe(0);
  });

  it('treats a Path not starting with "/" as the default path, replacing an earlier Path', () => {
    expect(parseSetCookie('a=1; Path=/x; Path=relative')?.attributes.path).toBeUndefined();
  });

  it('ignores an empty Domain', () => {
    expect(parseSetCookie('a=1; Domain=example.com; Domain=')?.attributes.domain).toBe('example.com');
  });

  it('treats an unknown SameSite as the default', () => {
    expect(parseSetCookie('a=1; SameSite=Lax; SameSite=bogus')?.attributes.sameSite).toBeUndefined();
  });

  it('ignores unknown attributes, empty attributes and stray semicolons', () => {
    expect(parseSetCookie('a=1;;; Partitioned; foo=bar ;')?.attributes).toEqual({ secure: false, httpOnly: false });
  });

  it('parses Expires tolerantly and ignores an unparseable one', () => {
    expect(parseSetCookie('a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT')?.attributes.expires).toBe(Date.UTC(2015, 9, 21, 7, 28, 0));
    expect(parseSetCookie('a=1; expires=Wed, 21-Oct-15 07:28:00 GMT')?.attributes.expires).toBe(Date.UTC(2015, 9, 21, 7, 28, 0));
    expect(parseSetCookie('a=1; Expires=soon')?.attributes.expires).toBeUndefined();
  });

  it('never throws on garbage', () => {
    for (const garbage of [';;;', '=', '==', '"', ';=;=', 'a=1; Expires=; Max-Age', '\u0000', '\ud800', '%%%']) {
      expect(() => parseSetCookie(garbage)).not.toThrow();
    }
    expect(parseSetCookie(undefined as unknown as string)).toBeNull();
  });
});

describe('parseCookieDate (RFC 6265bis §5.1.1)', () => {
  it('reads two-digit years 0-69 as 20xx and 70-99 as 19xx, unlike Date.parse', () => {
    expect(parseCookieDate('01 Jan 60 00:00:00 GMT')).toBe(Date.UTC(2060, 0, 1));
    expect(parseCookieDate('01 Jan 70 00:00:00 GMT')).toBe(0);
  });

  it('fails without a time, a day, a month or a year, and on impossible dates', () => {
    expect(parseCookieDate('01 Jan 2030')).toBeUndefined();
    expect(parseCookieDate('Jan 2030 10:00:00')).toBeUndefined();
    expect(parseCookieDate('31 Feb 2030 10:00:00')).toBeUndefined();
    expect(parseCookieDate('01 Jan 1600 10:00:00')).toBeUndefined();
    expect(parseCookieDate('01 Jan 2030 24:00:00')).toBeUndefined();
  });

  it('accepts tokens in any order and trailing junk after a token', () => {
    expect(parseCookieDate('2030 10:00:00xyz January 5th')).toBe(Date.UTC(2030, 0, 5, 10));
  });
});

describe('isDeletion', () => {
  const deletes = (header: string) => {
    const parsed = parseSetCookie(header);
    if (!parsed) throw new Error('unparsed');
    return isDeletion(parsed, NOW);
  };

  it('is true for Max-Age zero or negative', () => {
    expect(deletes('a=; Max-Age=0')).toBe(true);
    expect(deletes('a=; Max-Age=-1')).toBe(true);
  });

  it('is true for an Expires in the past or now without Max-Age', () => {
    expect(deletes('a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
    expect(deletes(`a=; Expires=${new Date(NOW).toUTCString()}`)).toBe(true);
  });

  it('is false for an Expires in the future, a session cookie or a positive Max-Age', () => {
    expect(deletes('a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT')).toBe(false);
    expect(deletes('a=1')).toBe(false);
    expect(deletes('a=1; Max-Age=60')).toBe(false);
  });

  it('lets Max-Age win over a past Expires', () => {
    expect(deletes('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60')).toBe(false);
  });

  it('does not take a 2060 Expires written with a two-digit year for a deletion', () => {
    expect(deletes('_ga=1; Expires=Thu, 01 Jan 60 00:00:00 GMT')).toBe(false);
  });

  it('ignores a garbled Max-Age and falls back to Expires', () => {
    expect(deletes('a=; Max-Age=zero; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
  });
});
