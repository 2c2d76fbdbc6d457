/** Cookie names (src/core/cookie-names.ts): exact, then the longest prefix; name prefixes ignored; chunks as declared. */
import { describe, expect, it } from 'vitest';
import { buildCookieNames, classifyCookieName } from '../../../src/core/cookie-names';

const names = buildCookieNames([
  ['next-auth.session-token', 'essential', true],
  ['next-auth.csrf-token', 'essential', false],
  ['_ga', 'analytics', false],
  ['_ga_*', 'analytics', false],
  ['_*', 'functional', false],
  ['big*', 'third-party', true],
]);
const category = (name: string) => classifyCookieName(names, name)?.[1];

describe('cookie names', () => {
  it('match an exact name before any prefix, then the longest prefix', () => {
    expect(category('_ga')).toBe('analytics');
    expect(category('_ga_DEMO')).toBe('analytics');
    expect(category('_gid')).toBe('functional');
    expect(category('ga')).toBeUndefined();
  });

  it('ignore the __Secure- and __Host- name prefixes, in any case', () => {
    expect(category('__Secure-next-auth.session-token')).toBe('essential');
    expect(category('__Host-next-auth.csrf-token')).toBe('essential');
    expect(category('__host-_ga')).toBe('analytics');
  });

  it('match the chunks of a cookie declared chunked, and only of one', () => {
    expect(category('next-auth.session-token.0')).toBe('essential');
    expect(category('__Secure-next-auth.session-token.12')).toBe('essential');
    expect(category('big.thing.3')).toBe('third-party');
    expect(category('next-auth.csrf-token.0')).toBeUndefined();
    expect(category('next-auth.session-token.x')).toBeUndefined();
  });

  it('read any decimal chunk suffix, however many digits (next-auth does not bound the chunk count)', () => {
    for (const index of ['0', '9', '123', '1234', '98765432'])
      expect(category(`next-auth.session-token.${index}`), index).toBe('essential');
    for (const name of [
      'next-auth.session-token.',
      'next-auth.session-token.1a',
      'next-auth.session-token.-1',
      'next-auth.session-token. 1',
    ])
      expect(category(name), name).toBeUndefined();
  });

  it('name the declared pattern that matched', () => {
    expect(classifyCookieName(names, '_ga_X')?.[0]).toBe('_ga_*');
    expect(classifyCookieName(names, 'next-auth.session-token.1')?.[0]).toBe('next-auth.session-token');
  });
});
