import { describe, expect, it } from 'vitest';
import { domainMatches } from '../../../src/cookies/domain';

describe('domainMatches (RFC 6265bis §5.1.3)', () => {
  it('matches the domain itself and its subdomains, in any case, a leading dot ignored', () => {
    expect(domainMatches('trackncloak.com', 'trackncloak.com')).toBe(true);
    expect(domainMatches('App.TrackNCloak.com', '.trackncloak.com')).toBe(true);
    expect(domainMatches('a.b.trackncloak.com', 'trackncloak.com')).toBe(true);
  });

  it('does not match look-alikes, parents, other hosts, IP addresses or an empty domain', () => {
    expect(domainMatches('nottrackncloak.com', 'trackncloak.com')).toBe(false);
    expect(domainMatches('trackncloak.com', 'app.trackncloak.com')).toBe(false);
    expect(domainMatches('my-branch.pages.dev', 'trackncloak.com')).toBe(false);
    expect(domainMatches('10.0.0.1', '0.0.1')).toBe(false);
    expect(domainMatches('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(domainMatches('shop.test', '')).toBe(false);
  });
});
